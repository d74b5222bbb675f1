package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Re-encryption throughput: how fast {@link Table#rotateDataKey()} + {@link
 * Table#reencrypt(ReencryptOptions)} (unthrottled, {@link ReencryptOptions#defaults()}) moves a
 * whole table to a new data-key version, against how fast plain RocksDB rewrites the same values
 * and ends in the same state. Target (issue 14): re-encryption at least 0.8 of plain RocksDB's rate
 * (items per second at the same item size, payload, layout and item count, same run).
 *
 * <ul>
 *   <li>{@code store=coffer}: one invocation = {@code rotateDataKey()} (a fresh version, so there
 *       is always everything to do) then {@code reencrypt(defaults())}, which re-seals every record
 *       (page or delta record) under the new version and destroys the old one. The invocation fails
 *       unless the run finished, re-sealed at least one record and destroyed a version. In-memory
 *       key provider, page cache off, audit off.
 *   <li>{@code store=rocksdb}: one invocation = read every value in key order and write it back
 *       unchanged, in write batches of {@value #BATCH} (WAL on, no sync: {@link BaselineRocksDb}),
 *       then flush and a forced compaction of every file ({@link BaselineRocksDb#compactForced}):
 *       the same end state as Coffer's pass, which, destroying the old version, flushes and
 *       force-compacts the table's column family so that no live file holds a record of it. {@code
 *       ReencryptEndStateTest} checks that Coffer's pass does rewrite every file; if the engine
 *       stops compacting (issue 14 part 3: a compaction filter instead), that test fails and the
 *       baseline must stop compacting too.
 * </ul>
 *
 * <p>Both hold {@code itemCount} items of {@code itemBytes} (protobuf encoding, {@code payload}
 * random or compressible), the items of {@link BenchData}: {@code layout=pk-only} is a
 * partition-key-only table (RocksDB key: the 24-byte partition key); {@code
 * layout=100-per-partition} has 100 items per partition under sort keys (RocksDB key: partition key
 * then sort key). Coffer is filled through {@code putItem} and flushed; RocksDB with the WAL off,
 * then flushed and compacted.
 *
 * <p>Mode: single-shot, one whole-table pass per iteration (a pass takes from a tenth of a second
 * to tens of seconds), so the score is milliseconds per pass; items/s = {@code itemCount} / time,
 * MB/s of item data = {@code itemCount x itemBytes} / time. Secondary results (JMH {@code EVENTS}
 * counters: the value of one pass per iteration, summed by JMH over iterations; the per-iteration
 * values are in the JSON's {@code rawData}): {@code rewrittenBytes} (bytes written: Coffer's {@code
 * ReencryptResult.bytesResealed()}, i.e. sealed records with their envelopes; RocksDB's keys plus
 * values) and {@code records} (Coffer: records, i.e. pages and delta records, re-sealed; RocksDB:
 * values rewritten).
 *
 * <p>Run (the quick profile uses {@code -p itemCount=20000 -p itemBytes=256}, the full profile
 * {@code itemCount=100000}):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar ReencryptBenchmark -f 1 -wi 1 -i 3 -p itemCount=100000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
@Threads(1)
public class ReencryptBenchmark {
  static final String COFFER = "coffer";
  static final String ROCKSDB = "rocksdb";
  static final String PK_ONLY = "pk-only";
  static final String PER_PARTITION = "100-per-partition";
  static final int ITEMS_PER_PARTITION = 100;
  static final int BATCH = 1000;

  @Param({ROCKSDB, COFFER})
  public String store;

  @Param({PK_ONLY, PER_PARTITION})
  public String layout;

  @Param({"256", "1024"})
  public int itemBytes;

  @Param({"100000"})
  public int itemCount;

  @Param({BenchData.RANDOM, BenchData.COMPRESSIBLE})
  public String payload;

  private Path dir;
  private Coffer coffer;
  private Table table;
  private BaselineRocksDb rocks;

  @Setup(Level.Trial)
  public void setUp() {
    boolean sorted = PER_PARTITION.equals(layout);
    if (!sorted && !PK_ONLY.equals(layout)) {
      throw new IllegalArgumentException("unknown layout " + layout);
    }
    byte[][] payloads = BenchData.payloads(itemBytes, sorted, 42, payload);
    switch (store) {
      case COFFER:
        {
          dir = BenchData.scratchDir("coffer-reencrypt-");
          InMemoryKeyProvider provider =
              InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
          String keyId =
              provider
                  .createKey(CreateKeyRequest.withDescription("coffer bench reencrypt"))
                  .keyId();
          coffer =
              Coffer.open(
                  dir.resolve("store"),
                  CofferOptions.builder()
                      .keyProvider(provider)
                      .masterKeyId(keyId)
                      .pageCacheBytes(0)
                      .auditSink(AuditSink.none())
                      .build());
          TableSpec.Builder spec =
              TableSpec.builder().name("bench").partitionKey(BenchData.PK, AttributeType.S);
          if (sorted) {
            spec.sortKey(BenchData.SK, AttributeType.S);
          }
          table = coffer.createTable(spec.build());
          for (int i = 0; i < itemCount; i++) {
            table.putItem(
                sorted
                    ? BenchData.item(
                        i / ITEMS_PER_PARTITION,
                        i % ITEMS_PER_PARTITION,
                        payloads[i % payloads.length])
                    : BenchData.item(i, -1, payloads[i % payloads.length]));
          }
          coffer.flush();
          break;
        }
      case ROCKSDB:
        {
          byte[][] values = new byte[payloads.length][];
          for (int i = 0; i < payloads.length; i++) {
            values[i] =
                BenchData.encode(
                    sorted
                        ? BenchData.item(0, 0, payloads[i])
                        : BenchData.item(0, -1, payloads[i]));
          }
          rocks = BaselineRocksDb.create("rewrite");
          rocks.prefill(
              itemCount,
              new BaselineRocksDb.RowSource() {
                @Override
                public byte[] key(int i) {
                  return sorted
                      ? BenchData.rowKey(i / ITEMS_PER_PARTITION, i % ITEMS_PER_PARTITION)
                      : BenchData.rowKey(i);
                }

                @Override
                public byte[] value(int i) {
                  return values[i % values.length];
                }
              });
          break;
        }
      default:
        throw new IllegalArgumentException("unknown store " + store);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (coffer != null) {
      coffer.close();
      BenchData.deleteRecursively(dir);
    }
    if (rocks != null) {
      rocks.close();
    }
  }

  /** Secondary results: what the last pass wrote (one pass per iteration). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Rewritten {
    /** Bytes written: sealed records (Coffer) or keys + values (RocksDB). */
    public long rewrittenBytes;

    /** Records re-sealed (Coffer: pages and delta records) or values rewritten (RocksDB). */
    public long records;
  }

  /** One whole-table pass: re-encryption under a fresh data-key version, or a plain rewrite. */
  @Benchmark
  public long pass(Rewritten counters) {
    long records;
    long bytes;
    if (coffer != null) {
      int version = table.rotateDataKey();
      ReencryptResult r = table.reencrypt(ReencryptOptions.defaults());
      if (!r.finished()
          || r.pagesResealed() < 1
          || r.destroyedVersions().isEmpty()
          || r.targetVersion() != version) {
        throw new IllegalStateException(
            "re-encryption to version " + version + " did not re-encrypt the table: " + r);
      }
      records = r.pagesResealed();
      bytes = r.bytesResealed();
    } else {
      long[] kv = rewriteAll();
      records = kv[0];
      bytes = kv[1];
      if (records != itemCount) {
        throw new IllegalStateException("rewrote " + records + " values of " + itemCount);
      }
    }
    counters.rewrittenBytes = bytes;
    counters.records = records;
    return bytes;
  }

  /**
   * Reads every value in key order and writes it back, then flushes and force-compacts; returns
   * {values, key + value bytes}.
   */
  private long[] rewriteAll() {
    long n = 0;
    long bytes = 0;
    try (RocksIterator it = rocks.db.newIterator();
        WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] k = it.key();
        byte[] v = it.value();
        batch.put(k, v);
        n++;
        bytes += k.length + v.length;
        if (batch.count() == BATCH) {
          rocks.write(batch);
          batch.clear();
        }
      }
      if (batch.count() > 0) {
        rocks.write(batch);
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
    rocks.compactForced(); // the end state of Coffer's pass: every file rewritten
    return new long[] {n, bytes};
  }
}
