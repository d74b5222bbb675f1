package dev.coffer.server.internal.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link KmsService}: the endpoint's operations without HTTP, as each principal. */
class KmsServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode body(KmsService.Answer a) throws Exception {
    return JSON.readTree(a.body());
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyListedOperationIsServed() {
    try (InMemoryKeyProvider keys = InMemoryKeyProvider.create();
        KmsService service = KmsService.create(keys, "us-east-1")) {
      assertThat(service.operations())
          .containsExactlyInAnyOrder(
              "CreateKey",
              "DescribeKey",
              "ListKeys",
              "CreateAlias",
              "UpdateAlias",
              "DeleteAlias",
              "ListAliases",
              "Encrypt",
              "Decrypt",
              "ReEncrypt",
              "GenerateDataKey",
              "GenerateDataKeyWithoutPlaintext",
              "EnableKey",
              "DisableKey",
              "EnableKeyRotation",
              "DisableKeyRotation",
              "GetKeyRotationStatus",
              "RotateKeyOnDemand",
              "ScheduleKeyDeletion",
              "CancelKeyDeletion",
              "GetKeyPolicy",
              "PutKeyPolicy",
              "TagResource",
              "UntagResource",
              "ListResourceTags",
              "ListKeyRotations",
              "ListKeyPolicies",
              "UpdateKeyDescription",
              "GenerateRandom");
    }
  }

  @Test
  void runsOperationsAsThePrincipalWithTheEndpointsErrors() throws Exception {
    try (InMemoryKeyProvider keys = InMemoryKeyProvider.create();
        KmsService service = KmsService.create(keys, "eu-west-2")) {
      String keyId = keys.createKey(CreateKeyRequest.withDescription("k")).keyId();
      KmsService.Answer listed =
          service.handle("TrentService.ListKeys", KmsService.CONTENT_TYPE, json("{}"), "root");
      assertThat(listed.status()).isEqualTo(200);
      assertThat(body(listed).at("/Keys/0/KeyId").asText()).isEqualTo(keyId);

      KmsService.Answer enc =
          service.handle(
              "TrentService.Encrypt",
              KmsService.CONTENT_TYPE,
              json("{\"KeyId\": \"" + keyId + "\", \"Plaintext\": \"aGVsbG8=\"}"),
              "root");
      assertThat(enc.status()).isEqualTo(200);
      String blob = body(enc).get("CiphertextBlob").asText();
      KmsService.Answer denied =
          service.handle(
              "TrentService.Decrypt",
              KmsService.CONTENT_TYPE,
              json("{\"CiphertextBlob\": \"" + blob + "\"}"),
              "bob");
      assertThat(denied.status()).isEqualTo(400);
      assertThat(body(denied).get("__type").asText()).isEqualTo("AccessDeniedException");
      assertThat(body(denied).get("message").asText())
          .contains("user/bob is not authorized to perform: kms:Decrypt");

      JsonNode unknown =
          body(
              service.handle(
                  "TrentService.NoSuchOperation", KmsService.CONTENT_TYPE, json("{}"), "root"));
      assertThat(unknown.get("__type").asText()).isEqualTo("UnknownOperationException");
      assertThat(unknown.get("message").asText())
          .isEqualTo(
              "The operation TrentService.NoSuchOperation is not supported by this endpoint.");
      assertThat(
              body(service.handle(null, KmsService.CONTENT_TYPE, json("{}"), "root"))
                  .get("message")
                  .asText())
          .isEqualTo("Missing X-Amz-Target.");
      assertThat(
              body(service.handle("TrentService.ListKeys", "application/json", json("{}"), "root"))
                  .get("__type")
                  .asText())
          .isEqualTo("SerializationException");
      assertThat(
              body(service.handle(
                      "TrentService.ListKeys", KmsService.CONTENT_TYPE, json("[1]"), "root"))
                  .get("__type")
                  .asText())
          .isEqualTo("SerializationException");
      KmsService.Answer refusal = KmsService.error(503, "ThrottlingException", "Rate exceeded");
      assertThat(refusal.status()).isEqualTo(503);
      assertThat(body(refusal).get("message").asText()).isEqualTo("Rate exceeded");
    }
  }

  /**
   * Found by KmsProtocolFuzzTest: an alias name with a DEL character came back raw in the message.
   */
  @Test
  void errorMessagesAreOnePrintableLine() throws Exception {
    try (InMemoryKeyProvider keys = InMemoryKeyProvider.create();
        KmsService service = KmsService.create(keys, "us-east-1")) {
      String keyId = keys.createKey(CreateKeyRequest.withDescription("k")).keyId();
      KmsService.Answer a =
          service.handle(
              "TrentService.CreateAlias",
              KmsService.CONTENT_TYPE,
              json(
                  "{\"AliasName\": \"alias/a\u007f\\n\\u0085b\", \"TargetKeyId\": \""
                      + keyId
                      + "\"}"),
              "root");
      assertThat(a.status()).isEqualTo(400);
      assertThat(body(a).get("message").asText()).endsWith(": alias/a???b");
    }
    assertThat(KmsService.printable("x".repeat(5000)))
        .hasSize(KmsService.MAX_MESSAGE_CHARS + 3)
        .endsWith("...");
    assertThat(KmsService.printable("\ud83d\ude00 \ud83d")).isEqualTo("\ud83d\ude00 ?");
  }
}
