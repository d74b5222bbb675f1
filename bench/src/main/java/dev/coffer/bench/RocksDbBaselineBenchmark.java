package dev.coffer.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Plain RocksDB with plaintext 24-byte keys and protobuf-encoded items as values: what the
 * substrate does on this machine without Coffer on top (compare with DESIGN.md section 12).
 *
 * <p>The database is prefilled with {@code itemCount} items of {@code itemBytes} (WAL off for the
 * load, then flushed and compacted), so reads come from SST files and the block cache. Options are
 * those of {@link BaselineRocksDb}: the engine's RocksDB options and block cache, WAL on, no sync.
 * {@code payload}: random or compressible ({@link BenchData}).
 *
 * <ul>
 *   <li>{@code put}: overwrite of a random existing key (the database keeps its size).
 *   <li>{@code get}: point read of a random existing key.
 *   <li>{@code rewrite}: read every value in key order and write it back, in batches of {@value
 *       #REWRITE_BATCH}: the I/O floor of re-encrypting a table. Scored per value.
 * </ul>
 *
 * <p>Run ({@code itemCount=1000000} is the full profile):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar RocksDbBaselineBenchmark -p itemCount=100000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class RocksDbBaselineBenchmark {
  static final int REWRITE_BATCH = 1000;

  @Param({"100000"})
  public int itemCount;

  @Param({"256", "1024"})
  public int itemBytes;

  @Param({BenchData.RANDOM, BenchData.COMPRESSIBLE})
  public String payload;

  private BaselineRocksDb db;
  private byte[][] values;

  @Setup(Level.Trial)
  public void setUp() {
    byte[][] payloads = BenchData.payloads(itemBytes, false, 42, payload);
    values = new byte[payloads.length][];
    for (int i = 0; i < payloads.length; i++) {
      values[i] = BenchData.encode(BenchData.item(i, -1, payloads[i]));
    }
    db = BaselineRocksDb.create("baseline");
    db.prefill(
        itemCount,
        new BaselineRocksDb.RowSource() {
          @Override
          public byte[] key(int i) {
            return BenchData.rowKey(i);
          }

          @Override
          public byte[] value(int i) {
            return values[i % values.length];
          }
        });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  /** Per-thread random source and rewrite cursor. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicLong SEEDS = new AtomicLong(7);
    final SplittableRandom random = new SplittableRandom(SEEDS.getAndIncrement());
    RocksIterator iterator; // closed by the database
  }

  @Benchmark
  public void put(Cursor c) {
    db.put(BenchData.rowKey(c.random.nextInt(itemCount)), values[c.random.nextInt(values.length)]);
  }

  @Benchmark
  public byte[] get(Cursor c) {
    return db.get(BenchData.rowKey(c.random.nextInt(itemCount)));
  }

  @Benchmark
  @OperationsPerInvocation(REWRITE_BATCH)
  public void rewrite(Cursor c) {
    if (c.iterator == null) {
      c.iterator = db.newIterator();
      c.iterator.seekToFirst();
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (int n = 0; n < REWRITE_BATCH; n++) {
        if (!c.iterator.isValid()) {
          c.iterator.close();
          c.iterator = db.newIterator();
          c.iterator.seekToFirst();
        }
        batch.put(c.iterator.key(), c.iterator.value());
        c.iterator.next();
      }
      db.write(batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }
}
