package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.AliasEntry;
import dev.coffer.kms.KeyState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Writes KMS response shapes with the member names of the AWS KMS API reference: timestamps as
 * epoch seconds (JSON numbers), blobs as base64 strings.
 */
final class Shapes {
  /** The mapper for requests and responses; writes decimals plainly ({@code 1764000000.5}). */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /** The only key spec and algorithm of keys behind the endpoint. */
  static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

  private Shapes() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Epoch seconds with millisecond precision, as KMS writes {@code CreationDate}. */
  static BigDecimal epochSeconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }

  static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /**
   * The account id inside an ARN ({@code arn:aws:kms:<region>:<account>:key/<id>}, {@code
   * arn:aws:iam::<account>:root}).
   */
  static String accountOf(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 ? parts[4] : "";
  }

  /** A {@code KeyMetadata} structure. */
  static ObjectNode keyMetadata(KeyDescription d) {
    ObjectNode m = object();
    m.put("AWSAccountId", accountOf(d.arn()));
    m.put("KeyId", d.keyId());
    m.put("Arn", d.arn());
    m.put("CreationDate", epochSeconds(d.creationDate()));
    m.put("Enabled", d.state() == KeyState.ENABLED);
    m.put("Description", d.description());
    m.put("KeyUsage", "ENCRYPT_DECRYPT");
    m.put("KeyState", d.state().awsName());
    d.deletionDate().ifPresent(t -> m.put("DeletionDate", epochSeconds(t)));
    m.put("Origin", "AWS_KMS");
    m.put("KeyManager", "CUSTOMER");
    m.put("CustomerMasterKeySpec", SYMMETRIC_DEFAULT);
    m.put("KeySpec", SYMMETRIC_DEFAULT);
    m.putArray("EncryptionAlgorithms").add(SYMMETRIC_DEFAULT);
    m.put("MultiRegion", false);
    return m;
  }

  /** A {@code KeyListEntry}. */
  static ObjectNode keyListEntry(KeyDescription d) {
    ObjectNode e = object();
    e.put("KeyId", d.keyId());
    e.put("KeyArn", d.arn());
    return e;
  }

  /** An {@code AliasListEntry}. */
  static ObjectNode aliasListEntry(AliasEntry a) {
    ObjectNode e = object();
    e.put("AliasName", a.aliasName());
    e.put("AliasArn", a.aliasArn());
    e.put("TargetKeyId", a.targetKeyId());
    if (a.creationDate() != null) {
      e.put("CreationDate", epochSeconds(a.creationDate()));
    }
    if (a.lastUpdatedDate() != null) {
      e.put("LastUpdatedDate", epochSeconds(a.lastUpdatedDate()));
    }
    return e;
  }

  /** A {@code Tag}. */
  static ObjectNode tag(Map.Entry<String, String> t) {
    ObjectNode e = object();
    e.put("TagKey", t.getKey());
    e.put("TagValue", t.getValue());
    return e;
  }
}
