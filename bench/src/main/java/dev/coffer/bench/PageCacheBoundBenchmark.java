package dev.coffer.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.internal.partition.PageCache;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
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
 * Whether the cache of decrypted pages stays within its byte bound: random gets over a table many
 * times larger than the cache ({@code partitions} x 100 items of 256 B against {@code cacheBytes}),
 * sampling the cache's weighted size after every get. Reports, as JMH secondary results (JMH
 * sums these counters over iterations; each iteration's reading is in the JSON's {@code rawData}):
 *
 * <ul>
 *   <li>{@code boundBytes}: the configured bound ({@code PageCache.capacityBytes()}).
 *   <li>{@code maxWeightedBytes}: the largest weighted size seen so far in the trial, read from the
 *       Caffeine cache's {@link Policy} after every get without forcing maintenance, so it can see
 *       a write that is not yet followed by its evictions (the in-flight size).
 *   <li>{@code overBoundSamples}: how many of those samples exceeded the bound (0: never).
 *   <li>{@code maxSettledBytes}: the largest of the engine's own stat, {@code
 *       PageCache.weightedSize()} (which runs pending evictions first), sampled every 1024 gets.
 * </ul>
 *
 * <p>The engine exposes no cache statistic in its public API; the {@code PageCache} inside the
 * store is found by reflection (the first one reachable from the {@code Coffer} object through
 * fields). The weight is the engine's own estimate of a node's bytes, not a heap measurement. The
 * gets' throughput is not a target (the sampling costs time).
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

  private ItemStore.CofferItemStore items;
  private PageCache pageCache;
  private Policy.Eviction<?, ?> eviction;

  @Setup(Level.Trial)
  public void setUp() {
    byte[][] payloads = BenchData.payloads(256, true, 42);
    items = (ItemStore.CofferItemStore) ItemStore.create(ItemStore.COFFER_CACHE_ON, true, cacheBytes);
    for (int p = 0; p < partitions; p++) {
      for (int s = 0; s < ITEMS_PER_PARTITION; s++) {
        items.put(BenchData.item(p, s, payloads[(p * ITEMS_PER_PARTITION + s) % payloads.length]));
      }
    }
    items.settle();
    CacheStats.MAX_SEEN.set(0);
    CacheStats.MAX_SETTLED.set(0);
    pageCache = find(items.coffer, PageCache.class)
        .orElseThrow(() -> new IllegalStateException("no PageCache reachable from Coffer"));
    Cache<?, ?> cache = find(pageCache, Cache.class)
        .orElseThrow(() -> new IllegalStateException("no Caffeine cache inside PageCache"));
    eviction = cache.policy().eviction()
        .orElseThrow(() -> new IllegalStateException("the page cache is not size-bounded"));
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
    /** EVENTS counters are summed over threads: only the first thread reports bound and max. */
    final boolean reporter = THREADS.getAndIncrement() == 0;

    static final AtomicLong MAX_SETTLED = new AtomicLong();
    public long boundBytes;
    public long maxWeightedBytes;
    public long overBoundSamples;
    public long maxSettledBytes;
    private int ops;

    @Setup(Level.Iteration)
    public void reset() {
      overBoundSamples = 0;
    }
  }

  @Benchmark
  public Item randomGet(CacheStats stats) {
    Item item = items.get(Key.of(
        BenchData.partitionKey(stats.random.nextInt(partitions)),
        BenchData.sortKey(stats.random.nextInt(ITEMS_PER_PARTITION))));
    long weighted = eviction.weightedSize().orElse(-1);
    long bound = eviction.getMaximum();
    if (weighted > bound) {
      stats.overBoundSamples++;
    }
    long max = CacheStats.MAX_SEEN.accumulateAndGet(weighted, Math::max);
    if (stats.reporter) {
      stats.boundBytes = bound;
      stats.maxWeightedBytes = max;
      if ((++stats.ops & 1023) == 0) {
        // The engine's own stat, after pending evictions ran (it calls cleanUp): every 1024 gets.
        stats.maxSettledBytes = CacheStats.MAX_SETTLED.accumulateAndGet(pageCache.weightedSize(), Math::max);
      }
    }
    return item;
  }

  /** The first instance of {@code type} reachable from {@code root} through fields (breadth first). */
  static <T> Optional<T> find(Object root, Class<T> type) {
    Deque<Object> queue = new ArrayDeque<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      Object o = queue.poll();
      if (o == null || seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      if (type.isInstance(o)) {
        return Optional.of(type.cast(o));
      }
      if (!o.getClass().getName().startsWith("dev.coffer.")) {
        continue; // only walk Coffer's own objects
      }
      for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          try {
            f.setAccessible(true);
            queue.add(f.get(o));
          } catch (ReflectiveOperationException | RuntimeException e) {
            // not reachable: skip
          }
        }
      }
    }
    return Optional.empty();
  }
}
