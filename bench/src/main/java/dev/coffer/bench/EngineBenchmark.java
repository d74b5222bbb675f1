package dev.coffer.bench;

import dev.coffer.Item;
import dev.coffer.Key;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Coffer vs plain RocksDB on a partition-key-only table (one item per partition, so each item is
 * one sealed page): put and get, one thread and two. The {@code store} param names the four stores
 * of {@link ItemStore}, two pairs with the same memory on both sides: {@code coffer-cache-off}
 * ({@code pageCacheBytes(0)}: every get opens a page) against {@code rocksdb} (the same protobuf
 * items under plaintext 24-byte keys, the engine's RocksDB options and block cache), and {@code
 * coffer-cache-on} (the default 64 MiB cache of decrypted pages) against {@code rocksdb-cache-on}
 * (a block cache 64 MiB larger). {@code payload} is {@code random} or {@code compressible} ({@link
 * BenchData}).
 *
 * <p>The table is prefilled with {@code itemCount} items of {@code itemBytes} (encoded) through the
 * same put path, in a shuffled order (Coffer's keys are keyed hashes, so they reach RocksDB in no
 * particular order; the baseline's keys do the same), then memtables are flushed; with {@code -f 0}
 * (as {@code bench/run.sh} runs it, one JVM per store and round) every method reuses that one
 * prefilled store ({@link ItemStore#shared}). {@code put} overwrites a random existing item; {@code
 * get} reads a random existing item. Leaves out: deletes, conditional and returning puts, items
 * larger than a page, durability (both sides write the WAL without sync).
 *
 * <p>Run ({@code itemCount=1000000} is the full profile):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar EngineBenchmark -p itemCount=100000
 * java -jar bench/target/benchmarks.jar EngineBenchmark -p itemCount=100000 -p store=coffer-cache-off -f 0
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class EngineBenchmark {
  @Param({
    ItemStore.ROCKSDB,
    ItemStore.COFFER_CACHE_OFF,
    ItemStore.ROCKSDB_CACHE_ON,
    ItemStore.COFFER_CACHE_ON
  })
  public String store;

  @Param({"100000"})
  public int itemCount;

  @Param({"256"})
  public int itemBytes;

  @Param({BenchData.RANDOM, BenchData.COMPRESSIBLE})
  public String payload;

  private ItemStore items;
  private byte[][] payloads;

  @Setup(Level.Trial)
  public void setUp() {
    payloads = BenchData.payloads(itemBytes, false, 42, payload);
    items =
        ItemStore.shared(
            store,
            false,
            ItemStore.DEFAULT_CACHE_BYTES,
            itemCount + "x" + itemBytes + payload,
            s -> {
              for (int i : BenchData.shuffled(itemCount, 7)) {
                s.put(BenchData.item(i, -1, payloads[i % payloads.length]));
              }
            });
  }

  /** Per-thread random source. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicLong SEEDS = new AtomicLong(101);
    final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());
  }

  private void putOne(Cursor c) {
    items.put(
        BenchData.item(
            c.random.nextInt(itemCount), -1, payloads[c.random.nextInt(payloads.length)]));
  }

  private Item getOne(Cursor c) {
    return items.get(Key.of(BenchData.partitionKey(c.random.nextInt(itemCount))));
  }

  @Benchmark
  public void put(Cursor c) {
    putOne(c);
  }

  @Benchmark
  public Item get(Cursor c) {
    return getOne(c);
  }

  @Benchmark
  @Threads(2)
  public void putConcurrent(Cursor c) {
    putOne(c);
  }

  @Benchmark
  @Threads(2)
  public Item getConcurrent(Cursor c) {
    return getOne(c);
  }
}
