package dev.coffer.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.KeystoreFile;
import dev.coffer.proto.KeystoreHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness of the keystore (issue 15, finding 1): a generation inside the authenticated contents,
 * refused when older than one already seen, exposed to stores as a {@link StateGeneration}.
 */
class KeystoreRollbackTest {
  private static final EncryptionContext CTX = EncryptionContext.of("t", "1");
  @TempDir Path dir;
  private final byte[] raw = AesGcm.randomBytes(32);

  private Path keystore() {
    return dir.resolve("keystore");
  }

  private Path lockFile() {
    return dir.resolve("keystore.lock");
  }

  private LocalKeyProvider openAt(Path keystore) {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(raw.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  private LocalKeyProvider open(String principal) {
    return LocalKeyProvider.builder()
        .keystore(keystore())
        .rawKey(SecretBytes.wrap(raw.clone()))
        .principal(principal)
        .auditSink(AuditSink.none())
        .build();
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aRunningProviderRefusesAKeystoreCopiedBack() throws Exception {
    try (LocalKeyProvider owner = open(null)) {
      String key = owner.createKey(CreateKeyRequest.withDescription("k")).keyId();
      owner.putKeyPolicy(
          key,
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
              + "\"Action\":\"kms:*\"},{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/bob\"},"
              + "\"Action\":\"kms:Decrypt\"}]}");
      WrappedKey blob = owner.generateDataKey(key, CTX).wrapped();
      Path old = dir.resolve("old");
      copy(keystore(), old);
      // Revoke bob's grant, then an attacker copies the old keystore back.
      owner.putKeyPolicy(
          key,
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
              + "\"Action\":\"kms:*\"}]}");
      try (LocalKeyProvider bob = owner.asPrincipal("bob")) {
        assertThatThrownBy(() -> bob.decrypt(blob, CTX)).isInstanceOf(AccessDeniedException.class);
        copy(old, keystore());
        assertThatThrownBy(() -> bob.decrypt(blob, CTX))
            .isInstanceOf(KeystoreRollbackException.class)
            .hasMessageContaining("rolled back");
        assertThatThrownBy(() -> owner.describeKey(key))
            .isInstanceOf(KeystoreRollbackException.class);
      }
    }
  }

  /**
   * The refusal goes by generation, whatever the newer keystore changed: a disabled key and a key
   * scheduled for deletion do not come back through a copy either (finding 1's other cases).
   */
  @Test
  void aDisabledKeyOrAKeyPendingDeletionDoesNotComeBackThroughACopy() throws Exception {
    try (LocalKeyProvider owner = open(null)) {
      String disabled = owner.createKey(CreateKeyRequest.withDescription("d")).keyId();
      String doomed = owner.createKey(CreateKeyRequest.withDescription("x")).keyId();
      WrappedKey blob = owner.generateDataKey(doomed, CTX).wrapped();
      Path old = dir.resolve("old");
      copy(keystore(), old);
      owner.disableKey(disabled);
      owner.scheduleKeyDeletion(doomed, 7);
      copy(old, keystore());
      assertThatThrownBy(() -> owner.generateDataKey(disabled, CTX))
          .isInstanceOf(KeystoreRollbackException.class);
      assertThatThrownBy(() -> owner.decrypt(blob, CTX))
          .isInstanceOf(KeystoreRollbackException.class);
    }
  }

  @Test
  void aNewProviderRefusesAKeystoreCopiedBackAloneThroughTheGenerationRecord() throws Exception {
    Path old = dir.resolve("old");
    try (LocalKeyProvider owner = open(null)) {
      String key = owner.createKey(CreateKeyRequest.withDescription("k")).keyId();
      copy(keystore(), old);
      owner.disableKey(key);
    }
    // At a path this process has never opened, so that only the generation record can tell (as in
    // a new process): the old keystore beside the newer record.
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    copy(old, elsewhere.resolve("keystore"));
    copy(lockFile(), elsewhere.resolve("keystore.lock"));
    assertThatThrownBy(() -> openAt(elsewhere.resolve("keystore")))
        .isInstanceOf(KeystoreRollbackException.class);
    // The same old keystore without the record opens there (the record is what refused it).
    Files.delete(elsewhere.resolve("keystore.lock"));
    Path fresh = Files.createDirectory(dir.resolve("fresh"));
    copy(old, fresh.resolve("keystore"));
    openAt(fresh.resolve("keystore")).close();
  }

  @Test
  void aProviderDoesNotWriteAVanishedKeystoreAgainFromItsCopyInMemory() throws Exception {
    try (LocalKeyProvider a = open(null)) {
      a.createKey(CreateKeyRequest.withDescription("k"));
      Files.delete(keystore());
      assertThatThrownBy(() -> a.createKey(CreateKeyRequest.withDescription("again")))
          .isInstanceOf(KeyProviderUnavailableException.class)
          .hasMessageContaining("has disappeared")
          .hasMessageContaining("not written again from memory");
      assertThat(keystore()).doesNotExist();
    }
  }

  @Test
  void aProviderNeverWritesAtOrBelowTheGenerationAnotherProcessRecorded() throws Exception {
    try (LocalKeyProvider a = open(null)) {
      a.createKey(CreateKeyRequest.withDescription("k"));
      StateGeneration now = a.stateGeneration().orElseThrow();
      String keystoreId = now.sourceId().substring("local-".length());
      // Another process wrote generation +5 and recorded it; the file here was then put back.
      try (SecretBytes k = SecretBytes.wrap(raw.clone())) {
        Files.write(lockFile(), KeystoreKeys.generationRecord(k, keystoreId, now.generation() + 5));
      }
      assertThatThrownBy(() -> a.createKey(CreateKeyRequest.withDescription("over it")))
          .isInstanceOf(KeystoreRollbackException.class)
          .hasMessageContaining("refusing to write generation");
    }
  }

  @Test
  void theFloorIsSharedByEveryPathToOneKeystoreFile() throws Exception {
    Path old = dir.resolve("old");
    try (LocalKeyProvider owner = open(null)) {
      String key = owner.createKey(CreateKeyRequest.withDescription("k")).keyId();
      copy(keystore(), old);
      owner.disableKey(key);
    }
    copy(old, keystore());
    Files.write(lockFile(), new byte[] {1, 2, 3}); // no record: only the in-process floor knows
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
    assertThatThrownBy(() -> openAt(link.resolve("keystore")))
        .isInstanceOf(KeystoreRollbackException.class);
    assertThatThrownBy(() -> openAt(dir.resolve("sub/../keystore")))
        .isInstanceOf(KeystoreRollbackException.class);
  }

  @Test
  void generationsGrowWithEveryChangeAndAStoreCanRequireOne() {
    try (LocalKeyProvider owner = open(null)) {
      StateGeneration g1 = owner.stateGeneration().orElseThrow();
      assertThat(g1.sourceId()).startsWith("local-");
      String key = owner.createKey(CreateKeyRequest.withDescription("k")).keyId();
      StateGeneration g2 = owner.stateGeneration().orElseThrow();
      assertThat(g1.isOlderThan(g2)).isTrue();
      assertThat(StateGeneration.decode(g2.encode())).isEqualTo(g2);
      owner.requireStateGeneration(g2); // as recorded: fine
      owner.requireStateGeneration(
          StateGeneration.of("local-elsewhere", 99)); // another keystore: not comparable
      StateGeneration ahead = StateGeneration.of(g2.sourceId(), g2.generation() + 5);
      assertThatThrownBy(() -> owner.requireStateGeneration(ahead))
          .isInstanceOf(KeystoreRollbackException.class);
      // From now on the floor holds: even a legitimate write cannot go below it.
      assertThatThrownBy(() -> owner.disableKey(key)).isInstanceOf(KeystoreRollbackException.class);
    }
  }

  @Test
  void aVersionOneKeystoreStillOpensAndIsRewrittenAsVersionTwo() throws Exception {
    KeystoreHeader v1 =
        KeystoreHeader.newBuilder()
            .setFormatVersion(1)
            .setRawKeyLabel(ByteString.copyFrom(AesGcm.randomBytes(16)))
            .setNonce(ByteString.copyFrom(AesGcm.newNonce()))
            .build();
    KeystoreContents contents =
        KeystoreContents.newBuilder()
            .setFormatVersion(1)
            .setAccountId("111122223333")
            .setRegion("us-east-1")
            .build();
    try (SecretBytes key = SecretBytes.wrap(raw.clone())) {
      Files.write(keystore(), KeystoreCodec.encode(v1, key, contents));
    }
    try (LocalKeyProvider p = open(null)) {
      assertThat(p.listKeys()).isEmpty();
      p.createKey(CreateKeyRequest.withDescription("after upgrade"));
    }
    assertThat(
            KeystoreFile.parseFrom(Files.readAllBytes(keystore())).getHeader().getFormatVersion())
        .isEqualTo(2);
    try (LocalKeyProvider p = open(null)) {
      assertThat(p.listKeys()).hasSize(1);
    }
  }

  @Test
  void aDamagedGenerationRecordIsNoRootOfTrustButFailsNothing() throws Exception {
    try (LocalKeyProvider owner = open(null)) {
      owner.createKey(CreateKeyRequest.withDescription("k"));
    }
    Files.write(lockFile(), new byte[] {1, 2, 3});
    try (LocalKeyProvider again = open(null)) {
      assertThat(again.listKeys()).hasSize(1);
      again.createKey(CreateKeyRequest.withDescription("rewrites the record"));
    }
    assertThat(Files.size(lockFile())).isEqualTo(KeystoreKeys.GENERATION_RECORD_BYTES);
  }
}
