package dev.coffer.kms.endpoint;

import static dev.coffer.kms.endpoint.WireShapes.assertShape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.endpoint.SignedJson.Response;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations and fixes of issue 12 (part 3) on the wire, field by field against the KMS API
 * reference: TagResource, UntagResource, ListResourceTags, ListKeyRotations, ListKeyPolicies,
 * UpdateKeyDescription, GenerateRandom, GenerateDataKey's KeySpec AES_128 and NumberOfBytes,
 * ReEncrypt to another encryption context, ListAliases' dates, strict JSON, and the region of ARNs.
 */
class NewOperationsWireTest {
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

  private Response send(String operation, String body) {
    return wire.send(
        operation, body, LocalKms.accessKeyId(LocalKms.OWNER), LocalKms.secret(LocalKms.OWNER));
  }

  private JsonNode ok(String operation, String body, String shape) {
    Response r = send(operation, body);
    assertThat(r.status()).as(operation + " " + r.body()).isEqualTo(200);
    assertShape(r.body(), shape);
    return r.body();
  }

  private JsonNode error(String operation, String body, String type) {
    Response r = send(operation, body);
    assertThat(r.status()).as(operation + " " + r.body()).isEqualTo(400);
    assertShape(r.body(), "Error");
    assertThat(r.body().get("__type").asText()).isEqualTo(type);
    return r.body();
  }

  private String keyId() {
    return "\"KeyId\":\"" + key.keyId() + "\"";
  }

  @Test
  void tagsGivenToCreateKeyAndTagResourceAreReadBack() {
    JsonNode created =
        ok(
            "CreateKey",
            "{\"Tags\":[{\"TagKey\":\"team\",\"TagValue\":\"db\"}]}",
            "CreateKeyResponse");
    String id = created.get("KeyMetadata").get("KeyId").asText();
    JsonNode tags =
        ok("ListResourceTags", "{\"KeyId\":\"" + id + "\"}", "ListResourceTagsResponse");
    assertThat(tags.get("Tags")).hasSize(1);
    assertThat(tags.get("Tags").get(0).get("TagKey").asText()).isEqualTo("team");
    assertThat(tags.get("Tags").get(0).get("TagValue").asText()).isEqualTo("db");
    assertThat(tags.get("Truncated").asBoolean()).isFalse();

    assertThat(
            send(
                    "TagResource",
                    "{\"KeyId\":\""
                        + id
                        + "\",\"Tags\":[{\"TagKey\":\"env\",\"TagValue\":\"prod\"},"
                        + "{\"TagKey\":\"team\",\"TagValue\":\"ops\"}]}")
                .status())
        .isEqualTo(200);
    JsonNode page =
        ok(
            "ListResourceTags",
            "{\"KeyId\":\"" + id + "\",\"Limit\":1}",
            "ListResourceTagsResponse");
    assertThat(page.get("Tags")).hasSize(1);
    assertThat(page.get("Truncated").asBoolean()).isTrue();
    JsonNode rest =
        ok(
            "ListResourceTags",
            "{\"KeyId\":\"" + id + "\",\"Marker\":\"" + page.get("NextMarker").asText() + "\"}",
            "ListResourceTagsResponse");
    assertThat(rest.get("Tags").get(0).get("TagValue").asText()).isEqualTo("ops");

    assertThat(
            send("UntagResource", "{\"KeyId\":\"" + id + "\",\"TagKeys\":[\"team\",\"absent\"]}")
                .status())
        .isEqualTo(200);
    assertThat(
            ok("ListResourceTags", "{\"KeyId\":\"" + id + "\"}", "ListResourceTagsResponse")
                .get("Tags"))
        .hasSize(1);
    error(
        "TagResource",
        "{\"KeyId\":\"" + id + "\",\"Tags\":[{\"TagKey\":\"aws:x\",\"TagValue\":\"\"}]}",
        "TagException");
    error("ListResourceTags", "{\"KeyId\":\"" + id + "\",\"Limit\":51}", "ValidationException");
    error("UntagResource", "{\"KeyId\":\"" + id + "\",\"TagKeys\":[]}", "ValidationException");
  }

