package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.partition.PageCache;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decrypted-page cache never holds more than its configured byte bound, as the public statistic
 * reports it.
 */
class PageCacheBoundTest {
  private static final long BOUND = 96 * 1024;

  @TempDir Path dir;

  @Test
  void weightedSizeNeverExceedsTheBoundUnderRandomReads() {
    TestStores stores = new TestStores();
    try (Coffer c = stores.open(dir, BOUND)) {
      Table events =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      Table users =
          c.createTable(
              TableSpec.builder().name("users").partitionKey("pk", AttributeType.S).build());
      Random rnd = new Random(42);
      // ~1.2 MB of items (more than 12 times the bound) in multi-leaf and single-item partitions
      for (int i = 0; i < 3000; i++) {
        events.putItem(
            Item.builder()
                .string("pk", "p" + (i % 60))
                .number("sk", i)
                .string("v", "x".repeat(100 + rnd.nextInt(400)))
                .build());
        users.putItem(
            Item.builder()
                .string("pk", "u" + i)
                .string("v", "y".repeat(50 + rnd.nextInt(200)))
                .build());
      }
      PageCache cache = c.items().partitions().cache();
      assertThat(cache.capacityBytes()).isEqualTo(BOUND);
      assertThat(cache.weightedSize()).isLessThanOrEqualTo(BOUND);
      long maxSeen = 0;
      for (int round = 0; round < 4000; round++) {
        switch (rnd.nextInt(4)) {
          case 0 ->
              assertThat(
                      events.getItem(
                          Key.of(
                              AttributeValue.s("p" + rnd.nextInt(60)),
                              AttributeValue.n(rnd.nextInt(3000)))))
                  .isNotNull();
          case 1 -> events.query(Query.partition("p" + rnd.nextInt(60)).limit(1 + rnd.nextInt(80)));
          case 2 -> users.getItem(Key.of(AttributeValue.s("u" + rnd.nextInt(3000))));
          default ->
              events.putItem(
                  Item.builder()
                      .string("pk", "p" + rnd.nextInt(60))
                      .number("sk", rnd.nextInt(3000))
                      .string("v", "z".repeat(rnd.nextInt(600)))
                      .build());
        }
        if (round % 50 == 0) {
          long size = cache.weightedSize();
          assertThat(size).isLessThanOrEqualTo(BOUND);
          maxSeen = Math.max(maxSeen, size);
        }
      }
      // the reads did fill it: the bound, not a lack of data, is what kept it small
      assertThat(maxSeen).isGreaterThan(BOUND / 2);
      assertThat(cache.weightedSize()).isLessThanOrEqualTo(BOUND);
      PageCacheStats stats = c.pageCacheStats();
      assertThat(stats.capacityBytes()).isEqualTo(BOUND);
      assertThat(stats.peakResidentBytes()).isLessThanOrEqualTo(BOUND).isGreaterThan(BOUND / 2);
      assertThat(stats.residentBytes()).isEqualTo(cache.weightedSize());
      assertThat(stats.hits()).isPositive();
      assertThat(stats.misses()).isPositive();
      assertThat(stats.evictions()).isPositive();
    }
  }

  @Test
  void aCacheOfZeroBytesHoldsNothing() {
    TestStores stores = new TestStores();
    try (Coffer c = stores.open(dir, 0)) {
      Table users =
          c.createTable(
              TableSpec.builder().name("users").partitionKey("pk", AttributeType.S).build());
      for (int i = 0; i < 100; i++) {
        users.putItem(Item.builder().string("pk", "u" + i).build());
        users.getItem(Key.of(AttributeValue.s("u" + i)));
      }
      assertThat(c.items().partitions().cache().weightedSize()).isZero();
      assertThat(c.items().partitions().cache().nodeCount()).isZero();
      assertThat(c.pageCacheStats()).isEqualTo(new PageCacheStats(0, 0, 0, 0, 0, 0, 0));
    }
  }
}
