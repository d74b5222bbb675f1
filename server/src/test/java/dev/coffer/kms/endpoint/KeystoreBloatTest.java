package dev.coffer.kms.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Issue 15, finding 3, through the KMS endpoint over a real keystore file: a principal with no
 * grants cannot bloat the keystore with CreateKey (so cannot make it unreadable for its owner), nor
 * squat on an alias; the keystore stays intact and opens.
 */
class KeystoreBloatTest {
  @TempDir Path dir;

  @Test
  void aPrincipalWithNoGrantsCannotBloatTheKeystoreOrSquatAnAlias() throws Exception {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Path file = dir.resolve("keystore");
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tags.add(Tag.builder().tagKey("k" + i).tagValue("v".repeat(256)).build());
    }
    String ownerKey;
    try (LocalKeyProvider keys =
            LocalKeyProvider.builder()
                .keystore(file)
                .rawKey(SecretBytes.wrap(raw.clone()))
                .auditSink(AuditSink.none())
                .build();
        LocalKms kms = LocalKms.start(keys, new ArrayList<>(), Clock.systemUTC())) {
      ownerKey = keys.createKey(CreateKeyRequest.withDescription("owner's")).keyId();
      long before = Files.size(file);
      KmsClient mallory = kms.principal("mallory").client("mallory");
      for (int i = 0; i < 70; i++) {
        assertThatThrownBy(() -> mallory.createKey(r -> r.description("x".repeat(8192)).tags(tags)))
            .isInstanceOfSatisfying(
                KmsException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"))
            .hasMessageContaining("kms:CreateKey");
      }
      assertThatThrownBy(
              () -> mallory.createAlias(r -> r.aliasName("alias/app").targetKeyId(ownerKey)))
          .isInstanceOfSatisfying(
              KmsException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      assertThat(Files.size(file)).isEqualTo(before);
    }
    try (LocalKeyProvider again =
        LocalKeyProvider.builder()
            .keystore(file)
            .rawKey(SecretBytes.wrap(raw.clone()))
            .createIfMissing(false)
            .auditSink(AuditSink.none())
            .build()) {
      assertThat(again.listKeys()).hasSize(1);
      assertThat(again.listAliases(null)).isEmpty();
      assertThat(again.describeKey(ownerKey).tags()).isEqualTo(Map.of());
    }
  }
}
