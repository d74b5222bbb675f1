package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coffer.internal.partition.PartitionWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Changes a closed store's records directly (through RocksDB, or through a shared backend's own
 * interface), as someone with write access to where they live could, and checks that every read of
 * a changed page fails with CorruptionException naming the table and page, never returning wrong
 * data. Runs over the embedded RocksDB here and over shared backends in subclasses that override
 * {@link #fixture()}.
 */
class TamperingTest {
  @TempDir Path dir;
  @TempDir Path otherDir;

  private final TestStores stores = new TestStores();
  private final BackendFixture fixture = fixture();

  /** Where the stores live. */
  BackendFixture fixture() {
    return BackendFixture.rocksDb();
  }

  private Coffer open(Path where) {
    return fixture.open(where, stores.options());
  }

  private static Item item(int i) {
    return Item.builder().string("id", "user" + i).string("secret", "value of " + i).build();
  }

  private String createUsers(Path where, String name, int count) {
    try (Coffer c = open(where)) {
      Table t =
          c.createTable(TableSpec.builder().name(name).partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < count; i++) {
        t.putItem(item(i));
      }
      return t.describe().tableId();
    }
  }

  /**
   * Reads every item and returns the failures; every successful read must return the right item.
   */
  private List<CorruptionException> readAll(Path where, String name, int count) {
    List<CorruptionException> failures = new ArrayList<>();
    try (Coffer c = open(where)) {
      Table t = c.table(name);
      for (int i = 0; i < count; i++) {
        try {
          assertThat(t.getItem(Key.of("user" + i))).contains(item(i));
        } catch (CorruptionException e) {
          failures.add(e);
        }
      }
      try {
        t.scan(Scan.all());
      } catch (CorruptionException e) {
        failures.add(e);
      }
    }
    return failures;
  }

  private void tamper(Path where, Consumer<RawRecords> change) throws Exception {
    try (RawRecords raw = fixture.raw(where)) {
      change.accept(raw);
    }
  }

  /** Changes RocksDB's files directly (delta records exist only there). */
  private void tamperRocks(Path where, Consumer<RawStore> change) throws Exception {
    try (RawStore raw = new RawStore(where)) {
      change.accept(raw);
    }
  }

  @Test
  void flippedByteInAPageFailsWithTheTableAndPageNamed() throws Exception {
    String tableId = createUsers(dir, "users", 10);
    byte[][] victim = new byte[1][];
    tamper(
        dir,
        raw -> {
          victim[0] = raw.nodeKeys(tableId).get(3);
          byte[] v = raw.get(tableId, victim[0]);
          v[v.length - 5] ^= 0x01;
          raw.put(tableId, victim[0], v);
        });
    List<CorruptionException> failures = readAll(dir, "users", 10);
    assertThat(failures).hasSize(2); // one get, the scan
    String token = HexFormat.of().formatHex(Arrays.copyOf(victim[0], 16));
    assertThat(failures.get(0).tableName()).isEqualTo("users");
    assertThat(failures.get(0).location()).isEqualTo("partition " + token + " node 0");
    assertThat(failures.get(0))
        .hasMessageContaining("failed authentication")
        .hasMessageContaining(token);
  }

  @Test
  void truncatedPageFails() throws Exception {
    String tableId = createUsers(dir, "users", 5);
    tamper(
        dir,
        raw -> {
          byte[] key = raw.nodeKeys(tableId).get(0);
          byte[] v = raw.get(tableId, key);
          raw.put(tableId, key, Arrays.copyOf(v, v.length - 20));
        });
    assertThat(readAll(dir, "users", 5)).hasSize(2);
  }

  @Test
  void pagesSwappedBetweenPartitionsFail() throws Exception {
    String tableId = createUsers(dir, "users", 10);
    tamper(
        dir,
        raw ->
            swap(
                raw, tableId, raw.nodeKeys(tableId).get(1), tableId, raw.nodeKeys(tableId).get(6)));
    List<CorruptionException> failures = readAll(dir, "users", 10);
    assertThat(failures).hasSize(3); // both gets, the scan
    assertThat(failures).allSatisfy(e -> assertThat(e.tableName()).isEqualTo("users"));
  }

  @Test
  void pagesSwappedBetweenTablesFail() throws Exception {
    String a;
    String b;
    try (Coffer c = open(dir)) {
      Table ta =
          c.createTable(
              TableSpec.builder().name("alpha").partitionKey("id", AttributeType.S).build());
      Table tb =
          c.createTable(
              TableSpec.builder().name("bravo").partitionKey("id", AttributeType.S).build());
      for (int i = 0; i < 5; i++) {
        ta.putItem(item(i));
        tb.putItem(item(i));
      }
      a = ta.describe().tableId();
      b = tb.describe().tableId();
    }
    tamper(
        dir,
        raw -> {
          // the same item's page, moved from one table to the other under the other table's key for
          // it
          for (int i = 0; i < 5; i++) {
            swap(raw, a, raw.nodeKeys(a).get(i), b, raw.nodeKeys(b).get(i));
          }
        });
    assertThat(readAll(dir, "alpha", 5)).hasSize(6);
    assertThat(readAll(dir, "bravo", 5)).hasSize(6);
  }

  @Test
  void pageFromAnotherStoreWithTheSameMasterKeyFails() throws Exception {
    String here = createUsers(dir, "users", 3);
    String there = createUsers(otherDir, "users", 3);
    byte[][] foreign = new byte[1][];
    tamper(otherDir, raw -> foreign[0] = raw.get(there, raw.nodeKeys(there).get(0)));
    tamper(
        dir,
        raw -> {
          for (byte[] key : raw.nodeKeys(here)) {
            raw.put(here, key, foreign[0]);
          }
        });
    assertThat(readAll(dir, "users", 3)).hasSize(4);
  }

  /**
   * A root leaf of partition "p" with {@code deltas} delta records appended; returns the table id.
   */
  private String leafWithDeltas(int deltas) {
    assumeTrue(fixture.deltaRecords(), "delta records are written by the embedded backend only");
    try (Coffer c = open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      for (int i = 0; i <= deltas; i++) {
        t.putItem(Item.builder().string("pk", "p").number("sk", i).string("v", "v" + i).build());
      }
      return t.describe().tableId();
    }
  }

  /** Rewrites the records of the one node that has delta records. */
  private void editRecords(String tableId, java.util.function.UnaryOperator<List<byte[]>> edit)
      throws Exception {
    tamperRocks(
        dir,
        raw -> {
          ColumnFamilyHandle cf = raw.family(tableId);
          try {
            // the partition's only page (its root leaf), or the one node with delta records
            List<byte[]> pages = raw.pageKeys(cf);
            byte[] key =
                pages.size() == 1 ? pages.get(0) : raw.deltaCounts(cf).keySet().iterator().next();
            raw.putRecords(cf, key, edit.apply(new ArrayList<>(raw.records(cf, key))));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  private void queryFailsAsCorrupt() {
    try (Coffer c = open(dir)) {
      assertThatThrownBy(() -> c.table("events").query(Query.partition("p")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("events");
    }
  }

  @Test
  void aDeltaRecordRemovedFromTheMiddleFails() throws Exception {
    String tableId = leafWithDeltas(4);
    editRecords(
        tableId,
        records -> {
          assertThat(records).hasSize(5); // the page and 4 delta records
          records.remove(2); // a gap in the sequence
          return records;
        });
    queryFailsAsCorrupt();
  }

  @Test
  void reorderedDeltaRecordsFail() throws Exception {
    String tableId = leafWithDeltas(4);
    editRecords(
        tableId,
        records -> {
          java.util.Collections.swap(records, 1, 2);
          return records;
        });
    queryFailsAsCorrupt();
  }

  @Test
  void aDeltaRecordReplayedAfterItsFoldFails() throws Exception {
    String tableId = leafWithDeltas(1);
    List<byte[]> before = new ArrayList<>();
    tamperRocks(
        dir,
        raw -> {
          ColumnFamilyHandle cf = raw.family(tableId);
          try {
            byte[] key = raw.deltaCounts(cf).keySet().iterator().next();
            before.addAll(raw.records(cf, key));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    assertThat(before).hasSize(2);
    try (Coffer c = open(dir)) { // past the hard bound (a fold, in the background or not), and more
      Table t = c.table("events");
      for (int i = 2; i < 3 + 2 * PartitionWriter.DEFAULT_FOLD_THRESHOLD; i++) {
        t.putItem(Item.builder().string("pk", "p").number("sk", i).build());
      }
    }
    editRecords(
        tableId,
        records -> {
          records.add(before.get(1)); // the old delta record, appended again
          return records;
        });
    queryFailsAsCorrupt();
  }

  @Test
  void tamperedCatalogEntryFailsAtOpen() throws Exception {
    createUsers(dir, "users", 1);
    tamper(
        dir,
        raw -> {
          raw.storeRecords()
              .forEach(
                  (k, v) -> {
                    if (new String(k, java.nio.charset.StandardCharsets.US_ASCII)
                        .startsWith("coffer/catalog/")) {
                      v[v.length - 1] ^= 0x40;
                      raw.putStoreRecord(k, v);
                    }
                  });
        });
    assertThatThrownBy(() -> open(dir))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("catalog entry");
  }

  private static void swap(RawRecords raw, String ta, byte[] ka, String tb, byte[] kb) {
    byte[] va = raw.get(ta, ka);
    byte[] vb = raw.get(tb, kb);
    raw.put(ta, ka, vb);
    raw.put(tb, kb, va);
  }
}