  @Test
  void updateKeyDescription() {
    assertThat(
            send("UpdateKeyDescription", "{" + keyId() + ",\"Description\":\"renamed\"}").status())
        .isEqualTo(200);
    assertThat(kms.keys().describeKey(key.keyId()).description()).isEqualTo("renamed");
    error("UpdateKeyDescription", "{" + keyId() + "}", "ValidationException");
    error(
        "UpdateKeyDescription",
        "{" + keyId() + ",\"Description\":\"" + "x".repeat(8193) + "\"}",
        "ValidationException");
  }

  @Test
  void listKeyRotationsAndKeyPolicies() {
    assertThat(
            ok("ListKeyRotations", "{" + keyId() + "}", "ListKeyRotationsResponse")
                .get("Rotations"))
        .isEmpty();
    ok("RotateKeyOnDemand", "{" + keyId() + "}", "RotateKeyOnDemandResponse");
    JsonNode r = ok("ListKeyRotations", "{" + keyId() + "}", "ListKeyRotationsResponse");
    assertThat(r.get("Rotations")).hasSize(1);
    assertShape(r.get("Rotations").get(0), "RotationsListEntry");
    assertThat(r.get("Rotations").get(0).get("RotationType").asText()).isEqualTo("ON_DEMAND");
    assertThat(r.get("Rotations").get(0).get("KeyId").asText()).isEqualTo(key.keyId());
    JsonNode p = ok("ListKeyPolicies", "{" + keyId() + "}", "ListKeyPoliciesResponse");
    assertThat(p.get("PolicyNames")).hasSize(1);
    assertThat(p.get("PolicyNames").get(0).asText()).isEqualTo("default");
    assertThat(p.get("Truncated").asBoolean()).isFalse();
  }

  @Test
  void generateRandomAndDataKeysOfEverySize() {
    JsonNode random = ok("GenerateRandom", "{\"NumberOfBytes\":1024}", "GenerateRandomResponse");
    assertThat(Base64.getDecoder().decode(random.get("Plaintext").asText())).hasSize(1024);
    error("GenerateRandom", "{\"NumberOfBytes\":0}", "ValidationException");
    error("GenerateRandom", "{\"NumberOfBytes\":1025}", "ValidationException");
    error("GenerateRandom", "{}", "ValidationException");

    JsonNode aes128 =
        ok(
            "GenerateDataKey",
            "{" + keyId() + ",\"KeySpec\":\"AES_128\"}",
            "GenerateDataKeyResponse");
    assertThat(Base64.getDecoder().decode(aes128.get("Plaintext").asText())).hasSize(16);
    for (int n : new int[] {1, 64, 1024}) {
      JsonNode dk =
          ok(
              "GenerateDataKey",
              "{" + keyId() + ",\"NumberOfBytes\":" + n + "}",
              "GenerateDataKeyResponse");
      assertThat(Base64.getDecoder().decode(dk.get("Plaintext").asText())).hasSize(n);
      JsonNode back =
          ok(
              "Decrypt",
              "{\"CiphertextBlob\":\"" + dk.get("CiphertextBlob").asText() + "\"}",
              "DecryptResponse");
      assertThat(back.get("Plaintext").asText()).isEqualTo(dk.get("Plaintext").asText());
    }
    ok(
        "GenerateDataKeyWithoutPlaintext",
        "{" + keyId() + ",\"KeySpec\":\"AES_128\"}",
        "GenerateDataKeyWithoutPlaintextResponse");
    error("GenerateDataKey", "{" + keyId() + ",\"NumberOfBytes\":1025}", "ValidationException");
    error("GenerateDataKey", "{" + keyId() + ",\"KeySpec\":\"AES_512\"}", "ValidationException");
  }

