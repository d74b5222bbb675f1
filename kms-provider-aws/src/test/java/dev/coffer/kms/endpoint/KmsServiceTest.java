package dev.coffer.kms.endpoint;

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
  void runsOperationsAsThePrincipalWithTheEndpointsErrors() throws Exception {
    try (InMemoryKeyProvider keys = InMemoryKeyProvider.create();
        KmsService service = KmsService.create(keys, "eu-west-2")) {
      String keyId = keys.createKey(CreateKeyRequest.withDescription("k")).keyId();
      KmsService.Answer listed = service.handle("ListKeys", KmsService.CONTENT_TYPE, json("{}"), "root");
      assertThat(listed.status()).isEqualTo(200);
      assertThat(body(listed).at("/Keys/0/KeyId").asText()).isEqualTo(keyId);

      KmsService.Answer enc = service.handle("Encrypt", KmsService.CONTENT_TYPE,
          json("{\"KeyId\": \"" + keyId + "\", \"Plaintext\": \"aGVsbG8=\"}"), "root");
      assertThat(enc.status()).isEqualTo(200);
      String blob = body(enc).get("CiphertextBlob").asText();
      KmsService.Answer denied = service.handle("Decrypt", KmsService.CONTENT_TYPE,
          json("{\"CiphertextBlob\": \"" + blob + "\"}"), "bob");
      assertThat(denied.status()).isEqualTo(400);
      assertThat(body(denied).get("__type").asText()).isEqualTo("AccessDeniedException");
      assertThat(body(denied).get("message").asText()).contains("user/bob is not authorized to perform: kms:Decrypt");

      assertThat(body(service.handle("NoSuchOperation", KmsService.CONTENT_TYPE, json("{}"), "root"))
          .get("__type").asText()).isEqualTo("UnknownOperationException");
      assertThat(service.knows("NoSuchOperation")).isFalse();
      assertThat(service.knows("Decrypt")).isTrue();
      assertThat(body(service.handle("ListKeys", "application/json", json("{}"), "root")).get("__type").asText())
          .isEqualTo("SerializationException");
      assertThat(body(service.handle("ListKeys", KmsService.CONTENT_TYPE, json("[1]"), "root")).get("__type")
          .asText()).isEqualTo("SerializationException");
      KmsService.Answer refusal = KmsService.error(503, "ThrottlingException", "Rate exceeded");
      assertThat(refusal.status()).isEqualTo(503);
      assertThat(body(refusal).get("message").asText()).isEqualTo("Rate exceeded");
    }
  }
}
