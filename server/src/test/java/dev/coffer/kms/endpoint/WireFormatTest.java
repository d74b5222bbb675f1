package dev.coffer.kms.endpoint;

import static dev.coffer.kms.endpoint.WireShapes.assertShape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.endpoint.SignedJson.Response;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each operation as raw JSON on the wire (signed with the SDK's SigV4 signer): member names and
 * types of the answers against the KMS API model, and KMS's errors for bad requests.
 */
class WireFormatTest {
  private static final String CONTEXT =
      "\"EncryptionContext\":{\"store\":\"s1\",\"purpose\":\"page\"}";

  private LocalKms kms;
  private SignedJson wire;
  private KeyDescription key;

  @BeforeEach
  void setUp() {
    kms = LocalKms.start();
    wire = new SignedJson(kms.endpoint().endpointUri(), "us-east-1");
    key = kms.keys().createKey(CreateKeyRequest.withDescription("wire"));
  }

  @AfterEach
  void tearDown() {
    kms.close();
  }

  private JsonNode ok(String operation, String body, String shape) {
    Response r =
        wire.send(
            operation, body, LocalKms.accessKeyId(LocalKms.OWNER), LocalKms.secret(LocalKms.OWNER));
    assertThat(r.status()).as(operation + " " + r.body()).isEqualTo(200);
    assertShape(r.body(), shape);
    return r.body();
  }

  private JsonNode error(String operation, String body, String type) {
    Response r =
        wire.send(
            operation, body, LocalKms.accessKeyId(LocalKms.OWNER), LocalKms.secret(LocalKms.OWNER));
    assertThat(r.status()).as(operation + " " + r.body()).isEqualTo(400);
    assertShape(r.body(), "Error");
    assertThat(r.body().get("__type").asText()).isEqualTo(type);
    return r.body();
  }

  private String keyId() {
    return "\"KeyId\":\"" + key.keyId() + "\"";
  }

  @Test
  void createKey() {
    JsonNode r =
        ok(
            "CreateKey",
            "{\"Description\":\"made on the wire\",\"KeyUsage\":\"ENCRYPT_DECRYPT\","
                + "\"KeySpec\":\"SYMMETRIC_DEFAULT\",\"Tags\":[{\"TagKey\":\"team\",\"TagValue\":\"db\"}]}",
            "CreateKeyResponse");
    JsonNode m = r.get("KeyMetadata");
    assertThat(m.get("Description").asText()).isEqualTo("made on the wire");
    assertThat(m.get("KeyState").asText()).isEqualTo("Enabled");
    assertThat(m.get("Enabled").asBoolean()).isTrue();
    assertThat(m.get("AWSAccountId").asText()).isEqualTo("111122223333");
    assertThat(m.get("Arn").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/" + m.get("KeyId").asText());
    assertThat(m.get("EncryptionAlgorithms").get(0).asText()).isEqualTo("SYMMETRIC_DEFAULT");
  }

  @Test
  void describeKey() {
    JsonNode m = ok("DescribeKey", "{" + keyId() + "}", "DescribeKeyResponse").get("KeyMetadata");
    assertThat(m.get("KeyId").asText()).isEqualTo(key.keyId());
    assertThat(m.get("CreationDate").asDouble())
        .isEqualTo(key.creationDate().toEpochMilli() / 1000.0);
    assertThat(m.has("DeletionDate")).isFalse();
  }

  @Test
  void listKeysPagesWithMarkers() {
    kms.keys().createKey(CreateKeyRequest.withDescription("second"));
    JsonNode first = ok("ListKeys", "{\"Limit\":1}", "ListKeysResponse");
    assertThat(first.get("Keys")).hasSize(1);
    assertThat(first.get("Truncated").asBoolean()).isTrue();
    JsonNode second =
        ok(
            "ListKeys",
            "{\"Limit\":1,\"Marker\":\"" + first.get("NextMarker").asText() + "\"}",
            "ListKeysResponse");
    assertThat(second.get("Truncated").asBoolean()).isFalse();
    assertThat(second.get("Keys").get(0).get("KeyId").asText())
        .isNotEqualTo(first.get("Keys").get(0).get("KeyId").asText());
    error("ListKeys", "{\"Marker\":\"garbage!\"}", "InvalidMarkerException");
  }

  @Test
  void createAliasAndListAliases() {
    JsonNode empty =
        ok(
            "CreateAlias",
            "{\"AliasName\":\"alias/wire\",\"TargetKeyId\":\"" + key.keyId() + "\"}",
            "Empty");
    assertThat(empty.size()).isZero();
    JsonNode r = ok("ListAliases", "{" + keyId() + "}", "ListAliasesResponse");
    assertThat(r.get("Aliases")).hasSize(1);
    assertThat(r.get("Aliases").get(0).get("AliasArn").asText())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:alias/wire");
    assertThat(r.get("Aliases").get(0).get("TargetKeyId").asText()).isEqualTo(key.keyId());
    KeyDescription other = kms.keys().createKey(CreateKeyRequest.withDescription("other"));
    ok(
        "UpdateAlias",
        "{\"AliasName\":\"alias/wire\",\"TargetKeyId\":\"" + other.keyId() + "\"}",
        "Empty");
    assertThat(ok("ListAliases", "{}", "ListAliasesResponse").at("/Aliases/0/TargetKeyId").asText())
        .isEqualTo(other.keyId());
    ok("DeleteAlias", "{\"AliasName\":\"alias/wire\"}", "Empty");
    assertThat(ok("ListAliases", "{}", "ListAliasesResponse").get("Aliases")).isEmpty();
    error("DeleteAlias", "{\"AliasName\":\"alias/wire\"}", "NotFoundException");
  }

  @Test
  void encryptDecryptReEncrypt() {
    String plaintext = Base64.getEncoder().encodeToString("secret".getBytes());
    JsonNode enc =
        ok(
            "Encrypt",
            "{" + keyId() + ",\"Plaintext\":\"" + plaintext + "\"," + CONTEXT + "}",
            "EncryptResponse");
    assertThat(enc.get("KeyId").asText()).isEqualTo(key.arn());
    String blob = enc.get("CiphertextBlob").asText();
    JsonNode dec =
        ok("Decrypt", "{\"CiphertextBlob\":\"" + blob + "\"," + CONTEXT + "}", "DecryptResponse");
    assertThat(dec.get("KeyId").asText()).isEqualTo(key.arn());
    assertThat(dec.get("Plaintext").asText()).isEqualTo(plaintext);
    assertThat(dec.get("EncryptionAlgorithm").asText()).isEqualTo("SYMMETRIC_DEFAULT");

    KeyDescription other = kms.keys().createKey(CreateKeyRequest.withDescription("other"));
    String ctx = "{\"store\":\"s1\",\"purpose\":\"page\"}";
    JsonNode re =
        ok(
            "ReEncrypt",
            "{\"CiphertextBlob\":\""
                + blob
                + "\",\"SourceEncryptionContext\":"
                + ctx
                + ",\"DestinationEncryptionContext\":"
                + ctx
                + ",\"DestinationKeyId\":\""
                + other.keyId()
                + "\"}",
            "ReEncryptResponse");
    assertThat(re.get("SourceKeyId").asText()).isEqualTo(key.arn());
    assertThat(re.get("KeyId").asText()).isEqualTo(other.arn());
    // A dropped destination context is allowed, as in AWS (NewOperationsWireTest checks the
    // result).
    ok(
        "ReEncrypt",
        "{\"CiphertextBlob\":\""
            + blob
            + "\",\"SourceEncryptionContext\":"
            + ctx
            + ",\"DestinationKeyId\":\""
            + other.keyId()
            + "\"}",
        "ReEncryptResponse");
  }

  @Test
  void generateDataKeys() {
    JsonNode dk =
        ok(
            "GenerateDataKey",
            "{" + keyId() + ",\"KeySpec\":\"AES_256\"," + CONTEXT + "}",
            "GenerateDataKeyResponse");
    assertThat(Base64.getDecoder().decode(dk.get("Plaintext").asText())).hasSize(32);
    assertThat(dk.get("KeyId").asText()).isEqualTo(key.arn());
    ok(
        "GenerateDataKeyWithoutPlaintext",
        "{" + keyId() + ",\"NumberOfBytes\":32}",
        "GenerateDataKeyWithoutPlaintextResponse");
    assertThat(
            error("GenerateDataKey", "{" + keyId() + "}", "ValidationException")
                .get("message")
                .asText())
        .isEqualTo("Please specify either number of bytes or key spec.");
    error(
        "GenerateDataKey",
        "{" + keyId() + ",\"KeySpec\":\"AES_256\",\"NumberOfBytes\":32}",
        "ValidationException");
  }

  @Test
  void enableAndDisableKey() {
    ok("DisableKey", "{" + keyId() + "}", "Empty");
    assertThat(
            ok("DescribeKey", "{" + keyId() + "}", "DescribeKeyResponse")
                .at("/KeyMetadata/KeyState")
                .asText())
        .isEqualTo("Disabled");
    ok("EnableKey", "{" + keyId() + "}", "Empty");
    assertThat(
            ok("DescribeKey", "{" + keyId() + "}", "DescribeKeyResponse")
                .at("/KeyMetadata/Enabled")
                .asBoolean())
        .isTrue();
  }

  @Test
  void rotation() {
    JsonNode off = ok("GetKeyRotationStatus", "{" + keyId() + "}", "GetKeyRotationStatusResponse");
    assertThat(off.get("KeyRotationEnabled").asBoolean()).isFalse();
    ok("EnableKeyRotation", "{" + keyId() + ",\"RotationPeriodInDays\":90}", "Empty");
    JsonNode on = ok("GetKeyRotationStatus", "{" + keyId() + "}", "GetKeyRotationStatusResponse");
    assertThat(on.get("KeyRotationEnabled").asBoolean()).isTrue();
    assertThat(on.get("RotationPeriodInDays").asInt()).isEqualTo(90);
    assertThat(on.has("NextRotationDate")).isTrue();
    assertThat(on.get("KeyId").asText()).isEqualTo(key.arn());
    assertThat(
            ok("RotateKeyOnDemand", "{" + keyId() + "}", "RotateKeyOnDemandResponse")
                .get("KeyId")
                .asText())
        .isEqualTo(key.keyId());
    // The on-demand rotation finished at once: AWS reports its start date only while one runs.
    assertThat(
            ok("GetKeyRotationStatus", "{" + keyId() + "}", "GetKeyRotationStatusResponse")
                .has("OnDemandRotationStartDate"))
        .isFalse();
    ok("DisableKeyRotation", "{" + keyId() + "}", "Empty");
    error(
        "EnableKeyRotation",
        "{" + keyId() + ",\"RotationPeriodInDays\":10}",
        "ValidationException");
  }

  @Test
  void scheduleAndCancelKeyDeletion() {
    JsonNode s =
        ok(
            "ScheduleKeyDeletion",
            "{" + keyId() + ",\"PendingWindowInDays\":7}",
            "ScheduleKeyDeletionResponse");
    assertThat(s.get("KeyId").asText()).isEqualTo(key.arn());
    assertThat(s.get("KeyState").asText()).isEqualTo("PendingDeletion");
    assertThat(s.get("PendingWindowInDays").asInt()).isEqualTo(7);
    JsonNode m = ok("DescribeKey", "{" + keyId() + "}", "DescribeKeyResponse").get("KeyMetadata");
    assertThat(m.get("DeletionDate").asDouble()).isEqualTo(s.get("DeletionDate").asDouble());
    assertThat(
            ok("CancelKeyDeletion", "{" + keyId() + "}", "CancelKeyDeletionResponse")
                .get("KeyId")
                .asText())
        .isEqualTo(key.arn());
    error(
        "ScheduleKeyDeletion",
        "{" + keyId() + ",\"PendingWindowInDays\":3}",
        "ValidationException");
  }

  @Test
  void keyPolicies() {
    JsonNode p =
        ok("GetKeyPolicy", "{" + keyId() + ",\"PolicyName\":\"default\"}", "GetKeyPolicyResponse");
    assertThat(p.get("PolicyName").asText()).isEqualTo("default");
    assertThat(p.get("Policy").asText()).contains("kms:*");
    String policy = p.get("Policy").asText().replace("\"", "\\\"").replace("\n", "");
    ok(
        "PutKeyPolicy",
        "{" + keyId() + ",\"PolicyName\":\"default\",\"Policy\":\"" + policy + "\"}",
        "Empty");
    error(
        "PutKeyPolicy", "{" + keyId() + ",\"Policy\":\"{}\"}", "MalformedPolicyDocumentException");
  }

  @Test
  void badRequestsGetKmsErrors() {
    assertThat(error("DescribeKey", "{}", "ValidationException").get("message").asText())
        .isEqualTo(
            "1 validation error detected: Value null at 'keyId' failed to satisfy constraint:"
                + " Member must not be null");
    error("DescribeKey", "{\"KeyId\":", "SerializationException");
    error("DescribeKey", "[1,2]", "SerializationException");
    error("DescribeKey", "{\"KeyId\":42}", "SerializationException");
    error("Decrypt", "{\"CiphertextBlob\":\"***\"}", "SerializationException");
    error(
        "Encrypt",
        "{"
            + keyId()
            + ",\"Plaintext\":\""
            + Base64.getEncoder().encodeToString(new byte[4097])
            + "\"}",
        "ValidationException");
    error("DescribeKey", "{\"KeyId\":\"alias/none\"}", "NotFoundException");
    Response r =
        wire.send(
            "Frobnicate",
            "{}",
            LocalKms.accessKeyId(LocalKms.OWNER),
            LocalKms.secret(LocalKms.OWNER));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("__type").asText()).isEqualTo("UnknownOperationException");
  }
}
