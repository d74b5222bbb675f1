package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.fixture.FormatFixture;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, leftover: a store created before its store key's encryption context said that it keeps
 * a sealed state (the format-2 fixture, written by older code) keeps opening, with or without its
 * state record, and gains the pair at its next master-key rotation; from then on a deleted state
 * record is refused at open even without a rollback anchor. (The same for a store created by this
 * code: {@code CatalogRollbackTest#withoutAnAnchorAStateRecordDeletedIsRefusedUntilAccepted}.)
 */
class SealedStateBindingTest {
  private static final Path FIXTURE = Path.of("src/test/resources/fixtures/format2");
  private static final byte[] STATE = "coffer/state".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEADER = "coffer/header".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  private Path store() {
    return dir.resolve("store");
  }

  private Coffer open(LocalKeyProvider keys, boolean acceptRollback) {
    return Coffer.open(
        store(),
        CofferOptions.builder()
            .keyProvider(keys)
            .masterKeyId(FormatFixture.MASTER_KEY)
            .rollbackAnchor(false) // the anchorless case: nothing outside the directory vouches
            .acceptRollback(acceptRollback)
            .createIfMissing(false)
            .build());
  }

  private void deleteState() throws Exception {
    try (RawStore raw = new RawStore(store())) {
      raw.delete(raw.families().get("default"), STATE);
    }
  }

  private StoreHeader header() throws Exception {
    try (RawStore raw = new RawStore(store())) {
      return StoreHeader.parseFrom(raw.get(raw.families().get("default"), HEADER));
    }
  }

  @Test
  void anOldStoreKeepsOpeningAndIsBoundAtItsNextMasterKeyRotation() throws Exception {
    FormatFixture.copy(FIXTURE, dir);
    try (LocalKeyProvider keys =
        FormatFixture.provider(dir.resolve("keystore"), FormatFixture.rawKey(dir))) {
      assertThat(header().getStoreKey().getEncryptionContextMap()).doesNotContainKey("state");
      try (Coffer c = open(keys, false)) {
        assertThat(c.listTables()).contains("users");
      }
      // written before the pair existed: a missing state record cannot be told from a store older
      // than the state, and is trusted as found, as before
      deleteState();
      try (Coffer c = open(keys, false)) {
        assertThat(c.table("users").getItem(Key.of("user#1"))).isPresent();
        c.rotateMasterKey(); // re-wraps the store key with the pair
      }
      assertThat(header().getStoreKey().getEncryptionContextMap()).containsEntry("state", "sealed");
      try (Coffer c = open(keys, false)) {
        assertThat(c.table("users").getItem(Key.of("user#1"))).isPresent();
      }
      deleteState();
      assertThatThrownBy(() -> open(keys, false))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("sealed state record is missing")
          .hasMessageContaining("--accept-rollback");
      try (Coffer c = open(keys, true)) {
        assertThat(c.lastAcceptedRollback().orElseThrow().reason())
            .isEqualTo(AcceptedRollback.Reason.STATE_MISSING);
        assertThat(c.table("users").getItem(Key.of("user#1"))).isPresent();
      }
      try (Coffer c = open(keys, false)) {
        assertThat(c.table("users").getItem(Key.of("user#1"))).isPresent();
      }
    }
  }
}