  @Test
  void reEncryptToAnotherOrNoEncryptionContext() {
    JsonNode enc =
        ok(
            "Encrypt",
            "{" + keyId() + ",\"Plaintext\":\"aGVsbG8=\",\"EncryptionContext\":{\"a\":\"1\"}}",
            "EncryptResponse");
    String blob = enc.get("CiphertextBlob").asText();
    JsonNode changed =
        ok(
            "ReEncrypt",
            "{\"CiphertextBlob\":\""
                + blob
                + "\",\"DestinationKeyId\":\""
                + key.keyId()
                + "\",\"SourceEncryptionContext\":{\"a\":\"1\"},\"DestinationEncryptionContext\":{\"b\":\"2\"}}",
            "ReEncryptResponse");
    assertThat(changed.get("SourceKeyId").asText()).isEqualTo(key.arn());
    JsonNode opened =
        ok(
            "Decrypt",
            "{\"CiphertextBlob\":\""
                + changed.get("CiphertextBlob").asText()
                + "\",\"EncryptionContext\":{\"b\":\"2\"}}",
            "DecryptResponse");
    assertThat(opened.get("Plaintext").asText()).isEqualTo("aGVsbG8=");
    JsonNode dropped =
        ok(
            "ReEncrypt",
            "{\"CiphertextBlob\":\""
                + blob
                + "\",\"DestinationKeyId\":\""
                + key.keyId()
                + "\",\"SourceEncryptionContext\":{\"a\":\"1\"}}",
            "ReEncryptResponse");
    ok(
        "Decrypt",
        "{\"CiphertextBlob\":\"" + dropped.get("CiphertextBlob").asText() + "\"}",
        "DecryptResponse");
    error(
        "Decrypt",
        "{\"CiphertextBlob\":\""
            + dropped.get("CiphertextBlob").asText()
            + "\",\"EncryptionContext\":{\"a\":\"1\"}}",
        "InvalidCiphertextException");
  }

  @Test
  void listAliasesHasDates() {
    ok(
        "CreateAlias",
        "{\"AliasName\":\"alias/dated\",\"TargetKeyId\":\"" + key.keyId() + "\"}",
        "Empty");
    JsonNode a = ok("ListAliases", "{}", "ListAliasesResponse").get("Aliases").get(0);
    assertThat(a.has("CreationDate")).isTrue();
    assertThat(a.has("LastUpdatedDate")).isTrue();
    assertThat(a.get("LastUpdatedDate").asDouble())
        .isGreaterThanOrEqualTo(a.get("CreationDate").asDouble());
  }

  @Test
  void jsonWithTrailingDataOrDuplicateMembersIsRefusedInPlainWords() {
    JsonNode trailing = error("DescribeKey", "{" + keyId() + "} {}", "SerializationException");
    assertThat(trailing.get("message").asText())
        .isEqualTo("The request body has data after its JSON object.");
    JsonNode garbage = error("DescribeKey", "{" + keyId() + "} garbage", "SerializationException");
    assertThat(garbage.get("message").asText())
        .startsWith("The request body is not valid JSON (at byte ");
    JsonNode dup =
        error("DescribeKey", "{" + keyId() + "," + keyId() + "}", "SerializationException");
    assertThat(dup.get("message").asText())
        .isEqualTo("The request body has a duplicated member 'KeyId'.");
    JsonNode bad = error("DescribeKey", "{\"KeyId\": tru", "SerializationException");
    assertThat(bad.get("message").asText())
        .startsWith("The request body is not valid JSON")
        .doesNotContain("Unexpected", "token", "code ", "Source:", "jackson");
    JsonNode unknown = error("CreateGrant", "{}", "UnknownOperationException");
    assertThat(unknown.get("message").asText()).contains("TrentService.CreateGrant");
  }

  @Test
  void theServedRegionNamesTheArns() {
    InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    try (KmsEndpoint london =
        KmsEndpoint.builder()
            .keys(keys)
            .region("eu-west-2")
            .credentials("AKIALONDON", "london-secret", "root")
            .start()) {
      SignedJson euWire = new SignedJson(london.endpointUri(), "eu-west-2");
      Response created = euWire.send("CreateKey", "{}", "AKIALONDON", "london-secret");
      String arn = created.body().get("KeyMetadata").get("Arn").asText();
      assertThat(arn).startsWith("arn:aws:kms:eu-west-2:111122223333:key/");
      Response described =
          euWire.send("DescribeKey", "{\"KeyId\":\"" + arn + "\"}", "AKIALONDON", "london-secret");
      assertThat(described.status()).as(described.body().toString()).isEqualTo(200);
    }
  }
}
