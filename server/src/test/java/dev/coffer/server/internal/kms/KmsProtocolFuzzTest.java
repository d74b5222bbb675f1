package dev.coffer.server.internal.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.internal.http.ProtocolHandler.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target: the KMS JSON 1.1 protocol of {@code coffer serve} and {@code coffer kms serve}
 * without HTTP: an operation and a request body through {@link KmsProtocol#handle} (so {@link
 * KmsService}: the target, the content type, {@code Request}'s strict JSON decoding, the operation)
 * over an in-memory key ring holding {@code alias/fuzz} (enabled, rotation on) and {@code
 * alias/fuzz-off} (disabled), as the principal {@code root} or, with {@code @bob}, a principal no
 * key policy names.
 *
 * <p><b>Input:</b> {@code Operation\n} (or {@code Operation@bob\n}) then the body, when the first
 * line names an operation served; otherwise the first byte picks the operation (in sorted order)
 * and the rest is the body. {@code RoundTrip\n} then a byte {@code f} and a plaintext: the
 * plaintext is encrypted under {@code alias/fuzz}, byte {@code f - 1} of the ciphertext blob
 * flipped (none for {@code f = 0}), and the blob decrypted. After an operation that changed the key
 * ring answered 200 the ring is made again, so that every input runs against the same keys.
 *
 * <p><b>Documented outcomes:</b> HTTP 200 with a JSON object (an empty body for the operations AWS
 * answers that way), or HTTP 400 with one of KMS's error names ({@link #ERRORS}) and a message of
 * one line (no control character, no unpaired surrogate, at most {@link
 * KmsService#MAX_MESSAGE_CHARS} characters and "..."). Never HTTP 500 ({@code
 * KMSInternalException}: the in-memory ring does not fail, so a 500 is an exception the service did
 * not expect) and never an exception out of {@code handle}. A decrypt returns the plaintext only
 * for the blob Encrypt made; a blob with one byte changed is refused (400), never decrypted.
 */
