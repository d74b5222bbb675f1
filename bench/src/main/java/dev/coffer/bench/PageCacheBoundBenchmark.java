package dev.coffer.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import dev.coffer.Item;
import dev.coffer.Key;
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
 * sampling the cache's weighted size after every get. Reports, as JMH secondary results: {@code
 * boundBytes} (the configured bound), {@code maxWeightedBytes} (the largest weighted size seen so
 * far in the trial) and {@code overBoundSamples} (how many samples exceeded the bound: 0 means the
 * bound held in every sample).
 *
 * <p>The engine exposes no cache statistic in its public API, so this reads the Caffeine cache
 * inside the store by reflection (the first {@link Cache} field reachable from the {@code Coffer}
 * object) and asks its {@link Policy} for the weighted size. The weight is the engine's own
 * estimate of a page's bytes, not a heap measurement. The gets' throughput is not a target (the
 * sampling costs time).
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
    Cache<?, ?> cache = findCache(items.coffer)
        .orElseThrow(() -> new IllegalStateException("no Caffeine cache reachable from Coffer"));
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

    public long boundBytes;
    public long maxWeightedBytes;
    public long overBoundSamples;

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
    }
    return item;
  }

  /** The first Caffeine {@link Cache} reachable from {@code root} through fields (breadth first). */
  static Optional<Cache<?, ?>> findCache(Object root) {
    Deque<Object> queue = new ArrayDeque<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      Object o = queue.poll();
      if (o == null || seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      if (o instanceof Cache) {
        return Optional.of((Cache<?, ?>) o);
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
