package dev.coffer.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyDescription;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditOutcome;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.kms.testkit.LocalKms;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The aws-kms provider through the SDK over HTTP against a {@link
 * dev.coffer.kms.endpoint.KmsEndpoint}.
 */
class AwsKmsKeyProviderTest {
  private static final EncryptionContext CTX =
      EncryptionContext.of("store", "s1", "table", "t1", "purpose", "page", "version", "1");

  private LocalKms kms;
  private AwsKmsKeyProvider provider;
  private KeyDescription key;

  @BeforeEach
  void setUp() {
    kms = LocalKms.start();
    provider = kms.provider(LocalKms.OWNER);
    key = kms.keys().createKey(CreateKeyRequest.withDescription("table keys"));
  }

  @AfterEach
  void tearDown() {
    kms.close();
  }

  @Test
  void generateDataKeyThenDecryptReturnsTheSameKey() {
    try (DataKey dk = provider.generateDataKey(key.arn(), CTX);
        SecretBytes back = provider.decrypt(dk.wrapped(), CTX)) {
      assertThat(dk.plaintext().length()).isEqualTo(32);
      assertThat(dk.wrapped().keyId()).isEqualTo(key.arn());
      assertThat(dk.masterKeyVersion()).isZero();
      assertThat(back.contentEquals(dk.plaintext())).isTrue();
    }
  }

  @Test
  void decryptUnderAnotherContextFailsWithInvalidCiphertext() {
    try (DataKey dk = provider.generateDataKey(key.keyId(), CTX)) {
      EncryptionContext other =
          EncryptionContext.of("store", "s1", "table", "t2", "purpose", "page", "version", "1");
      assertThatThrownBy(() -> provider.decrypt(dk.wrapped(), other))
          .isInstanceOf(InvalidCiphertextException.class)
          .satisfies(
              e ->
                  assertThat(((InvalidCiphertextException) e).errorCode())
                      .isEqualTo("InvalidCiphertextException"));
    }
  }

  @Test
  void decryptNamingAnotherKeyFailsWithIncorrectKey() {
    KeyDescription other = kms.keys().createKey(CreateKeyRequest.withDescription("other"));
    try (DataKey dk = provider.generateDataKey(key.arn(), CTX)) {
      WrappedKey lying = WrappedKey.of(other.arn(), dk.wrapped().ciphertextBlob());
      assertThatThrownBy(() -> provider.decrypt(lying, CTX))
          .isInstanceOf(IncorrectKeyException.class);
    }
  }

