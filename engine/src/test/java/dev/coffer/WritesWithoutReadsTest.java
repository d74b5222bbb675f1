package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puts into tables with a sort key read nothing once the partition's metadata is held: the backend
 * decorator counts every read of a table's records by the calling thread (a background fold reads
 * on its own thread), and a put that does not fold (no batch committed) must not add one. A
 * partition not held costs one read of its root; a get of a held partition reads only its leaf. The
 * metadata stays within its bound while partitions are evicted and read again, and what evicted
 * partitions get afterwards reads back as written.
 */
class WritesWithoutReadsTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private Coffer open(TestBackend[] backend, long cacheBytes, long metadataBytes) {
    return TestBackend.open(
        dir,
        stores.options().pageCacheBytes(cacheBytes).partitionMetadataBytes(metadataBytes).build(),
        backend);
  }

  private static Item item(String pk, int sk, int version) {
    return Item.builder()
        .string("pk", pk)
        .number("sk", sk)
        .string("pad", "v" + version + "-" + "x".repeat(200))
        .build();
  }

  private static Table table(Coffer c) {
    return c.listTables().contains("events")
        ? c.table("events")
        : c.createTable(
            TableSpec.builder()
                .name("events")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .build());
  }

  @Test
  void aPutThatDoesNotFoldReadsNothingOnceThePartitionIsHeld() {
    TestBackend[] b = new TestBackend[1];
    try (Coffer c = open(b, 0, 1 << 20)) {
      Table t = table(c);
      for (int i = 0; i < 100; i++) {
        t.putItem(item("p", i, 0));
      }
      int appended = 0;
      for (int n = 0; n < 300; n++) {
        // new keys only: an overwrite is counted as an addition to the leaf's size (the old item is
        // not known without reading), so a leaf near its target is read to see whether it must fold
        // (a background fold may read while the put runs: only this thread's reads are the put's)
        TestBackend.Counters before = b[0].counters();
        long readsBefore = b[0].tableReadsOfThisThread();
        t.putItem(item("p", 1000 + (n * 7919) % 3000, n));
        TestBackend.Counters after = b[0].counters();
        if (after.tableCommits() == before.tableCommits()) {
          assertThat(b[0].tableReadsOfThisThread())
              .as("reads of put " + n + ", which appended a delta record")
              .isEqualTo(readsBefore);
          appended++;
        }
      }
      assertThat(appended).as("puts that appended without folding").isGreaterThan(200);
    }
  }

  @Test
  void aPartitionNotHeldIsReadOnceThenPutsAndGetsReadNoInnerNode() {
    TestBackend[] b = new TestBackend[1];
    try (Coffer c = open(b, 0, 1 << 20)) {
      Table t = table(c);
      for (int i = 0; i < 100; i++) {
        t.putItem(item("p", i, 0));
      }
    }
    try (Coffer c = open(b, 0, 1 << 20)) {
      Table t = table(c);
      TestBackend.Counters start = b[0].counters();
      long readsAtStart = b[0].tableReadsOfThisThread();
      t.putItem(item("p", 5, 1)); // the partition is cold: its root is read, the leaf is not
      long readsAfterFirst = b[0].tableReadsOfThisThread();
      assertThat(readsAfterFirst - readsAtStart).isEqualTo(1);
      // no batch of the table's records (the first seal after an open persists the table's seal
      // count: a batch of the store's own records, its catalog entry and the sealed state)
      assertThat(b[0].counters().tableCommits()).isEqualTo(start.tableCommits());
      t.putItem(item("p", 95, 1)); // another leaf, still no read
      assertThat(b[0].tableReadsOfThisThread()).isEqualTo(readsAfterFirst);
      assertThat(c.partitionMetadataStats().partitions()).isEqualTo(1);
      for (int i = 0; i < 100; i += 7) {
        long before = b[0].tableReadsOfThisThread();
        assertThat(t.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(i))))
            .contains(item("p", i, i == 5 || i == 95 ? 1 : 0));
        assertThat(b[0].tableReadsOfThisThread() - before)
            .as("reads of a get: the leaf only")
            .isEqualTo(1);
      }
    }
  }

  @Test
  void withTheMetadataOffEveryPutReadsItsPath() {
    TestBackend[] b = new TestBackend[1];
    try (Coffer c = open(b, 0, 0)) {
      Table t = table(c);
      for (int i = 0; i < 100; i++) {
        t.putItem(item("p", i, 0));
      }
      long before = b[0].tableReadsOfThisThread();
      t.putItem(item("p", 3, 1));
      assertThat(b[0].tableReadsOfThisThread() - before).isEqualTo(2); // root and leaf
      assertThat(c.partitionMetadataStats())
          .isEqualTo(new PartitionMetadataStats(0, 0, 0, 0, 0, 0, 0));
      assertThat(t.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(3))))
          .contains(item("p", 3, 1));
    }
  }

  /**
   * A bound that holds a few partitions of the 40 written: the metadata evicts and reads partitions
   * again, never holds more than its bound (nor does the page cache), and every item reads back, in
   * this store and after a reopen without any cache.
   */
  @Test
  void evictedMetadataIsReadAgainAndTheBoundHolds() {
    TestBackend[] b = new TestBackend[1];
    Map<String, Item> model = new HashMap<>();
    Random rnd = new Random(7);
    long bound = 6 << 10;
    try (Coffer c = open(b, 32 << 10, bound)) {
      Table t = table(c);
      for (int n = 0; n < 6000; n++) {
        String pk = "p" + rnd.nextInt(40);
        int sk = rnd.nextInt(60);
        Key key = Key.of(AttributeValue.s(pk), AttributeValue.n(sk));
        int op = rnd.nextInt(10);
        if (op < 7) {
          Item it = item(pk, sk, n);
          t.putItem(it);
          model.put(pk + "/" + sk, it);
        } else if (op < 8) {
          t.deleteItem(key);
          model.remove(pk + "/" + sk);
        } else {
          assertThat(t.getItem(key).orElse(null)).isEqualTo(model.get(pk + "/" + sk));
        }
        PartitionMetadataStats s = c.partitionMetadataStats();
        assertThat(s.residentBytes()).isBetween(0L, bound);
      }
      PartitionMetadataStats s = c.partitionMetadataStats();
      assertThat(s.capacityBytes()).isEqualTo(bound);
      assertThat(s.peakResidentBytes()).isPositive().isLessThanOrEqualTo(bound);
      assertThat(s.evictions()).as("partitions evicted").isGreaterThan(100);
      assertThat(s.misses()).as("partitions read again").isGreaterThan(100);
      assertThat(c.pageCacheStats().peakResidentBytes()).isLessThanOrEqualTo(32 << 10);
      checkAll(t, model);
      assertThat(t.verify().clean()).isTrue();
    }
    try (Coffer c = open(b, 0, 0)) {
      checkAll(table(c), model);
    }
  }

  private static void checkAll(Table t, Map<String, Item> model) {
    int found = 0;
    for (int p = 0; p < 40; p++) {
      for (Item it : t.query(Query.partition("p" + p)).items()) {
        assertThat(it).isEqualTo(model.get(it.get("pk").s() + "/" + it.get("sk").n()));
        found++;
      }
    }
    assertThat(found).isEqualTo(model.size());
  }
}
