package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.partition.Partitions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads get leaves folded: a leaf whose delta records gets keep opening from the store is folded by
 * the background folder once the records they opened add up to its read debt, and from then on a
 * get of it opens one record (the page). A leaf read once, or read from the page cache, is not
 * folded for its readers. Counts only: what each get read from the store ({@link
 * TestBackend#openedByThisThread}), and the folds.
 */
class ReadsFoldLeavesTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item item(int sk, int version) {
    return Item.builder()
        .string("pk", "p")
        .number("sk", sk)
        .string("pad", "v" + version + "-" + "x".repeat(200))
        .build();
  }

  private static Key key(int sk) {
    return Key.of(AttributeValue.s("p"), AttributeValue.n(sk));
  }

  private Coffer open(TestBackend[] b) {
    return TestBackend.open(dir, stores.options().pageCacheBytes(0).build(), b);
  }

  /** Fills one partition, then overwrites a few items: their leaves carry delta records. */
  private void fill(TestBackend[] b) {
    try (Coffer c = open(b)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      for (int i = 0; i < 100; i++) {
        t.putItem(item(i, 0));
      }
      for (int v = 1; v <= 3; v++) {
        t.putItem(item(50, v));
      }
    }
  }

  /** Records one get of {@code sk} opened from the store. */
  private static long recordsOpenedByGet(TestBackend b, Table t, int sk, int version) {
    long before = b.openedByThisThread().records();
    assertThat(t.getItem(key(sk))).contains(item(sk, version));
    return b.openedByThisThread().records() - before;
  }

  @Test
  void getsThatKeepOpeningDeltaRecordsGetTheLeafFolded() throws Exception {
    TestBackend[] b = new TestBackend[1];
    fill(b);
    try (Coffer c = open(b)) {
      Table t = table(c);
      Partitions p = EngineAccess.partitions(c);
      recordsOpenedByGet(b[0], t, 0, 0); // the partition's root is read once, then held
      long first = recordsOpenedByGet(b[0], t, 50, 3);
      assertThat(first).as("page and delta records of the leaf").isGreaterThanOrEqualTo(4);
      p.drainFolds();
      assertThat(p.backgroundFolds()).as("folds after one get").isZero();
      // each get adds the leaf's delta records to its read debt; the bound is 32 records, so the
      // leaf is folded after a few gets, each of which opened every record until then
      int gets = 1;
      while (p.backgroundFolds() == 0 && gets < 64) {
        assertThat(recordsOpenedByGet(b[0], t, 50, 3)).isEqualTo(first);
        gets++;
        p.drainFolds();
      }
      assertThat(p.backgroundFolds()).as("folds after %d gets", gets).isEqualTo(1);
      assertThat(gets).isGreaterThan(1);
      assertThat(recordsOpenedByGet(b[0], t, 50, 3)).as("a get of the folded leaf").isEqualTo(1);
      for (int sk = 0; sk < 100; sk++) {
        assertThat(t.getItem(key(sk))).contains(item(sk, sk == 50 ? 3 : 0));
      }
      assertThat(t.verify().clean()).isTrue();
    }
    try (Coffer c = open(b)) {
      recordsOpenedByGet(b[0], table(c), 0, 0);
      assertThat(recordsOpenedByGet(b[0], table(c), 50, 3)).as("after a reopen").isEqualTo(1);
    }
  }

  @Test
  void leavesReadFromThePageCacheAreNotFoldedForTheirReaders() throws Exception {
    TestBackend[] b = new TestBackend[1];
    fill(b);
    try (Coffer c = TestBackend.open(dir, stores.options().pageCacheBytes(1 << 20).build(), b)) {
      Table t = table(c);
      recordsOpenedByGet(b[0], t, 0, 0);
      assertThat(recordsOpenedByGet(b[0], t, 50, 3)).isGreaterThanOrEqualTo(4);
      for (int n = 0; n < 40; n++) {
        assertThat(recordsOpenedByGet(b[0], t, 50, 3)).as("from the cache").isZero();
      }
      EngineAccess.partitions(c).drainFolds();
      assertThat(EngineAccess.partitions(c).backgroundFolds()).isZero();
    }
  }

  private static Table table(Coffer c) {
    return c.table("events");
  }
}
