package dev.coffer.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
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
import org.rocksdb.WriteBatch;
import org.sqlite.mc.SQLiteMCSqlCipherConfig;

/**
 * Other embedded stores with the same keys and values as {@link RocksDbBaselineBenchmark}: where
 * Coffer stands among the things a user could pick instead. Plain RocksDB runs here too, with the
 * same operation shapes, so each peer has a baseline in the same run.
 *
 * <ul>
 *   <li>{@code rocksdb}: plain RocksDB ({@link BaselineRocksDb}); a batch is one {@code
 *       WriteBatch}.
 *   <li>{@code h2-mvstore-aes}: H2 2.x MVStore with {@code encryptionKey} (AES in XTS mode,
 *       confidentiality only: no integrity), one {@code MVMap<byte[], byte[]>}; a batch is 1000
 *       {@code put}s, committed by MVStore's background auto-commit (default: every second), so
 *       a crash loses up to a second of puts, unlike the WAL of RocksDB and SQLite.
 *   <li>{@code sqlcipher}: SQLite 3.40.1 with SQLCipher 4 page encryption, through willena's
 *       sqlite-jdbc (SQLite3MultipleCiphers' {@code sqlcipher} scheme, {@code
 *       SQLiteMCSqlCipherConfig.getV4Defaults()}: AES-256-CBC, HMAC-SHA512 per 4096-byte page).
 *       Keyed with a raw 32-byte key ({@code x'<hex>'}), so no PBKDF2 runs at open (with a
 *       passphrase SQLCipher 4 runs PBKDF2-HMAC-SHA512 with 256,000 iterations, once per
 *       connection). Otherwise exactly as {@code sqlite-plain}.
 *   <li>{@code sqlite-plain}: the same driver and SQLite with no cipher, UNENCRYPTED (a reference
 *       for what SQLite itself costs, not an encrypted peer), {@code journal_mode=WAL}, {@code
 *       synchronous=NORMAL}, table {@code kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID}; a batch
 *       is 1000 {@code INSERT OR REPLACE} in one transaction.
 * </ul>
 *
 * <p>{@code putBatch} overwrites 1000 random existing keys per invocation and is scored per put;
 * {@code get} reads one random existing key. Single-threaded (a JDBC connection is not shared).
 *
 * <p>Run:
 *
 * <pre>
 * ./mvnw -B -ntp verify -pl bench -am -DskipTests
 * java -jar bench/target/benchmarks.jar PeerBenchmark -p itemCount=100000
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class PeerBenchmark {
  static final int BATCH = 1000;

  /** The {@code sqlcipher} peer's raw 256-bit database key (a fixed test key: the data is random). */
  static final byte[] SQLCIPHER_RAW_KEY = new byte[32];

  static {
    new SplittableRandom(0x5c1c).nextBytes(SQLCIPHER_RAW_KEY);
  }

  @Param({"rocksdb", "h2-mvstore-aes", "sqlcipher", "sqlite-plain"})
  public String store;

  @Param({"100000"})
  public int itemCount;

  @Param({"256", "1024"})
  public int itemBytes;

  private Peer peer;
  private byte[][] values;
  private final SplittableRandom random = new SplittableRandom(11);
  private final byte[][] batchKeys = new byte[BATCH][];
  private final byte[][] batchValues = new byte[BATCH][];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[][] payloads = BenchData.payloads(itemBytes, false, 42);
    values = new byte[payloads.length][];
    for (int i = 0; i < payloads.length; i++) {
      values[i] = BenchData.encode(BenchData.item(i, -1, payloads[i]));
    }
    peer = Peer.create(store);
    for (int start = 0; start < itemCount; start += BATCH) {
      int n = Math.min(BATCH, itemCount - start);
      byte[][] keys = new byte[n][];
      byte[][] vals = new byte[n][];
      for (int j = 0; j < n; j++) {
        keys[j] = BenchData.rowKey(start + j);
        vals[j] = values[(start + j) % values.length];
      }
      peer.putBatch(keys, vals);
    }
    peer.settle();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    peer.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void putBatch() throws Exception {
    for (int j = 0; j < BATCH; j++) {
      batchKeys[j] = BenchData.rowKey(random.nextInt(itemCount));
      batchValues[j] = values[random.nextInt(values.length)];
    }
    peer.putBatch(batchKeys, batchValues);
  }

  @Benchmark
  public byte[] get() throws Exception {
    byte[] v = peer.get(BenchData.rowKey(random.nextInt(itemCount)));
    if (v == null) {
      throw new IllegalStateException(store + " lost a key");
    }
    return v;
  }

  /** One embedded key-value store, byte[] to byte[]. */
  interface Peer extends AutoCloseable {
    void putBatch(byte[][] keys, byte[][] values) throws Exception;

    byte[] get(byte[] key) throws Exception;

    /** Makes everything loaded so far durable and read-optimised, before measuring. */
    void settle() throws Exception;

    static Peer create(String name) throws Exception {
      switch (name) {
        case "rocksdb":
          return new RocksDbPeer();
        case "h2-mvstore-aes":
          return new H2MvStorePeer();
        case "sqlite-plain":
          return new SqlitePeer(false);
        case "sqlcipher":
          return new SqlitePeer(true);
        default:
          throw new IllegalArgumentException("unknown store " + name);
      }
    }
  }

  static final class RocksDbPeer implements Peer {
    private final BaselineRocksDb db = BaselineRocksDb.create("peer");

    @Override
    public void putBatch(byte[][] keys, byte[][] values) throws Exception {
      try (WriteBatch batch = new WriteBatch()) {
        for (int j = 0; j < keys.length; j++) {
          batch.put(keys[j], values[j]);
        }
        db.write(batch);
      }
    }

    @Override
    public byte[] get(byte[] key) {
      return db.get(key);
    }

    @Override
    public void settle() {
      db.settle();
    }

    @Override
    public void close() {
      db.close();
    }
  }

  static final class H2MvStorePeer implements Peer {
    private final Path dir = BenchData.scratchDir("h2-");
    private final MVStore mvStore =
        new MVStore.Builder()
            .fileName(dir.resolve("peer.mv").toString())
            .encryptionKey("coffer-bench-passphrase".toCharArray())
            .open();
    private final MVMap<byte[], byte[]> map = mvStore.openMap("items");

    @Override
    public void putBatch(byte[][] keys, byte[][] values) {
      for (int j = 0; j < keys.length; j++) {
        map.put(keys[j], values[j]);
      }
      // No commit(): MVStore's default background auto-commit (H2's normal use). An explicit
      // commit per 1000 random puts rewrites ~1000 dirty leaves and measured ~3k puts/s here.
    }

    @Override
    public byte[] get(byte[] key) {
      return map.get(key);
    }

    @Override
    public void settle() {
      mvStore.commit();
    }

    @Override
    public void close() {
      mvStore.close();
      BenchData.deleteRecursively(dir);
    }
  }

  /**
   * SQLite through willena's sqlite-jdbc (SQLite3MultipleCiphers): {@code sqlite-plain} with no
   * cipher, {@code sqlcipher} with the SQLCipher 4 scheme keyed by {@link #SQLCIPHER_RAW_KEY}.
   * Same schema, journal and transaction size in both.
   */
  static final class SqlitePeer implements Peer {
    private final Path dir;
    private final boolean ownsDir;
    private final Connection connection;
    private final PreparedStatement put;
    private final PreparedStatement get;

    SqlitePeer(boolean encrypted) throws SQLException {
      this(BenchData.scratchDir("sqlite-"), encrypted, true);
    }

    /** A new database {@code dir/peer.db}; {@link #close()} deletes {@code dir} when {@code ownsDir}. */
    SqlitePeer(Path dir, boolean encrypted, boolean ownsDir) throws SQLException {
      this.dir = dir;
      this.ownsDir = ownsDir;
      connection = open(dir.resolve("peer.db"), encrypted);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
      }
      connection.setAutoCommit(false);
      put = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
      get = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
    }

    /**
     * A connection to {@code file}: plain SQLite, or SQLCipher 4 ({@code
     * SQLiteMCSqlCipherConfig.getV4Defaults()}: AES-256-CBC pages with an HMAC-SHA512 per 4096-byte
     * page, PBKDF2-HMAC-SHA512 with 256,000 iterations for passphrases) keyed with a raw 32-byte key
     * ({@code withRawUnsaltedKey}, i.e. {@code PRAGMA key = "x'<64 hex>'"}), which skips the KDF.
     */
    static Connection open(Path file, boolean encrypted) throws SQLException {
      String url = "jdbc:sqlite:" + file;
      if (!encrypted) {
        return DriverManager.getConnection(url);
      }
      return SQLiteMCSqlCipherConfig.getV4Defaults()
          .withRawUnsaltedKey(SQLCIPHER_RAW_KEY.clone())
          .build()
          .createConnection(url);
    }

    @Override
    public void putBatch(byte[][] keys, byte[][] values) throws SQLException {
      for (int j = 0; j < keys.length; j++) {
        put.setBytes(1, keys[j]);
        put.setBytes(2, values[j]);
        put.addBatch();
      }
      put.executeBatch();
      connection.commit();
    }

    @Override
    public byte[] get(byte[] key) throws SQLException {
      get.setBytes(1, key);
      try (ResultSet rs = get.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }

    @Override
    public void settle() throws SQLException {
      connection.commit();
      try (Statement s = connection.createStatement()) {
        connection.setAutoCommit(true);
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        connection.setAutoCommit(false);
      }
    }

    @Override
    public void close() throws SQLException {
      put.close();
      get.close();
      connection.close();
      if (ownsDir) {
        BenchData.deleteRecursively(dir);
      }
    }
  }
}
