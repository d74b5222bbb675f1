package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * A partition emptied and created again must not accept its earlier incarnation's delta records or
 * child pages written back through raw RocksDB: their associated data must not match the new
 * incarnation's.
 */
class PartitionReincarnationTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item item(int i) {
    return Item.builder().string("pk", "p").number("sk", i).string("v", "old value " + i).build();
  }

  private static Item fresh(int i) {
    return Item.builder()
        .string("pk", "p")
        .number("sk", 100_000 + i)
        .string("v", "new " + i)
        .build();
  }

  private static List<byte[]> records(byte[] value) {
    return RawStore.split(value);
  }

  private static long nodeId(byte[] key) {
    return ByteBuffer.wrap(key, 16, 8).getLong();
  }

  private String createTable() {
    try (Coffer c = stores.open(dir)) {
      return c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(256)
                  .build())
          .describe()
          .tableId();
    }
  }

  private Map<byte[], byte[]> snapshot(String tableId) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      return raw.entries(raw.family(tableId));
    }
  }

  /**
   * Records of the earlier incarnation: a root leaf with deltas, then a tree with children and
   * deltas.
   */
  private Map<byte[], byte[]> oldRecords(String tableId) throws Exception {
    Map<byte[], byte[]> old = new LinkedHashMap<>();
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (int i = 0; i < 4; i++) {
        t.putItem(item(i));
      }
    }
    old.putAll(snapshot(tableId));
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (int i = 4; i < 200; i++) {
        t.putItem(item((i * 7919) % 1000));
      }
    }
    Map<byte[], byte[]> grown = snapshot(tableId);
    assertThat(grown.keySet().stream().filter(k -> nodeId(k) != 0)).isNotEmpty();
    assertThat(
            grown.entrySet().stream()
                .filter(e -> nodeId(e.getKey()) != 0 && records(e.getValue()).size() > 1))
        .as("child nodes with delta records")
        .isNotEmpty();
    old.putAll(grown);
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (Item i : t.query(Query.partition("p")).items()) {
        t.deleteItem(Key.of(i.get("pk"), i.get("sk")));
      }
      assertThat(t.query(Query.partition("p")).count()).isZero();
    }
    assertThat(snapshot(tableId)).isEmpty();
    return old;
  }

  private void writeBack(String tableId, Map<byte[], byte[]> records, boolean rootDeltas)
      throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableId);
      for (Map.Entry<byte[], byte[]> e : records.entrySet()) {
        byte[] k = e.getKey();
        if (nodeId(k) != 0) {
          raw.put(cf, k, e.getValue());
        } else if (rootDeltas) {
          // the old root's delta records, appended to the new root (the old root page itself
          // would be a whole-partition rollback, out of scope here)
          List<byte[]> old = records(e.getValue());
          List<byte[]> now = new ArrayList<>(raw.records(cf, k));
          now.addAll(old.subList(1, old.size()));
          raw.putRecords(cf, k, now);
        }
      }
    }
  }

  /** The partition's items, or null when reading it fails with CorruptionException. */
  private static List<Item> readOrCorrupt(Table t) {
    try {
      return t.query(Query.partition("p")).items();
    } catch (CorruptionException e) {
      return null;
    }
  }

  @Test
  void oldDeltaRecordsAndPagesDoNotComeBackIntoARecreatedPartition() throws Exception {
    String tableId = createTable();
    Map<byte[], byte[]> old = oldRecords(tableId);
    try (Coffer c = stores.open(dir)) {
      c.table("events").putItem(fresh(0));
    }
    writeBack(tableId, old, true);
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      List<Item> items = readOrCorrupt(t);
      if (items != null) {
        assertThat(items).containsExactly(fresh(0));
      }
      for (int i = 0; i < 4; i++) {
        try {
          assertThat(t.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(i)))).isEmpty();
        } catch (CorruptionException expected) {
          // detected
        }
      }
    }
  }

  @Test
  void oldChildPagesDoNotOpenInARecreatedTree() throws Exception {
    String tableId = createTable();
    Map<byte[], byte[]> old = oldRecords(tableId);
    try (Coffer c = stores.open(dir)) {
      c.table("events").putItem(fresh(0));
    }
    writeBack(tableId, old, false);
    List<Item> expected = new ArrayList<>();
    expected.add(fresh(0));
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (int i = 1; i < 200; i++) {
        t.putItem(fresh(i));
        expected.add(fresh(i));
      }
    }
    try (Coffer c = stores.open(dir)) {
      // the old records are orphans the new tree never references: nothing to detect, nothing lost
      assertThat(c.table("events").query(Query.partition("p")).items())
          .containsExactlyElementsOf(expected);
    }
  }
}
