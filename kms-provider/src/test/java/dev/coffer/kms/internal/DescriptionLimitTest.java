package dev.coffer.kms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import org.junit.jupiter.api.Test;

/**
 * AWS KMS's limit on a key's description (CreateKey and UpdateKeyDescription: at most 8192
 * characters), enforced by the key ring, so the command line, the KMS endpoint and the Java API all
 * get it (a finding of the bad-input matrix, docs/fuzzing.md): KMS's {@code ValidationException}
 * with its wording, before authorization, and nothing changed.
 */
class DescriptionLimitTest {
  private static final String AWS_MESSAGE =
      "1 validation error detected: Value at 'description' failed to satisfy"
          + " constraint: Member must have length less than or equal to 8192";

  private final InMemoryKeyProvider p =
      InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();

  @Test
  void createKeyTakes8192CharactersAndRefuses8193() {
    String longest = "d".repeat(8192);
    assertThat(p.createKey(CreateKeyRequest.withDescription(longest)).description())
        .isEqualTo(longest);

    KmsValidationException e =
        catchThrowableOfType(
            KmsValidationException.class,
            () -> p.createKey(CreateKeyRequest.withDescription("d".repeat(8193))));
    assertThat(e.errorCode()).isEqualTo("ValidationException");
    assertThat(e.getMessage()).isEqualTo(AWS_MESSAGE);
    assertThat(e.action()).isEqualTo("kms:CreateKey");
    assertThat(p.listKeys()).hasSize(1);
  }

  @Test
  void theLimitCountsCharactersNotBytes() {
    // 8192 three-byte characters: 24576 bytes of UTF-8, still within the limit.
    String wide = "\u20ac".repeat(8192);
    assertThat(p.createKey(CreateKeyRequest.withDescription(wide)).description()).isEqualTo(wide);
  }

  @Test
  void updateKeyDescriptionRefuses8193CharactersAndKeepsTheOldOne() {
    String id = p.createKey(CreateKeyRequest.withDescription("before")).keyId();

    KmsValidationException e =
        catchThrowableOfType(
            KmsValidationException.class, () -> p.updateKeyDescription(id, "u".repeat(8193)));
    assertThat(e.getMessage()).isEqualTo(AWS_MESSAGE);
    assertThat(e.action()).isEqualTo("kms:UpdateKeyDescription");
    assertThat(p.describeKey(id).description()).isEqualTo("before");

    p.updateKeyDescription(id, "u".repeat(8192));
    assertThat(p.describeKey(id).description()).hasSize(8192);
  }

  @Test
  void aMalformedRequestIsRefusedBeforeAuthorization() {
    String id = p.createKey(CreateKeyRequest.withDescription("k")).keyId();
    try (InMemoryKeyProvider mallory = p.asPrincipal("mallory")) {
      assertThat(
              catchThrowableOfType(
                  KmsValidationException.class,
                  () -> mallory.createKey(CreateKeyRequest.withDescription("m".repeat(8193)))))
          .hasMessage(AWS_MESSAGE);
      assertThat(
              catchThrowableOfType(
                  KmsValidationException.class,
                  () -> mallory.updateKeyDescription(id, "m".repeat(8193))))
          .hasMessage(AWS_MESSAGE);
    }
    assertThat(p.describeKey(id).description()).isEqualTo("k");
  }
}
