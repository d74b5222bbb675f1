package dev.coffer.bench;

import dev.coffer.Item;
import dev.coffer.Key;
import java.util.List;
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
 * Coffer vs plain RocksDB on a table with a sort key and {@value #ITEMS_PER_PARTITION} items per
 * partition (so a partition is a small B+tree of pages): put, get, query of a whole partition,
 * query of 10 items, scan of the whole table; one thread, and two for put, get and whole-partition
 * query. Stores and payloads as in {@link EngineBenchmark} (two pairs with the same memory on both
 * sides: {@code coffer-cache-off} against {@code rocksdb}, {@code coffer-cache-on} against {@code
 * rocksdb-cache-on}).
 *
 * <p>The table is prefilled with {@code partitions} x {@value #ITEMS_PER_PARTITION} items of {@code
 * itemBytes} (encoded) through the same put path, then memtables are flushed; with {@code -f 0} (as
 * {@code bench/run.sh} runs it, one JVM per store) every method reuses that one prefilled store
 * ({@link ItemStore#shared}). {@code put} overwrites a random existing item; {@code get} reads one;
 * {@code queryPartition} reads all {@value #ITEMS_PER_PARTITION} items of a random partition;
 * {@code queryTen} reads 10 items from a random sort key; {@code scan} reads every item of the
 * table (one operation = the whole table). The fill goes partition by partition in sort order (a
 * table that grew by appends); the measured puts then land anywhere. Leaves out: deletes,
 * partitions of other sizes, descending queries, filters and projections, durability (both sides
 * write the WAL without sync).
 *
 * <p>Run ({@code partitions=10000}, i.e. 1M items, is the full profile):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar EnginePartitionBenchmark -p partitions=1000
 * java -jar bench/target/benchmarks.jar EnginePartitionBenchmark -p partitions=1000 -p store=rocksdb -f 0
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class EnginePartitionBenchmark {
  static final int ITEMS_PER_PARTITION = 100;
  static final int QUERY_LIMIT = 10;

  @Param({
    ItemStore.ROCKSDB,
    ItemStore.COFFER_CACHE_OFF,
    ItemStore.ROCKSDB_CACHE_ON,
    ItemStore.COFFER_CACHE_ON
  })
  public String store;

  @Param({"1000"})
  public int partitions;

  @Param({"256"})
  public int itemBytes;

  @Param({BenchData.RANDOM, BenchData.COMPRESSIBLE})
  public String payload;

  private ItemStore items;
  private byte[][] payloads;

  @Setup(Level.Trial)
  public void setUp() {
    payloads = BenchData.payloads(itemBytes, true, 42, payload);
    // Partition by partition, in sort order: how a table that grew by appends looks.
    items =
        ItemStore.shared(
            store,
            true,
            ItemStore.DEFAULT_CACHE_BYTES,
            partitions + "x100x" + itemBytes + payload,
            st -> {
              for (int p = 0; p < partitions; p++) {
                for (int s = 0; s < ITEMS_PER_PARTITION; s++) {
                  st.put(
                      BenchData.item(
                          p, s, payloads[(p * ITEMS_PER_PARTITION + s) % payloads.length]));
                }
              }
            });
  }

  /** Per-thread random source. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicLong SEEDS = new AtomicLong(303);
    final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());
  }

  private void putOne(Cursor c) {
    items.put(
        BenchData.item(
            c.random.nextInt(partitions),
            c.random.nextInt(ITEMS_PER_PARTITION),
            payloads[c.random.nextInt(payloads.length)]));
  }

  private Item getOne(Cursor c) {
    return items.get(
        Key.of(
            BenchData.partitionKey(c.random.nextInt(partitions)),
            BenchData.sortKey(c.random.nextInt(ITEMS_PER_PARTITION))));
  }

  private List<Item> queryPartitionOne(Cursor c) {
    List<Item> out = items.query(BenchData.partitionKey(c.random.nextInt(partitions)), null, 0);
    if (out.size() != ITEMS_PER_PARTITION) {
      throw new IllegalStateException(store + " returned " + out.size() + " items of a partition");
    }
    return out;
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
  public List<Item> queryPartition(Cursor c) {
    return queryPartitionOne(c);
  }

  @Benchmark
  public List<Item> queryTen(Cursor c) {
    int from = c.random.nextInt(ITEMS_PER_PARTITION - QUERY_LIMIT + 1);
    return items.query(
        BenchData.partitionKey(c.random.nextInt(partitions)), BenchData.sortKey(from), QUERY_LIMIT);
  }

  @Benchmark
  public long scan() {
    long n = items.scan();
    if (n != (long) partitions * ITEMS_PER_PARTITION) {
      throw new IllegalStateException(store + " scanned " + n + " items");
    }
    return n;
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

  @Benchmark
  @Threads(2)
  public List<Item> queryPartitionConcurrent(Cursor c) {
    return queryPartitionOne(c);
  }
}
