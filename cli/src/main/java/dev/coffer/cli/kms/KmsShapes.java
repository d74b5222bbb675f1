package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyState;
import java.util.Base64;

/**
 * The response shapes of AWS KMS that several commands share, with the field names {@code aws kms}
 * prints.
 */
final class KmsShapes {
  /** The only symmetric algorithm, as KMS names it. */
  static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

  private KmsShapes() {}

  /** {@code {"KeyMetadata": {...}}} for DescribeKey and CreateKey. */
  static ObjectNode keyMetadataResponse(KeyDescription d) {
    ObjectNode out = AwsJson.object();
    out.set("KeyMetadata", keyMetadata(d));
    return out;
  }

  /** A {@code KeyMetadata} structure. */
  static ObjectNode keyMetadata(KeyDescription d) {
    ObjectNode m = AwsJson.object();
    m.put("AWSAccountId", account(d.arn()));
    m.put("KeyId", d.keyId());
    m.put("Arn", d.arn());
    m.put("CreationDate", AwsJson.timestamp(d.creationDate()));
    m.put("Enabled", d.state() == KeyState.ENABLED);
    m.put("Description", d.description());
    m.put("KeyUsage", "ENCRYPT_DECRYPT");
    m.put("KeyState", d.state().awsName());
    d.deletionDate().ifPresent(t -> m.put("DeletionDate", AwsJson.timestamp(t)));
    m.put("Origin", "AWS_KMS");
    m.put("KeyManager", "CUSTOMER");
    m.put("CustomerMasterKeySpec", SYMMETRIC_DEFAULT);
    m.put("KeySpec", SYMMETRIC_DEFAULT);
    m.putArray("EncryptionAlgorithms").add(SYMMETRIC_DEFAULT);
    m.put("MultiRegion", false);
    return m;
  }

  /** Base64, as KMS returns blobs and plaintexts in JSON. */
  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The account id of an ARN ({@code arn:aws:kms:REGION:ACCOUNT:...}), or "" when it has none. */
  static String account(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 ? parts[4] : "";
  }
}
