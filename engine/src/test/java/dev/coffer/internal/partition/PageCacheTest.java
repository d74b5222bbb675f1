package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.coffer.PageCacheStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cache's resident-byte count: reserved before an insert, so the bound holds at every instant.
 */
class PageCacheTest {
  private static final long BOUND = 64 * 1024;
  private static final byte[] TOKEN = new byte[16];

  /** An inner node of about {@code bytes} bytes. */
  private static Node node(int bytes) {
    List<ByteString> separators = List.of(ByteString.copyFrom(new byte[bytes]));
    return Node.inner(separators, List.of(1L, 2L), 3, 2, 0);
  }

  @Test
  void residentBytesNeverPassTheBoundWhileFourThreadsInsertReplaceAndInvalidate() throws Exception {
    PageCache cache = new PageCache(BOUND);
    AtomicLong maxSampled = new AtomicLong();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        workers.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(seed);
                  start.await();
                  for (int i = 0; i < 50_000; i++) {
                    long id = rnd.nextInt(400);
                    switch (rnd.nextInt(10)) {
                      case 0 -> cache.invalidate(1, TOKEN, id);
                      case 1, 2, 3 -> cache.get(1, TOKEN, id);
                      default -> cache.put(1, TOKEN, id, node(100 + rnd.nextInt(4000)));
                    }
                  }
                  return null;
                }));
      }
      Future<?> sampler =
          pool.submit(
              () -> {
                start.await();
                while (!workers.stream().allMatch(Future::isDone)) {
                  maxSampled.accumulateAndGet(cache.stats().residentBytes(), Math::max);
                }
                return null;
              });
      start.countDown();
      for (Future<?> f : workers) {
        f.get(2, TimeUnit.MINUTES);
      }
      sampler.get(1, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }
    PageCacheStats stats = cache.stats();
    assertThat(maxSampled.get()).isLessThanOrEqualTo(BOUND);
    assertThat(stats.peakResidentBytes()).isLessThanOrEqualTo(BOUND).isGreaterThan(BOUND / 2);
    assertThat(stats.evictions()).isPositive();
    assertThat(stats.hits() + stats.misses()).isPositive();
    // once every thread is done, the count is exactly what the cache holds
    assertThat(stats.residentBytes()).isEqualTo(cache.weightedSize());
  }

  @Test
  void replacingANodeWithItselfOrAHeavierOneKeepsTheCountExact() {
    PageCache cache = new PageCache(BOUND);
    Node small = node(1000);
    cache.put(1, TOKEN, 7, small);
    cache.put(1, TOKEN, 7, small); // the same instance again
    assertThat(cache.stats().residentBytes())
        .isEqualTo(PageCache.weight(small))
        .isEqualTo(cache.weightedSize());
    Node big = node(5000);
    cache.put(1, TOKEN, 7, big);
    assertThat(cache.stats().residentBytes())
        .isEqualTo(PageCache.weight(big))
        .isEqualTo(cache.weightedSize());
    cache.invalidate(1, TOKEN, 7);
    assertThat(cache.stats().residentBytes()).isZero();
    assertThat(cache.stats().nodes()).isZero();
  }

  @Test
  void aNodeHeavierThanTheWholeBoundIsNotCachedAndDropsItsOlderVersion() {
    PageCache cache = new PageCache(BOUND);
    cache.put(1, TOKEN, 7, node(1000));
    cache.put(1, TOKEN, 7, node((int) BOUND * 2));
    assertThat(cache.get(1, TOKEN, 7)).isNull();
    assertThat(cache.stats().residentBytes()).isZero();
  }

  @Test
  void fillingPastTheBoundEvictsTheColdestFirst() {
    PageCache cache = new PageCache(BOUND);
    int each = 4000;
    int fit = (int) (BOUND / PageCache.weight(node(each)));
    for (int id = 0; id < fit + 5; id++) {
      cache.put(1, TOKEN, id, node(each));
      assertThat(cache.stats().residentBytes()).isLessThanOrEqualTo(BOUND);
    }
    assertThat(cache.stats().nodes()).isLessThanOrEqualTo(fit);
    assertThat(cache.get(1, TOKEN, fit + 4)).isNotNull(); // the newest stays
    assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aCacheOfZeroBytesCountsNothing() {
    PageCache cache = new PageCache(0);
    cache.put(1, TOKEN, 7, node(100));
    assertThat(cache.get(1, TOKEN, 7)).isNull();
    assertThat(cache.stats()).isEqualTo(new PageCacheStats(0, 0, 0, 0, 0, 0, 0));
  }
}