public class KmsProtocolFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = KmsService.CONTENT_TYPE;

  /** KMS's error names a request can cause here. */
  static final Set<String> ERRORS =
      Set.of(
          "ValidationException",
          "SerializationException",
          "NotFoundException",
          "InvalidCiphertextException",
          "InvalidKeyUsageException",
          "KMSInvalidStateException",
          "DisabledException",
          "AccessDeniedException",
          "AlreadyExistsException",
          "InvalidAliasNameException",
          "InvalidArnException",
          "MalformedPolicyDocumentException",
          "LimitExceededException",
          "UnsupportedOperationException",
          "InvalidMarkerException",
          "TagException",
          "IncorrectKeyException",
          "UnknownOperationException",
          "InvalidGrantTokenException");

  /** Operations that change nothing: every other one makes the ring be made again after a 200. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "DescribeKey",
          "ListKeys",
          "ListAliases",
          "Encrypt",
          "Decrypt",
          "ReEncrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateRandom",
          "GetKeyRotationStatus",
          "GetKeyPolicy",
          "ListResourceTags",
          "ListKeyRotations",
          "ListKeyPolicies");

  private static Ring ring;

  /** The key ring and the protocol over it. */
  private static final class Ring {
    final InMemoryKeyProvider keys =
        InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    final KmsProtocol protocol = new KmsProtocol(KmsService.create(keys, "us-east-1"), null);

    Ring() {
      String fuzz =
          setUp("CreateKey", "{\"Description\": \"fuzz\"}").at("/KeyMetadata/KeyId").asText();
      setUp("CreateAlias", "{\"AliasName\": \"alias/fuzz\", \"TargetKeyId\": \"" + fuzz + "\"}");
      setUp("EnableKeyRotation", "{\"KeyId\": \"" + fuzz + "\"}");
      String off =
          setUp("CreateKey", "{\"Description\": \"fuzz, disabled\"}")
              .at("/KeyMetadata/KeyId")
              .asText();
      setUp("CreateAlias", "{\"AliasName\": \"alias/fuzz-off\", \"TargetKeyId\": \"" + off + "\"}");
      setUp("DisableKey", "{\"KeyId\": \"" + off + "\"}");
    }

    private JsonNode setUp(String operation, String body) {
      Answer a =
          protocol.handle(
              KmsService.TARGET_PREFIX + operation,
              operation,
              CONTENT_TYPE,
              body.getBytes(StandardCharsets.UTF_8),
              "root");
      if (a.status() != 200) {
        throw new IllegalStateException(
            operation + ": " + new String(a.body(), StandardCharsets.UTF_8));
      }
      try {
        return a.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(a.body());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    void close() {
      protocol.close();
      keys.close();
    }
  }

  private static Ring ring() {
    if (ring == null) {
      ring = new Ring();
    }
    return ring;
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static synchronized void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Ring r = ring();
    List<String> operations = new ArrayList<>(KmsService.create(r.keys, "us-east-1").operations());
    String operation = null;
    String principal = "root";
    byte[] body = null;
    int newline = indexOf(input, (byte) '\n');
    if (newline > 0) {
      String first = new String(input, 0, newline, StandardCharsets.UTF_8);
      if (first.endsWith("@bob")) {
        first = first.substring(0, first.length() - 4);
        principal = "bob";
      }
      if (first.equals("RoundTrip")) {
        roundTrip(r, Arrays.copyOfRange(input, newline + 1, input.length));
        return;
      }
      if (operations.contains(first)) {
        operation = first;
        body = Arrays.copyOfRange(input, newline + 1, input.length);
      }
    }
    if (operation == null) {
      operation = operations.get((input[0] & 0xFF) % operations.size());
      body = Arrays.copyOfRange(input, 1, input.length);
    }
    Answer a =
        r.protocol.handle(
            KmsService.TARGET_PREFIX + operation, operation, CONTENT_TYPE, body, principal);
    checkAnswer(operation, a);
    if (a.status() == 200 && !READ_ONLY.contains(operation)) {
      r.close();
      ring = null;
    }
  }

  private static JsonNode checkAnswer(String operation, Answer a) {
    String text = new String(a.body(), StandardCharsets.UTF_8);
    assertThat(a.status()).as(operation + " answered " + text).isIn(200, 400);
    if (a.status() == 200 && a.body().length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(a.body());
    } catch (IOException e) {
      throw new AssertionError(operation + ": not JSON: " + text, e);
    }
    assertThat(answer != null && answer.isObject()).as(operation + ": " + text).isTrue();
    if (a.status() == 400) {
      assertThat(answer.path("__type").asText()).as(operation + ": " + text).isIn(ERRORS);
      String message = answer.path("message").asText();
      assertThat(message)
          .as(operation + ": " + text)
          .isNotBlank()
          .hasSizeLessThanOrEqualTo(KmsService.MAX_MESSAGE_CHARS + 3);
      // one line: no control character (C0, DEL, C1) and no unpaired surrogate; other characters a
      // client sent
      // (U+FFFD included) may be echoed
      assertThat(
              message
                  .codePoints()
                  .allMatch(
                      c ->
                          !Character.isISOControl(c)
                              && Character.getType(c) != Character.SURROGATE))
          .as(operation + ": message not one printable line: " + text)
          .isTrue();
    }
    return answer;
  }

  /** Encrypt, flip one byte of the blob (or none), decrypt: the plaintext back, or a refusal. */
  private static void roundTrip(Ring r, byte[] rest) {
    if (rest.length < 2) {
      return;
    }
    int flip = rest[0] & 0xFF;
    byte[] plaintext = Arrays.copyOfRange(rest, 1, rest.length);
    ObjectNode enc = JSON.createObjectNode();
    enc.put("KeyId", "alias/fuzz");
    enc.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
    Answer encrypted =
        r.protocol.handle(
            KmsService.TARGET_PREFIX + "Encrypt",
            "Encrypt",
            CONTENT_TYPE,
            enc.toString().getBytes(StandardCharsets.UTF_8),
            "root");
    JsonNode e = checkAnswer("Encrypt", encrypted);
    if (encrypted.status() != 200) {
      assertThat(plaintext.length)
          .as("Encrypt refused a plaintext of a valid size")
          .isGreaterThan(4096);
      return;
    }
    byte[] blob = Base64.getDecoder().decode(e.get("CiphertextBlob").asText());
    boolean changed = flip > 0 && flip - 1 < blob.length;
    if (changed) {
      blob[flip - 1] ^= 0x01;
    }
    ObjectNode dec = JSON.createObjectNode();
    dec.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
    Answer decrypted =
        r.protocol.handle(
            KmsService.TARGET_PREFIX + "Decrypt",
            "Decrypt",
            CONTENT_TYPE,
            dec.toString().getBytes(StandardCharsets.UTF_8),
            "root");
    JsonNode d = checkAnswer("Decrypt", decrypted);
    if (changed) {
      assertThat(decrypted.status()).as("a changed blob was decrypted: " + d).isEqualTo(400);
    } else {
      assertThat(decrypted.status()).as(d.toString()).isEqualTo(200);
      assertThat(Base64.getDecoder().decode(d.get("Plaintext").asText())).isEqualTo(plaintext);
    }
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length && i < 64; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
