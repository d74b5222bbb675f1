package dev.coffer.kms.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;
import dev.coffer.kms.SecretBytes;
import org.junit.jupiter.api.Test;

class InMemoryKeyProviderSmokeTest {
  @Test
  void roundTripAndDenial() {
    InMemoryKeyProvider owner = InMemoryKeyProvider.create();
    KeyDescription key = owner.createKey(CreateKeyRequest.withDescription("test"));
    EncryptionContext ctx = EncryptionContext.of("store", "s1", "purpose", "page");
    try (DataKey dk = owner.generateDataKey(key.keyId(), ctx);
        SecretBytes back = owner.decrypt(dk.wrapped(), ctx)) {
      assertThat(back.contentEquals(dk.plaintext())).isTrue();
      assertThatThrownBy(() -> owner.decrypt(dk.wrapped(), EncryptionContext.of("store", "s2")))
          .isInstanceOf(InvalidCiphertextException.class);
      assertThatThrownBy(() -> owner.asPrincipal("bob").decrypt(dk.wrapped(), ctx))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("arn:aws:iam::111122223333:user/bob")
          .hasMessageContaining("kms:Decrypt");
    }
  }

  @Test
  void foundByUri() {
    assertThat(KeyProviders.open("memory:", KeyProviderContext.defaults()).scheme())
        .isEqualTo("memory");
    assertThatThrownBy(() -> KeyProviders.open("nope:x"))
        .hasMessageContaining("Unknown key provider scheme 'nope'")
        .hasMessageContaining("memory:");
  }
}
