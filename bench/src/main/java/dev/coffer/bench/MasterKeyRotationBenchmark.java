package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.MasterKeyRotation;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Master-key rotation by rewrap ({@link Coffer#rotateMasterKey()}) against the size of the store:
 * the engine re-wraps every wrapped key (store key, data-key versions, index keys) through the
 * provider's {@code ReEncrypt} and replaces the header and catalog in one synced write batch; no
 * page is read or written, so the time should not grow with the data. Target: the {@code
 * storeMiB=1024} store's time within 2x of the {@code storeMiB=10} store's.
 *
 * <p>Per trial (one forked JVM per store size) a store of about {@code storeMiB} MiB of item data
 * is filled once through the public API: one partition-key-only table, items of {@value
 * #ITEM_PAYLOAD_BYTES} B of random (incompressible) payload, page cache off, then {@code flush()},
 * close and reopen (so the store is measured as after a restart), and a wait until RocksDB's
 * compactions of the fill are over (the store's files unchanged for 2 s) and an fsync of every file
 * (no dirty page of the fill left): the store at rest. It lives in a fresh directory under {@code
 * java.io.tmpdir} (or {@code -Dcoffer.bench.dir}) that the trial deletes at the end. The key
 * provider is the local keystore provider opened with a raw 256-bit key read from a key file (32
 * random bytes), so no Argon2id runs; audit sinks are off (the engine's and the provider's) so the
 * time is the rewrap, not logging.
 *
 * <p>Each invocation is one rotation to the current version of the same master key (allowed: a
 * rewrap under the key's current version, as after the provider rotated it). Reported per trial, as
 * JMH secondary results (EVENTS counters: JMH sums them over iterations; the per-iteration value is
 * in the JSON's {@code rawData}): {@code storeBytes}, the store directory's size on disk (sum of
 * its files' sizes) after the fill, and {@code keysRewrapped}, the wrapped keys per rotation.
 *
 * <p>Run ({@code storeMiB=10,1024} is the default; the smoke test uses {@code storeMiB=1}):
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar MasterKeyRotationBenchmark -f 1 -wi 1 -w 1 -i 3 -r 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class MasterKeyRotationBenchmark {
  /** Payload per item: 256 KiB, so a 1 GiB store is 4096 puts. */
  static final int ITEM_PAYLOAD_BYTES = 256 * 1024;

  /** The store's item data in MiB (payload bytes; the on-disk size is reported separately). */
  @Param({"10", "1024"})
  public int storeMiB;

  private Path dir;
  private LocalKeyProvider provider;
  private CofferOptions options;
  private Coffer coffer;
  private long storeBytes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = BenchData.scratchDir("coffer-rotation-");
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    Path keyFile = dir.resolve("keystore.key");
    Files.write(keyFile, raw);
    SecretBytes.wipe(raw);
    provider =
        LocalKeyProvider.builder()
            .keystore(dir.resolve("keystore"))
            .rawKey(SecretBytes.wrap(Files.readAllBytes(keyFile)))
            .auditSink(AuditSink.none())
            .build();
    String keyId =
        provider.createKey(CreateKeyRequest.withDescription("coffer bench rotation")).keyId();
    options =
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(keyId)
            .pageCacheBytes(0)
            .auditSink(AuditSink.none())
            .build();
    Path store = dir.resolve("store");
    long items = Math.max(1, ((long) storeMiB << 20) / ITEM_PAYLOAD_BYTES);
    long start = System.nanoTime();
    try (Coffer c = Coffer.open(store, options)) {
      Table table =
          c.createTable(
              TableSpec.builder().name("bulk").partitionKey(BenchData.PK, AttributeType.S).build());
      fill(table, items);
      c.flush();
    }
    double filled = (System.nanoTime() - start) / 1e9;
    coffer = Coffer.open(store, options);
    double quiet = awaitQuiet(store);
    storeBytes = sizeOnDisk(store);
    System.out.printf(
        "%n[MasterKeyRotationBenchmark] storeMiB=%d: %d items of %d B payload in %.1f s,"
            + " compactions settled in %.1f s; store on disk: %,d bytes (%.1f MiB) in %s%n",
        storeMiB,
        items,
        ITEM_PAYLOAD_BYTES,
        filled,
        quiet,
        storeBytes,
        storeBytes / 1048576.0,
        store);
  }

  /**
   * Waits (up to 2 minutes) until RocksDB's background compactions after the fill are done: until
   * the store's files (names and sizes) stay the same for 2 s; then fsyncs them ({@link
   * #forceAll}). Returns the seconds waited. Without this the large store's first seconds of
   * rotations compete with a compaction of its data (a cost of having just written 1 GB, not of the
   * rotation).
   */
  static double awaitQuiet(Path store) {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MINUTES.toNanos(2);
    java.util.Map<String, Long> last = null;
    int stable = 0;
    while (stable < 4 && System.nanoTime() < deadline) {
      java.util.Map<String, Long> now = new java.util.TreeMap<>();
      try (Stream<Path> files = Files.list(store)) {
        files.forEach(f -> now.put(f.getFileName().toString(), f.toFile().length()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      stable = now.equals(last) ? stable + 1 : 0;
      last = now;
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    forceAll(store);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * fsyncs every file of the store, so the page cache holds no dirty data of the fill: otherwise
   * the rotation's own synced write (a journal commit) first waits for the writeback of whatever
   * the fill left dirty, which the OS would do by itself within ~30 s.
   */
  static void forceAll(Path store) {
    try (Stream<Path> files = Files.list(store)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        try (java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.READ)) {
          ch.force(true);
        } catch (java.nio.file.NoSuchFileException gone) {
          // a file RocksDB deleted meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code items} items of {@value #ITEM_PAYLOAD_BYTES} B, each with its own random payload. */
  static void fill(Table table, long items) {
    SplittableRandom random = new SplittableRandom(17);
    byte[] payload = new byte[ITEM_PAYLOAD_BYTES];
    for (long i = 0; i < items; i++) {
      random.nextBytes(payload);
      table.putItem(
          Item.builder()
              .put(BenchData.PK, AttributeValue.s(BenchData.partitionKey(i)))
              .put(BenchData.PAYLOAD, AttributeValue.b(payload))
              .build());
    }
  }

  /** The sum of the sizes of the regular files under {@code dir}. */
  static long sizeOnDisk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (coffer != null) {
        coffer.close();
      }
    } finally {
      if (provider != null) {
        provider.close();
      }
      BenchData.deleteRecursively(dir);
    }
  }

  /** Secondary results: the store's size on disk and the keys each rotation re-wraps. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class RotationStats {
    /** The store directory's size on disk after the fill (set, not summed, per invocation). */
    public long storeBytes;

    /** Wrapped keys re-wrapped by the last rotation. */
    public long keysRewrapped;
  }

  @Benchmark
  public MasterKeyRotation rotateMasterKey(RotationStats stats) {
    MasterKeyRotation r = coffer.rotateMasterKey();
    if (r.keysRewrapped() < 1) {
      throw new IllegalStateException("rotation re-wrapped no key: " + r);
    }
    stats.keysRewrapped = r.keysRewrapped();
    stats.storeBytes = storeBytes;
    return r;
  }
}
