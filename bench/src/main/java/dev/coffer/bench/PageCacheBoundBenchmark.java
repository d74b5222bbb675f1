package dev.coffer.bench;

import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.PageCacheStats;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether the cache of decrypted pages stays within its byte bound: random gets from 2 threads over
 * a table many times larger than the cache ({@code partitions} x 100 items of 256 B against {@code
 * cacheBytes}), reading the public statistic {@link dev.coffer.Coffer#pageCacheStats()} after every
 * get. Reports, as JMH secondary results (JMH sums these counters over iterations; each iteration's
 * reading is in the JSON's {@code rawData}):
 *
 * <ul>
 *   <li>{@code boundBytes}: the configured bound ({@code capacityBytes}).
 *   <li>{@code maxResidentBytes}: the largest {@code residentBytes} sampled after a get, so far in
 *       the trial. Resident bytes are reserved before a node enters the cache and released after it
 *       has left, so they are never below what the cache holds.
 *   <li>{@code overBoundSamples}: how many of those samples exceeded the bound (0: never).
 *   <li>{@code peakResidentBytes}: the engine's own high-water mark of resident bytes since the
 *       store was opened: every instant, not only the sampled ones.
 *   <li>{@code evictions}: nodes evicted so far (shows the cache was full and working).
 * </ul>
 *
 * <p>The weight is the engine's estimate of a node's bytes (encoded page plus a fixed per-entry
 * overhead), not a heap measurement. The gets' throughput is not a target (sampling costs time).
 *
 * <p>Run:
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar PageCacheBoundBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(2)
public class PageCacheBoundBenchmark {
  static final int ITEMS_PER_PARTITION = EnginePartitionBenchmark.ITEMS_PER_PARTITION;

  @Param({"1048576"})
  public long cacheBytes;

  @Param({"1000"})
  public int partitions;

  private CofferItemStore items;

  @Setup(Level.Trial)
  public void setUp() {
    byte[][] payloads = BenchData.payloads(256, true, 42);
    items = (CofferItemStore) ItemStore.create(ItemStore.COFFER_CACHE_ON, true, cacheBytes);
    for (int p = 0; p < partitions; p++) {
      for (int s = 0; s < ITEMS_PER_PARTITION; s++) {
        items.put(BenchData.item(p, s, payloads[(p * ITEMS_PER_PARTITION + s) % payloads.length]));
      }
    }
    items.settle();
    CacheStats.MAX_SEEN.set(0);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    items.close();
  }

  /** The bound and what was seen of it; the fields are JMH secondary results. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CacheStats {
    private static final AtomicLong SEEDS = new AtomicLong(909);
    private static final java.util.concurrent.atomic.AtomicInteger THREADS =
        new java.util.concurrent.atomic.AtomicInteger();
    static final AtomicLong MAX_SEEN = new AtomicLong();
    final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());

    /** EVENTS counters are summed over threads: only the first thread reports. */
    final boolean reporter = THREADS.getAndIncrement() == 0;

    public long boundBytes;
    public long maxResidentBytes;
    public long overBoundSamples;
    public long peakResidentBytes;
    public long evictions;

    @Setup(Level.Iteration)
    public void reset() {
      overBoundSamples = 0;
    }
  }

  @Benchmark
  public Item randomGet(CacheStats stats) {
    Item item =
        items.get(
            Key.of(
                BenchData.partitionKey(stats.random.nextInt(partitions)),
                BenchData.sortKey(stats.random.nextInt(ITEMS_PER_PARTITION))));
    PageCacheStats cache = items.coffer.pageCacheStats();
    if (cache.residentBytes() > cache.capacityBytes()) {
      stats.overBoundSamples++;
    }
    long max = CacheStats.MAX_SEEN.accumulateAndGet(cache.residentBytes(), Math::max);
    if (stats.reporter) {
      stats.boundBytes = cache.capacityBytes();
      stats.maxResidentBytes = max;
      stats.peakResidentBytes = cache.peakResidentBytes();
      stats.evictions = cache.evictions();
    }
    return item;
  }
}
