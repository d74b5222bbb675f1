package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.proto.StoreHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, freshness (a catalog entry): the store's sealed state records the SHA-256 of every
 * catalog entry as stored, written in the same batch as the entry, so an older authentic entry put
 * back (which would reset a table's seal counts, rotation clocks and key versions), an entry
 * removed and an entry added are refused at open; a process killed between catalog writes leaves
 * the entries and the state consistent, and the store opens.
 */
class CatalogRollbackTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private Coffer open() {
    return stores.open(dir);
  }

  private static TableSpec table(String name) {
    return TableSpec.builder().name(name).partitionKey("id", AttributeType.S).build();
  }

  private byte[] entry(String tableIdHex) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return raw.get(
          raw.families().get("default"), RawStore.catalogKey(HexFormat.of().parseHex(tableIdHex)));
    }
  }

  private void putEntry(String tableIdHex, byte[] sealed) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      raw.put(
          raw.families().get("default"),
          RawStore.catalogKey(HexFormat.of().parseHex(tableIdHex)),
          sealed);
    }
  }

  @Test
  void aCatalogEntryPutBackFromAnOlderCopyIsRefusedAtOpen() throws Exception {
    String id;
    try (Coffer c = open()) {
      Table t = c.createTable(table("things"));
      t.putItem(Item.builder().string("id", "a").build());
      id = t.describe().tableId();
    }
    byte[] older = entry(id);
    try (Coffer c = open()) {
      c.table("things").rotateDataKey(); // a catalog write: version 2 primary, the clock restarted
    }
    byte[] current = entry(id);
    putEntry(id, older); // authentic, sealed by this store, but older
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("catalog entry of table id " + id)
        .hasMessageContaining("older copy");
    putEntry(id, current); // the refusal was about that entry only
    try (Coffer c = open()) {
      assertThat(c.table("things").describe().primaryDataKeyVersion()).isEqualTo(2);
      assertThat(c.table("things").getItem(Key.of("a"))).isPresent();
    }
  }

  @Test
  void anEntryRemovedWithItsTableIsRefusedAtOpen() throws Exception {
    String id;
    try (Coffer c = open()) {
      c.createTable(table("kept"));
      id = c.createTable(table("gone")).describe().tableId();
    }
    try (RawStore raw = new RawStore(dir)) {
      // the whole table: its entry and its column family (before, the table silently vanished)
      raw.delete(raw.families().get("default"), RawStore.catalogKey(HexFormat.of().parseHex(id)));
      raw.dropFamily(id);
    }
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("catalog entry of table id " + id + " is missing");
  }

  @Test
  void aDeletedTablesEntryPutBackIsRefusedAtOpen() throws Exception {
    String id;
    byte[] entry;
    try (Coffer c = open()) {
      c.createTable(table("kept"));
      id = c.createTable(table("deleted")).describe().tableId();
    }
    entry = entry(id);
    try (Coffer c = open()) {
      c.deleteTable("deleted");
    }
    putEntry(id, entry);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("table id " + id)
        .hasMessageContaining("does not record");
  }

  /**
   * Deleting the state record makes the store look like one written before the state existed, which
   * would be trusted as found; a store that has a rollback anchor had a state (the anchor came with
   * it), so the open is refused, names the missing record and writes nothing, until the rollback is
   * accepted explicitly.
   */
  @Test
  void withAnAnchorAMissingStateRecordFailsTheOpenUntilAccepted(@TempDir Path anchors)
      throws Exception {
    String id =
        olderEntryPutBackWithTheStateDeleted(stores.options().rollbackAnchorDirectory(anchors));
    assertThatThrownBy(
            () -> Coffer.open(dir, stores.options().rollbackAnchorDirectory(anchors).build()))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("sealed state record is missing")
        .hasMessageContaining(anchors.toAbsolutePath().toString())
        .hasMessageContaining("--accept-rollback");
    try (RawStore raw = new RawStore(dir)) {
      assertThat(
              raw.get(
                  raw.families().get("default"),
                  "coffer/state".getBytes(StandardCharsets.US_ASCII)))
          .as("the refused open wrote no state")
          .isNull();
    }
    try (Coffer c =
        Coffer.open(
            dir, stores.options().rollbackAnchorDirectory(anchors).acceptRollback(true).build())) {
      assertThat(c.table("things").describe().tableId()).isEqualTo(id);
      assertThat(c.lastAcceptedRollback().orElseThrow().reason())
          .isEqualTo(AcceptedRollback.Reason.STATE_MISSING);
    }
    try (Coffer c = Coffer.open(dir, stores.options().rollbackAnchorDirectory(anchors).build())) {
      assertThat(c.lastAcceptedRollback()).isPresent();
    }
  }

  /**
   * Without a rollback anchor (the {@code memory:} provider here), a store created by this code has
   * its store key wrapped under a context that says it keeps a sealed state ({@code state:
   * sealed}), so a deleted state record is no longer taken for a store written before the state
   * existed: the open is refused, names the remedy and writes nothing, until the rollback is
   * accepted (before, it opened and trusted the older entry put back as found).
   */
  @Test
  void withoutAnAnchorAStateRecordDeletedIsRefusedUntilAccepted() throws Exception {
    String id = olderEntryPutBackWithTheStateDeleted(stores.options());
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("sealed state record is missing")
        .hasMessageContaining("state: sealed")
        .hasMessageContaining("--accept-rollback");
    try (RawStore raw = new RawStore(dir)) {
      assertThat(
              raw.get(
                  raw.families().get("default"),
                  "coffer/state".getBytes(StandardCharsets.US_ASCII)))
          .as("the refused open wrote no state")
          .isNull();
    }
    try (Coffer c = Coffer.open(dir, stores.options().acceptRollback(true).build())) {
      assertThat(c.table("things").describe().tableId()).isEqualTo(id);
      assertThat(c.table("things").describe().primaryDataKeyVersion()).isEqualTo(1); // as found
      assertThat(c.lastAcceptedRollback().orElseThrow().reason())
          .isEqualTo(AcceptedRollback.Reason.STATE_MISSING);
    }
    try (Coffer c = open()) { // bound to the catalog as accepted: opens from now on
      assertThat(c.lastAcceptedRollback()).isPresent();
    }
  }

  /**
   * The pair cannot be taken out of the current plaintext header to make the store look older: the
   * key provider refuses to unwrap the store key under a context without it. (This covers the
   * header as it is now; a header from before the rotation that added the pair is {@code
   * SealedStateBindingTest}'s.)
   */
  @Test
  void theSealedStatePairCannotBeTakenOutOfTheCurrentHeader() throws Exception {
    olderEntryPutBackWithTheStateDeleted(stores.options());
    byte[] headerKey = "coffer/header".getBytes(StandardCharsets.US_ASCII);
    try (RawStore raw = new RawStore(dir)) {
      StoreHeader h = StoreHeader.parseFrom(raw.get(raw.families().get("default"), headerKey));
      assertThat(h.getStoreKey().getEncryptionContextMap()).containsEntry("state", "sealed");
      StoreHeader stripped =
          h.toBuilder()
              .setStoreKey(h.getStoreKey().toBuilder().removeEncryptionContext("state"))
              .build();
      raw.put(raw.families().get("default"), headerKey, stripped.toByteArray());
    }
    assertThatThrownBy(this::open).isInstanceOf(InvalidCiphertextException.class);
  }

  private String olderEntryPutBackWithTheStateDeleted(CofferOptions.Builder options)
      throws Exception {
    String id;
    try (Coffer c = Coffer.open(dir, options.build())) {
      id = c.createTable(table("things")).describe().tableId();
    }
    byte[] older = entry(id);
    try (Coffer c = Coffer.open(dir, options.build())) {
      c.table("things").rotateDataKey();
    }
    putEntry(id, older);
    try (RawStore raw = new RawStore(dir)) {
      raw.delete(raw.families().get("default"), "coffer/state".getBytes(StandardCharsets.US_ASCII));
    }
    return id;
  }

  @Test
  void everyCatalogWriteKeepsTheStoreOpenable() {
    // creates, rotations (synced writes), seal counts at close (an unsynced write), re-encryption
    // cursor saves, deletes and a master-key rewrap (the header with every entry)
    try (Coffer c = open()) {
      Table t = c.createTable(table("things"));
      for (int i = 0; i < 50; i++) {
        t.putItem(Item.builder().string("id", "i" + i).build());
      }
      t.rotateDataKey();
      assertThat(t.reencrypt(ReencryptOptions.builder().persistEveryPages(1).build()).finished())
          .isTrue();
      c.createTable(table("other"));
      c.deleteTable("other");
      c.rotateMasterKey();
    }
    for (int i = 0; i < 2; i++) {
      try (Coffer c = open()) {
        assertThat(c.listTables()).containsExactly("things");
        assertThat(c.table("things").getItem(Key.of("i49"))).isPresent();
      }
    }
  }

  @Test
  void aProcessKilledBetweenCatalogWritesLeavesAStoreThatOpens(@TempDir Path tmp) throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    Random rnd = new Random(15);
    Set<String> acked = new HashSet<>();
    for (int round = 0; round < 3; round++) {
      ChildJvm.Running child = jvm.start("catalog", "r" + round);
      int rounds = 1 + rnd.nextInt(12);
      child.await(l -> l.stream().filter(s -> s.startsWith("CATALOG ")).count() >= rounds);
      Thread.sleep(rnd.nextInt(40)); // into the next round's writes
      List<String> lines = child.kill();
      lines.stream().filter(l -> l.startsWith("ACK ")).forEach(l -> acked.add(l.substring(4)));
      try (LocalKeyProvider p = jvm.provider();
          Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
        assertThat(c.listTables()).contains("cat");
        Table t = c.table("cat");
        for (String a : acked) {
          String[] f = a.split(" ");
          assertThat(t.getItem(Key.of(AttributeValue.s(f[1]), AttributeValue.n(f[2]))))
              .as("round " + round + ": acknowledged write " + a)
              .contains(CrashChild.item(f[1], Integer.parseInt(f[2])));
        }
      }
    }
    assertThat(acked).isNotEmpty();
  }
}
