package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, findings 3 and 7, on a real keystore file: a principal with no grants cannot bloat the
 * keystore through the provider, and a new keystore refuses a too short passphrase.
 */
class KeystoreLimitsTest {
  @TempDir Path dir;

  @Test
  void aPrincipalWithNoGrantsCannotBloatTheKeystoreThroughTheProvider() throws Exception {
    Path file = dir.resolve("keystore");
    byte[] raw = AesGcm.randomBytes(32);
    Map<String, String> tags = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      tags.put("k" + i, "v".repeat(256));
    }
    try (LocalKeyProvider owner =
            LocalKeyProvider.builder()
                .keystore(file)
                .rawKey(SecretBytes.wrap(raw.clone()))
                .auditSink(AuditSink.none())
                .build();
        LocalKeyProvider mallory = owner.asPrincipal("mallory")) {
      String key = owner.createKey(CreateKeyRequest.withDescription("owner's")).keyId();
      long size = Files.size(file);
      for (int i = 0; i < 70; i++) {
        assertThatThrownBy(
                () -> mallory.createKey(new CreateKeyRequest("x".repeat(8192), null, tags)))
            .isInstanceOf(AccessDeniedException.class);
      }
      assertThatThrownBy(() -> mallory.createAlias("alias/app", key))
          .isInstanceOf(AccessDeniedException.class);
      assertThat(Files.size(file)).isEqualTo(size);
    }
    try (LocalKeyProvider again =
        LocalKeyProvider.builder()
            .keystore(file)
            .rawKey(SecretBytes.wrap(raw))
            .createIfMissing(false)
            .auditSink(AuditSink.none())
            .build()) {
      assertThat(again.listKeys()).hasSize(1);
    }
  }

  @Test
  void aNewKeystoreRefusesAShortPassphraseButAnExistingOneOpensWithIt() {
    assertThatThrownBy(
            () ->
                LocalKeyProvider.builder()
                    .keystore(dir.resolve("k1"))
                    .passphrase("x".toCharArray())
                    .auditSink(AuditSink.none())
                    .build())
        .isInstanceOf(KmsValidationException.class)
        .hasMessageContaining("at least 8 characters");
    assertThat(dir.resolve("k1")).doesNotExist();
    try (LocalKeyProvider p =
        LocalKeyProvider.builder()
            .keystore(dir.resolve("k2"))
            .passphrase("eight ch".toCharArray())
            .argon2id(19456, 2, 1)
            .auditSink(AuditSink.none())
            .build()) {
      assertThat(p.listKeys()).isEmpty();
    }
  }
}
