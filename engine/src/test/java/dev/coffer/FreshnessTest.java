package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Issue 15, freshness (an item, a partition, a leaf's delta records): with {@link
 * CofferOptions#freshness()} the store keeps the digest of every record of a table in a Merkle tree
 * whose root its sealed state holds, so an older authentic record put back from a copy of the store
 * directory, a deleted record put back, a record removed, or a leaf's newest delta records removed,
 * fails the next read of it with {@link CorruptionException}; so do the map's own records rolled
 * back with the data. Each attack is also run with freshness off, where it goes unnoticed (what the
 * feature adds). Crash safety: {@link FreshnessCrashTest}.
 */
class FreshnessTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  /** The store's rollback anchor (which freshness needs), kept across the test's opens. */
  private final CofferOptions.Builder anchored = stores.anchoredOptions();

  private Coffer open(boolean fresh) {
    return Coffer.open(dir, anchored.build().toBuilder().freshness(fresh).build());
  }

  private static TableSpec keyOnly(String name) {
    return TableSpec.builder().name(name).partitionKey("id", AttributeType.S).build();
  }

  private static TableSpec sorted(String name) {
    return TableSpec.builder()
        .name(name)
        .partitionKey("pk", AttributeType.S)
        .sortKey("sk", AttributeType.S)
        .pageTargetBytes(512)
        .build();
  }

  private static Item item(String id, String value) {
    return Item.builder().string("id", id).string("v", value).build();
  }

  private static Item sortedItem(String pk, int sk) {
    return Item.builder()
        .string("pk", pk)
        .string("sk", String.format("%04d", sk))
        .string("pad", "x".repeat(40))
        .build();
  }

  /** Every record of table {@code id}'s column family. */
  private Map<byte[], byte[]> records(String id) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return raw.entries(raw.family(id));
    }
  }

  private static final byte[] FRESH_PREFIX = "coffer/fresh/".getBytes(StandardCharsets.US_ASCII);

  /** The freshness map's nodes (every table's), from the store's own column family. */
  private Map<byte[], byte[]> mapNodes() throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      Map<byte[], byte[]> out = new LinkedHashMap<>();
      raw.entries(raw.families().get("default"))
          .forEach(
              (k, v) -> {
                if (k.length > FRESH_PREFIX.length
                    && Arrays.equals(
                        k, 0, FRESH_PREFIX.length, FRESH_PREFIX, 0, FRESH_PREFIX.length)) {
                  out.put(k, v);
                }
              });
      return out;
    }
  }

  /** The map nodes of table {@code id} (hex), from the closed store. */
  private Map<byte[], byte[]> mapNodesOf(String id) throws Exception {
    byte[] prefix = Arrays.copyOf(FRESH_PREFIX, FRESH_PREFIX.length + 16);
    System.arraycopy(HexFormat.of().parseHex(id), 0, prefix, FRESH_PREFIX.length, 16);
    Map<byte[], byte[]> out = new LinkedHashMap<>();
    mapNodes()
        .forEach(
            (k, v) -> {
              if (Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                out.put(k, v);
              }
            });
    return out;
  }

  /** Replaces every record of {@code family} in {@code current} by {@code older}'s. */
  private static void putBack(
      RawStore raw,
      ColumnFamilyHandle family,
      Map<byte[], byte[]> current,
      Map<byte[], byte[]> older)
      throws Exception {
    for (byte[] k : current.keySet()) {
      raw.delete(family, k);
    }
    for (Map.Entry<byte[], byte[]> e : older.entrySet()) {
      raw.put(family, e.getKey(), e.getValue());
    }
  }

  /** Puts table {@code id}'s records back as {@code older} holds them (an older copy). */
  private void putBack(String id, Map<byte[], byte[]> older) throws Exception {
    Map<byte[], byte[]> current = records(id);
    try (RawStore raw = new RawStore(dir)) {
      putBack(raw, raw.family(id), current, older);
    }
  }

  /** An item (a partition of one page) put back from an older copy of the directory. */
  private String itemRolledBack(boolean fresh) throws Exception {
    String id;
    try (Coffer c = open(fresh)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "old"));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open(fresh)) {
      c.table("things").putItem(item("a", "new"));
    }
    putBack(id, older);
    return id;
  }

  @Test
  void anItemPutBackFromAnOlderCopyFailsTheNextGetItem() throws Exception {
    itemRolledBack(true);
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("things").getItem(Key.of("a")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("not the version the table's freshness map lists")
          .hasMessageContaining("things")
          .hasMessageContaining("partition ")
          .hasMessageContaining(" node 0");
      FreshnessStats stats = c.freshnessStats();
      assertThat(stats.enabled()).isTrue();
      assertThat(stats.failedChecks()).isEqualTo(1);
      assertThat(stats.cachedBytes()).isPositive().isLessThanOrEqualTo(stats.cacheCapacityBytes());
    }
  }

  @Test
  void withoutFreshnessAnItemPutBackGoesUnnoticed() throws Exception {
    itemRolledBack(false);
    try (Coffer c = open(false)) {
      assertThat(c.table("things").getItem(Key.of("a"))).contains(item("a", "old"));
      assertThat(c.freshnessStats().enabled()).isFalse();
    }
  }

  @Test
  void aWholePartitionPutBackFailsTheNextRead() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(sorted("orders"));
      for (int i = 0; i < 40; i++) {
        t.putItem(sortedItem("p", i));
      }
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> older = records(id);
    assertThat(older).as("a partition of several pages").hasSizeGreaterThan(1);
    try (Coffer c = open(true)) {
      Table t = c.table("orders");
      for (int i = 40; i < 80; i++) {
        t.putItem(sortedItem("p", i));
      }
      t.deleteItem(Key.of("p", "0003"));
    }
    putBack(id, older);
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("orders").query(Query.partition("p")).items())
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("freshness map");
    }
  }

  @Test
  void theNewestDeltaRecordsOfALeafDroppedFailTheNextRead() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(sorted("orders"));
      t.putItem(sortedItem("p", 1));
      t.putItem(sortedItem("p", 2));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open(true)) {
      c.table("orders").putItem(sortedItem("p", 3));
      c.table("orders").putItem(sortedItem("p", 4));
    }
    Map<byte[], byte[]> newer = records(id);
    assertThat(older).hasSize(1);
    assertThat(newer).hasSize(1);
    byte[] before = older.values().iterator().next();
    byte[] after = newer.values().iterator().next();
    assertThat(after.length).isGreaterThan(before.length);
    assertThat(Arrays.copyOf(after, before.length))
        .as("the newer value is the older one with delta records appended")
        .isEqualTo(before);
    putBack(id, older); // the same as cutting the two newest delta records off
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("orders").getItem(Key.of("p", "0001")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("newest delta records were removed");
    }
  }

  @Test
  void aDeletedItemsRecordPutBackFailsTheNextGetItem() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "deleted later"));
      t.putItem(item("b", "kept"));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open(true)) {
      c.table("things").deleteItem(Key.of("a"));
    }
    putBack(id, older);
    try (Coffer c = open(true)) {
      assertThat(c.table("things").getItem(Key.of("b"))).contains(item("b", "kept"));
      assertThatThrownBy(() -> c.table("things").getItem(Key.of("a")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("not in the table's freshness map");
    }
  }

  @Test
  void aRecordDeletedByTheAttackerFailsTheNextGetItem() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "here"));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> current = records(id);
    try (RawStore raw = new RawStore(dir)) {
      putBack(raw, raw.family(id), current, Map.of());
    }
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("things").getItem(Key.of("a")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("is missing");
    }
  }

  @Test
  void theMapRolledBackTogetherWithTheDataFails() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "old"));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> olderRecords = records(id);
    Map<byte[], byte[]> olderNodes = mapNodes();
    assertThat(olderNodes).isNotEmpty();
    try (Coffer c = open(true)) {
      c.table("things").putItem(item("a", "new"));
    }
    putBack(id, olderRecords);
    Map<byte[], byte[]> currentNodes = mapNodes();
    try (RawStore raw = new RawStore(dir)) {
      putBack(raw, raw.families().get("default"), currentNodes, olderNodes);
    }
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("things").getItem(Key.of("a")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("freshness map of table id " + id + " level 0");
    }
  }

  @Test
  void reencryptionRefusesToResealARecordPutBack() throws Exception {
    String id = itemRolledBack(true);
    try (Coffer c = open(true)) {
      Table t = c.table("things");
      t.rotateDataKey();
      assertThatThrownBy(() -> t.reencrypt(ReencryptOptions.defaults()))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("freshness map");
    }
    assertThat(id).isNotEmpty();
  }

  /**
   * A store written without freshness (before it existed, or with it off) is mapped as found at its
   * next open with it on; from then on rollbacks are caught. A session with it off forgets the maps
   * (state and nodes), so turning it on again maps what that session wrote, with no false alarm.
   */
  @Test
  void aStoreWrittenWithoutFreshnessIsMappedAtOpenAndTurningItOffAndOnRaisesNoFalseAlarm()
      throws Exception {
    String id;
    try (Coffer c = open(false)) {
      Table t = c.createTable(sorted("orders"));
      for (int i = 0; i < 30; i++) {
        t.putItem(sortedItem("p" + (i % 3), i));
      }
      id = t.describe().tableId();
    }
    assertThat(mapNodes()).isEmpty();
    try (Coffer c = open(true)) {
      assertThat(c.table("orders").scan(Scan.all()).items()).hasSize(30);
      assertThat(c.freshnessStats().checkedReads()).isPositive();
      assertThat(c.freshnessStats().failedChecks()).isZero();
      c.table("orders").putItem(sortedItem("p0", 100));
    }
    assertThat(mapNodes()).isNotEmpty();
    try (Coffer c = open(false)) {
      c.table("orders").putItem(sortedItem("p0", 101));
      c.table("orders").deleteItem(Key.of("p1", "0001"));
    }
    assertThat(mapNodes()).as("an open with freshness off forgets the maps").isEmpty();
    try (Coffer c = open(true)) {
      Table t = c.table("orders");
      assertThat(t.scan(Scan.all()).items()).hasSize(31);
      assertThat(t.verify().clean()).isTrue();
      t.putItem(sortedItem("p2", 102));
    }
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = open(true)) {
      c.table("orders").putItem(sortedItem("p2", 103));
    }
    putBack(id, older);
    try (Coffer c = open(true)) {
      assertThatThrownBy(() -> c.table("orders").query(Query.partition("p2")).items())
          .isInstanceOf(CorruptionException.class);
    }
  }

  /**
   * Once on, freshness stays on for opens that do not say (the command line's, a library's default
   * options): they keep the maps and check reads, so a rollback after such an open is caught.
   */
  @Test
  void anOpenThatDoesNotSayKeepsFreshnessOn() throws Exception {
    String id;
    try (Coffer c = open(true)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "old"));
      id = t.describe().tableId();
    }
    Map<byte[], byte[]> older = records(id);
    try (Coffer c = Coffer.open(dir, anchored.build())) {
      c.table("things").putItem(item("a", "new"));
    }
    assertThat(mapNodes()).isNotEmpty();
    putBack(id, older);
    try (Coffer c = Coffer.open(dir, anchored.build())) {
      assertThatThrownBy(() -> c.table("things").getItem(Key.of("a")))
          .isInstanceOf(CorruptionException.class);
    }
  }

  /** DeleteTable removes the table's map and root; a table created again starts an empty map. */
  @Test
  void deleteTableRemovesTheMapAndEveryWriteKindKeepsItRight() throws Exception {
    String goneId;
    try (Coffer c = open(true)) {
      Table t = c.createTable(sorted("orders"));
      for (int i = 0; i < 200; i++) {
        t.putItem(sortedItem("p" + (i % 5), i));
      }
      for (int i = 0; i < 200; i += 3) {
        t.deleteItem(Key.of("p" + (i % 5), String.format("%04d", i)));
      }
      t.rotateDataKey();
      t.reencrypt(ReencryptOptions.defaults());
      Table gone = c.createTable(keyOnly("gone"));
      gone.putItem(item("x", "y"));
      goneId = gone.describe().tableId();
    }
    assertThat(mapNodesOf(goneId)).isNotEmpty();
    try (Coffer c = open(true)) {
      c.deleteTable("gone");
    }
    // the root's removal from the state: FreshStoreTest#dropTableRemovesTheRootAndTheNodes
    assertThat(mapNodesOf(goneId)).as("the dropped table's map nodes are deleted").isEmpty();
    List<String> tables;
    try (Coffer c = open(true)) {
      tables = c.listTables();
      Table t = c.table("orders");
      assertThat(t.scan(Scan.all()).items()).hasSize(133);
      assertThat(t.verify().clean()).isTrue();
      c.createTable(keyOnly("gone")).putItem(item("x", "again"));
    }
    assertThat(tables).containsExactly("orders");
    try (Coffer c = open(true)) {
      assertThat(c.table("gone").getItem(Key.of("x"))).contains(item("x", "again"));
    }
  }

  /**
   * Freshness needs a rollback anchor: without one the state holding the roots could itself be put
   * back (an older state without roots would turn freshness off and launder any rollback).
   */
  @Test
  void freshnessWithoutARollbackAnchorIsRefused() {
    assertThatThrownBy(() -> Coffer.open(dir, stores.options().freshness(true).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a rollback anchor");
    try (Coffer c = open(true)) {
      c.createTable(keyOnly("tbl")).putItem(item("a", "1"));
    }
    // the store keeps maps: opened as it is, without an anchor, it is refused too
    assertThatThrownBy(() -> Coffer.open(dir, stores.options().build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keeps freshness maps")
        .hasMessageContaining("needs a rollback anchor");
  }

  /**
   * Once on, freshness stays on for a store with no table (the state is marked, not inferred from
   * the roots), and an open with it off clears the mark.
   */
  @Test
  void freshnessStaysOnForAStoreWithoutTables() {
    try (Coffer c = open(true)) {
      assertThat(c.freshnessStats().enabled()).isTrue();
    }
    try (Coffer c = Coffer.open(dir, anchored.build())) {
      assertThat(c.freshnessStats().enabled()).isTrue();
      c.createTable(keyOnly("tbl")).putItem(item("a", "1"));
      c.deleteTable("tbl");
    }
    try (Coffer c = Coffer.open(dir, anchored.build())) {
      assertThat(c.freshnessStats().enabled()).isTrue();
    }
    try (Coffer c = open(false)) {
      assertThat(c.freshnessStats().enabled()).isFalse();
    }
    try (Coffer c = Coffer.open(dir, anchored.build())) {
      assertThat(c.freshnessStats().enabled()).isFalse();
    }
  }

  /**
   * A record key too long for a map, planted in a table's column family, fails the map build at the
   * first open with freshness with a CorruptionException naming the table (not an
   * IllegalArgumentException from the encoder), and the failed open releases the store.
   */
  @Test
  void aPlantedOverlongKeyFailsTheMapBuildNamingTheTable() throws Exception {
    String id;
    try (Coffer c = open(false)) {
      Table t = c.createTable(keyOnly("things"));
      t.putItem(item("a", "1"));
      id = t.describe().tableId();
    }
    try (RawStore raw = new RawStore(dir)) {
      raw.put(raw.family(id), new byte[300], new byte[] {1});
    }
    assertThatThrownBy(() -> open(true))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("300 bytes")
        .satisfies(e -> assertThat(((CorruptionException) e).tableName()).isEqualTo("things"));
    try (Coffer c = open(false)) {
      assertThat(c.table("things").getItem(Key.of("a"))).contains(item("a", "1"));
    }
  }
}