  @Test
  void aKmsAnsweringWithAnotherKeyIsRefused() {
    assertThat(
            AwsKmsKeyProvider.sameKey(
                "arn:aws:kms:us-east-1:111122223333:key/a",
                "arn:aws:kms:us-east-1:111122223333:key/a"))
        .isTrue();
    assertThat(
            AwsKmsKeyProvider.sameKey(
                "arn:aws:kms:us-east-1:111122223333:key/a",
                "arn:aws:kms:us-east-1:111122223333:key/b"))
        .isFalse();
    assertThat(
            AwsKmsKeyProvider.sameKey(
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
        .isTrue();
    assertThat(
            AwsKmsKeyProvider.sameKey(
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:us-east-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab"))
        .isFalse();
    assertThat(AwsKmsKeyProvider.sameKey("arn:aws:kms:us-east-1:111122223333:key/a", null))
        .isFalse();
  }

  @Test
  void encryptThenDecryptAndTamperedBlobFails() {
    byte[] secret = {1, 2, 3, 4, 5, 6, 7, 8};
    WrappedKey w = provider.encrypt(key.arn(), SecretBytes.copyOf(secret), CTX);
    try (SecretBytes back = provider.decrypt(w, CTX)) {
      assertThat(back.copyBytes()).containsExactly(secret);
    }
    byte[] blob = w.ciphertextBlob();
    blob[blob.length - 1] ^= 1;
    assertThatThrownBy(() -> provider.decrypt(WrappedKey.of(w.keyId(), blob), CTX))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void reEncryptMovesAKeyToAnotherMasterKeyWithoutChangingIt() {
    KeyDescription next = kms.keys().createKey(CreateKeyRequest.withDescription("next"));
    try (DataKey dk = provider.generateDataKey(key.arn(), CTX)) {
      WrappedKey moved = provider.reEncrypt(dk.wrapped(), CTX, next.arn());
      assertThat(moved.keyId()).isEqualTo(next.arn());
      assertThat(Arrays.equals(moved.ciphertextBlob(), dk.wrapped().ciphertextBlob())).isFalse();
      try (SecretBytes back = provider.decrypt(moved, CTX)) {
        assertThat(back.contentEquals(dk.plaintext())).isTrue();
      }
    }
  }

  @Test
  void generateDataKeyWithoutPlaintextCanBeDecryptedLater() {
    WrappedKey w = provider.generateDataKeyWithoutPlaintext(key.arn(), CTX);
    try (SecretBytes back = provider.decrypt(w, CTX)) {
      assertThat(back.length()).isEqualTo(32);
    }
  }

  @Test
  void describeKeyMapsMetadataAliasesAndRotation() {
    kms.keys().createAlias("alias/coffer-tables", key.keyId());
    kms.keys().enableKeyRotation(key.keyId(), 180);
    KeyDescription d = provider.describeKey("alias/coffer-tables");
    assertThat(d.keyId()).isEqualTo(key.keyId());
    assertThat(d.arn()).isEqualTo(key.arn());
    assertThat(d.aliases()).containsExactly("alias/coffer-tables");
    assertThat(d.description()).isEqualTo("table keys");
    assertThat(d.state()).isEqualTo(KeyState.ENABLED);
    assertThat(d.creationDate()).isEqualTo(key.creationDate());
    assertThat(d.rotationEnabled()).isTrue();
    assertThat(d.rotationPeriodInDays()).isEqualTo(180);
    assertThat(d.currentKeyVersion()).isZero();

    kms.keys().scheduleKeyDeletion(key.keyId(), 7);
    KeyDescription pending = provider.describeKey(key.arn());
    assertThat(pending.state()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(pending.deletionDate()).isPresent();
  }

  @Test
  void describeKeyWithoutListAliasesPermissionStillWorks() {
    kms.keys()
        .putKeyPolicy(
            key.keyId(),
            """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/carol"},"Action":"kms:DescribeKey","Resource":"*"}
        ]}""");
    KeyDescription d = kms.provider("carol").describeKey(key.arn());
    assertThat(d.rotationEnabled()).isFalse();
    assertThat(d.state()).isEqualTo(KeyState.ENABLED);
  }

  @Test
  void everyCallIsAuditedOnceWithoutKeyMaterial() {
    try (DataKey dk = provider.generateDataKey(key.arn(), CTX)) {
      provider.decrypt(dk.wrapped(), CTX).destroy();
      assertThat(kms.providerAudit())
          .extracting(AuditRecord::action)
          .containsExactly("kms:GenerateDataKey", "kms:Decrypt");
      AuditRecord r = kms.providerAudit().get(1);
      assertThat(r.source()).isEqualTo("aws-kms");
      assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
      assertThat(r.keyId()).isEqualTo(key.arn());
      assertThat(r.encryptionContext()).isEqualTo(CTX);
      assertThat(r.principal()).isEqualTo("arn:aws:iam::111122223333:root");
      String b64 = Base64.getEncoder().encodeToString(dk.plaintext().copyBytes());
      assertThat(kms.providerAudit()).allSatisfy(a -> assertThat(a.toString()).doesNotContain(b64));
    }
  }

  @Test
  void closeDoesNotCloseAClientTheCallerOwns() {
    KmsClient client = kms.client(LocalKms.OWNER);
    AwsKmsKeyProvider p = AwsKmsKeyProvider.builder().kmsClient(client).build();
    p.close();
    assertThat(client.describeKey(r -> r.keyId(key.arn())).keyMetadata().arn())
        .isEqualTo(key.arn());
    assertThatThrownBy(() -> p.describeKey(key.arn())).hasMessageContaining("closed");
  }

  @Test
  void builderRefusesClientSettingsNextToAClient() {
    KmsClient client = kms.client(LocalKms.OWNER);
    assertThatThrownBy(
            () -> AwsKmsKeyProvider.builder().kmsClient(client).region("us-east-1").build())
        .isInstanceOf(IllegalStateException.class);
  }
}
