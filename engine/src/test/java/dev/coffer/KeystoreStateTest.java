package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyState;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 1 (engine side): the store records the keystore's state generation in its
 * sealed state and refuses, at open, a keystore older than the one it last saw.
 */
class KeystoreStateTest {
  @TempDir Path dir;
  private final byte[] raw = new byte[32];

  KeystoreStateTest() {
    new SecureRandom().nextBytes(raw);
  }

  private LocalKeyProvider provider(Path keystore) {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.copyOf(raw))
        .auditSink(AuditSink.none())
        .build();
  }

  private static Coffer open(LocalKeyProvider keys, Path store) {
    return Coffer.open(
        store, CofferOptions.builder().keyProvider(keys).masterKeyId("alias/store").build());
  }

  private static void copyDir(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * The keystore directory (keystore and its {@code .lock} generation record) is rolled back to a
   * copy taken before a key was scheduled for deletion; the store, which saw the newer keystore,
   * refuses it at the next open (here: in a fresh location, as after a restart, so that no running
   * provider's own memory of the keystore is what refuses it).
   */
  @Test
  void aStoreRefusesAKeystoreOlderThanTheOneItSaw() throws Exception {
    Path live = dir.resolve("live");
    Path keystoreDir = live.resolve("keys");
    Path oldKeys = dir.resolve("old-keys");
    String shredded;
    try (LocalKeyProvider keys = provider(keystoreDir.resolve("keystore"))) {
      keys.createAlias(
          "alias/store", keys.createKey(CreateKeyRequest.withDescription("store")).keyId());
      shredded = keys.createKey(CreateKeyRequest.withDescription("to be shredded")).keyId();
      try (Coffer c = open(keys, live.resolve("store"))) {
        c.createTable(
                TableSpec.builder().name("things").partitionKey("id", AttributeType.S).build())
            .putItem(Item.builder().string("id", "a").build());
      }
      copyDir(keystoreDir, oldKeys); // the attacker's copy
      keys.scheduleKeyDeletion(shredded, 7); // the owner shreds a key: the keystore moves on
      try (Coffer c = open(keys, live.resolve("store"))) { // the store sees the newer keystore
        assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
      }
    }
    // Restart elsewhere with the store as it is and the keystore directory rolled back.
    Path restarted = dir.resolve("restarted");
    copyDir(live.resolve("store"), restarted.resolve("store"));
    copyDir(oldKeys, restarted.resolve("keys"));
    try (LocalKeyProvider rolledBack = provider(restarted.resolve("keys").resolve("keystore"))) {
      assertThat(rolledBack.describeKey(shredded).state())
          .isEqualTo(KeyState.ENABLED); // the shredding is undone
      assertThatThrownBy(() -> open(rolledBack, restarted.resolve("store")))
          .isInstanceOf(KeystoreRollbackException.class)
          .hasMessageContaining("older than");
    }
    // The keystore as the store last saw it still opens it.
    Path current = dir.resolve("current");
    copyDir(live, current);
    try (LocalKeyProvider keys = provider(current.resolve("keys").resolve("keystore"));
        Coffer c = open(keys, current.resolve("store"))) {
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
  }
}
