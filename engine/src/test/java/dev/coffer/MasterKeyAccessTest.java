package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.DisabledException;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.memory.FaultInjector;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store needs the right master key, enabled, with kms:Decrypt allowed; otherwise open
 * fails with the provider's exception (naming key and action) and leaves nothing open, so a later
 * open with the right settings works.
 */
class MasterKeyAccessTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  @BeforeEach
  void createStore() {
    try (Coffer c = stores.open(dir)) {
      c.createTable(TableSpec.builder().name("users").partitionKey("id", AttributeType.S).build())
          .putItem(Item.builder().string("id", "u1").build());
    }
  }

  private void assertStillOpensWithTheRightKey() {
    try (Coffer c = stores.open(dir)) {
      assertThat(c.table("users").getItem(Key.of("u1"))).isPresent();
    }
  }

  @Test
  void wrongMasterKeyFailsWithIncorrectKey() {
    String other = stores.provider.createKey(CreateKeyRequest.withDescription("other")).keyId();
    assertThatThrownBy(() -> Coffer.open(dir, stores.options().masterKeyId(other).build()))
        .isInstanceOf(IncorrectKeyException.class)
        .satisfies(
            e -> {
              assertThat(((KeyProviderException) e).keyId()).contains(other);
              assertThat(((KeyProviderException) e).action()).isEqualTo("kms:Decrypt");
            });
    assertStillOpensWithTheRightKey();
  }

  @Test
  void anotherProviderWithoutTheMasterKeyFailsWithItsOwnException() {
    // another key store: its answer (NotFoundException, or InvalidCiphertextException for a blob it
    // did not make, as AWS KMS answers) reaches the caller unchanged
    InMemoryKeyProvider empty = InMemoryKeyProvider.create();
    assertThatThrownBy(
            () ->
                Coffer.open(
                    dir,
                    CofferOptions.builder().keyProvider(empty).masterKeyId(stores.keyId).build()))
        .isInstanceOfAny(NotFoundException.class, InvalidCiphertextException.class)
        .satisfies(e -> assertThat(((KeyProviderException) e).action()).isEqualTo("kms:Decrypt"));
    assertStillOpensWithTheRightKey();
  }

  @Test
  void revokedDecryptFailsWithAccessDenied() {
    FaultInjector.of(stores.provider).deny("kms:Decrypt");
    assertThatThrownBy(() -> stores.open(dir))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("kms:Decrypt")
        .satisfies(e -> assertThat(((KeyProviderException) e).action()).isEqualTo("kms:Decrypt"));
    FaultInjector.of(stores.provider).allow("kms:Decrypt");
    assertStillOpensWithTheRightKey();
  }

  @Test
  void principalTheKeyPolicyDoesNotAllowFailsWithAccessDenied() {
    InMemoryKeyProvider bob = stores.provider.asPrincipal("bob");
    assertThatThrownBy(
            () ->
                Coffer.open(
                    dir,
                    CofferOptions.builder().keyProvider(bob).masterKeyId(stores.keyId).build()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("user/bob")
        .hasMessageContaining("kms:Decrypt");
    assertStillOpensWithTheRightKey();
  }

  @Test
  void disabledKeyFailsWithDisabled() {
    stores.provider.disableKey(stores.keyId);
    assertThatThrownBy(() -> stores.open(dir))
        .isInstanceOf(DisabledException.class)
        .hasMessageContaining("is disabled");
    stores.provider.enableKey(stores.keyId);
    assertStillOpensWithTheRightKey();
  }

  @Test
  void noMasterKeyAndNoProviderDefaultIsAClearError() {
    assertThatThrownBy(
            () -> Coffer.open(dir, CofferOptions.builder().keyProvider(stores.provider).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("masterKeyId");
    assertStillOpensWithTheRightKey();
  }

  @Test
  void providerFoundByUri() {
    assertThatThrownBy(
            () ->
                Coffer.open(
                    dir,
                    CofferOptions.builder()
                        .keyProviderUri("memory:")
                        .masterKeyId(stores.keyId)
                        .build()))
        .isInstanceOfAny(NotFoundException.class, InvalidCiphertextException.class);
    assertStillOpensWithTheRightKey();
  }
}
