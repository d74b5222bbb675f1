package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe, not a test: off unless {@code -Dcoffer.probe.items=N}. Fills N items, 100 per partition,
 * in a shuffled order (the benchmark's scaling dataset, page cache off), reopens the store, and
 * prints what random gets open per get (point reads, records, bytes) in rounds, and how many
 * background folds ran. Counts only, never timings. Run with {@code ./mvnw -B -ntp verify -pl
 * engine -am -Dtest=FoldAfterFillProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcoffer.probe.items=200000}.
 */
@EnabledIfSystemProperty(named = "coffer.probe.items", matches = "\\d+")
class FoldAfterFillProbe {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static final int PER_PARTITION = 100;

  static Item item(int i, byte[] payload) {
    return Item.builder()
        .string("pk", String.format(Locale.ROOT, "p%011d", i / PER_PARTITION))
        .string("sk", String.format(Locale.ROOT, "s%05d", i % PER_PARTITION))
        .bytes("v", payload)
        .build();
  }

  static byte[] payload(int i) {
    byte[] payload = new byte[220];
    new SplittableRandom(i).nextBytes(payload);
    return payload;
  }

  static Key key(int i) {
    return Key.of(
        AttributeValue.s(String.format(Locale.ROOT, "p%011d", i / PER_PARTITION)),
        AttributeValue.s(String.format(Locale.ROOT, "s%05d", i % PER_PARTITION)));
  }

  @Test
  void probe() throws Exception {
    int items = Integer.getInteger("coffer.probe.items");
    int rounds = Integer.getInteger("coffer.probe.rounds", 5);
    int gets = Integer.getInteger("coffer.probe.gets", 10_000);
    SplittableRandom random = new SplittableRandom(7);
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[i] = i;
    }
    for (int i = items - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    TestBackend[] b = new TestBackend[1];
    CofferOptions options = stores.options().pageCacheBytes(0).build();
    try (Coffer c = TestBackend.open(dir, options, b)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("bench")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .build());
      for (int i : order) {
        t.putItem(item(i, payload(i)));
      }
      c.flush();
      EngineAccess.partitions(c).drainFolds();
      System.out.printf(
          Locale.ROOT,
          "fill: %,d items, %,d background folds%n",
          items,
          EngineAccess.partitions(c).backgroundFolds());
    }
    try (Coffer c = TestBackend.open(dir, options, b)) {
      Table t = c.table("bench");
      for (int r = 0; r < rounds; r++) {
        TestBackend.Opened before = b[0].openedByThisThread();
        long readsBefore = b[0].tableReadsOfThisThread();
        long most = 0;
        for (int n = 0; n < gets; n++) {
          int i = random.nextInt(items);
          long records = b[0].openedByThisThread().records();
          assertThat(t.getItem(key(i))).contains(item(i, payload(i)));
          most = Math.max(most, b[0].openedByThisThread().records() - records);
        }
        assertThat(most).as("records one get opened: root, page, delta records").isLessThan(19);
        TestBackend.Opened after = b[0].openedByThisThread();
        long reads = b[0].tableReadsOfThisThread() - readsBefore;
        EngineAccess.partitions(c).drainFolds();
        System.out.printf(
            Locale.ROOT,
            "round %d: per get %.3f point reads, %.3f records opened (at most %d), %.0f bytes opened;"
                + " background folds so far %,d; metadata %s%n",
            r,
            reads / (double) gets,
            (after.records() - before.records()) / (double) gets,
            most,
            (after.bytes() - before.bytes()) / (double) gets,
            EngineAccess.partitions(c).backgroundFolds(),
            c.partitionMetadataStats());
      }
    }
  }
}
