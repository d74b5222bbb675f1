package dev.coffer.bench;

import dev.coffer.Item;
import dev.coffer.Key;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.mc.SQLiteMCSqlCipherConfig;

/**
 * Coffer among the embedded stores a user could pick instead, every store doing the same work: one
 * item per operation, {@link Item} in and {@link Item} out (the stores without items of their own
 * keep the item's protobuf encoding under its 24-byte partition key, {@link BenchData}), the same
 * keys and payloads, and the same cache memory.
 *
 * <ul>
 *   <li>{@code put}: overwrite one random existing item, acknowledged the way each store
 *       acknowledges a single write: RocksDB and Coffer write their WAL (no sync); SQLite commits a
 *       transaction of one statement into its WAL ({@code synchronous=NORMAL}: no sync); H2 {@code
 *       MVStore} commits (writes a chunk to its file, no sync). So an acknowledged put survives a
 *       crash of the process, on every side, and none waits for the disk.
 *   <li>{@code get}: read one random existing item.
 * </ul>
 *
 * <p>Stores:
 *
 * <ul>
 *   <li>{@code rocksdb}: plain RocksDB with the engine's options ({@link BaselineRocksDb}).
 *   <li>{@code coffer-cache-off}: Coffer, page cache off, so its memory is the same block cache as
 *       {@code rocksdb}'s.
 *   <li>{@code h2-mvstore-aes}: H2 2.x MVStore with {@code encryptionKey} (AES in XTS mode,
 *       confidentiality only: no integrity), one {@code MVMap<byte[], byte[]>}, background
 *       auto-commit off: every put commits in the measured thread, inside the timed region.
 *   <li>{@code sqlcipher}: SQLite 3.40.1 with SQLCipher 4 page encryption, through willena's
 *       sqlite-jdbc (SQLite3MultipleCiphers' {@code sqlcipher} scheme, {@code
 *       SQLiteMCSqlCipherConfig.getV4Defaults()}: AES-256-CBC, HMAC-SHA512 per 4096-byte page).
 *       Keyed with a raw 32-byte key ({@code x'<hex>'}), so no PBKDF2 runs at open (with a
 *       passphrase SQLCipher 4 runs PBKDF2-HMAC-SHA512 with 256,000 iterations, once per
 *       connection). Otherwise exactly as {@code sqlite-plain}.
 *   <li>{@code sqlite-plain}: the same driver and SQLite with no cipher, UNENCRYPTED (a reference
 *       for what SQLite itself costs, not an encrypted peer), {@code journal_mode=WAL}, {@code
 *       synchronous=NORMAL}, table {@code kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID}.
 * </ul>
 *
 * <p>Memory: every store's page or block cache is the engine's block cache ({@link
 * EngineRocksOptions#blockCacheBytes()}, 32 MiB): SQLite's {@code cache_size} and H2's {@code
 * cacheSize} are set to it (their defaults are 2 MB and 16 MB). Single-threaded (a JDBC connection
 * is not shared). Leaves out: batches and multi-statement transactions (Coffer has no batch write),
 * durable (synced) writes, range reads.
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
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class PeerBenchmark {
  static final int LOAD_BATCH = 1000;

  /**
   * The {@code sqlcipher} peer's raw 256-bit database key (a fixed test key: the data is random).
   */
  static final byte[] SQLCIPHER_RAW_KEY = new byte[32];

  static {
    new SplittableRandom(0x5c1c).nextBytes(SQLCIPHER_RAW_KEY);
  }

  @Param({
    ItemStore.ROCKSDB,
    ItemStore.COFFER_CACHE_OFF,
    "h2-mvstore-aes",
    "sqlcipher",
    "sqlite-plain"
  })
  public String store;

  @Param({"100000"})
  public int itemCount;

  @Param({"256", "1024"})
  public int itemBytes;

  @Param({BenchData.RANDOM, BenchData.COMPRESSIBLE})
  public String payload;

  private Peer peer;
  private byte[][] payloads;
  private final SplittableRandom random = new SplittableRandom(11);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    payloads = BenchData.payloads(itemBytes, false, 42, payload);
    peer = Peer.create(store);
    int[] order = BenchData.shuffled(itemCount, 7);
    Item[] batch = new Item[LOAD_BATCH];
    for (int start = 0; start < itemCount; start += LOAD_BATCH) {
      int n = Math.min(LOAD_BATCH, itemCount - start);
      for (int j = 0; j < n; j++) {
        int i = order[start + j];
        batch[j] = BenchData.item(i, -1, payloads[i % payloads.length]);
      }
      peer.load(List.of(batch).subList(0, n));
    }
    peer.settle();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    peer.close();
  }

  @Benchmark
  public void put() throws Exception {
    peer.put(
        BenchData.item(random.nextInt(itemCount), -1, payloads[random.nextInt(payloads.length)]));
  }

  @Benchmark
  public Item get() throws Exception {
    return peer.get(Key.of(BenchData.partitionKey(random.nextInt(itemCount))));
  }

  /** One embedded store of items keyed by their partition key. */
  interface Peer extends AutoCloseable {
    /** Loads items before measuring (in batches where the store has them; not measured). */
    void load(List<Item> items) throws Exception;

    /** Writes one item, acknowledged as the class comment says. */
    void put(Item item) throws Exception;

    /** Reads one item; fails if it is missing. */
    Item get(Key key) throws Exception;

    /** Makes everything loaded so far durable and read-optimised, before measuring. */
    void settle() throws Exception;

    static Peer create(String name) throws Exception {
      long cache = EngineRocksOptions.get().blockCacheBytes();
      switch (name) {
        case ItemStore.ROCKSDB:
        case ItemStore.COFFER_CACHE_OFF:
          return new ItemStorePeer(ItemStore.create(name, false, 0));
        case "h2-mvstore-aes":
          return new H2MvStorePeer(cache);
        case "sqlite-plain":
          return new SqlitePeer(BenchData.scratchDir("sqlite-"), false, true, cache);
        case "sqlcipher":
          return new SqlitePeer(BenchData.scratchDir("sqlite-"), true, true, cache);
        default:
          throw new IllegalArgumentException("unknown store " + name);
      }
    }
  }

  /** Plain RocksDB or Coffer, through {@link ItemStore}. */
  static final class ItemStorePeer implements Peer {
    private final ItemStore store;

    ItemStorePeer(ItemStore store) {
      this.store = store;
    }

    @Override
    public void load(List<Item> items) {
      items.forEach(store::put);
    }

    @Override
    public void put(Item item) {
      store.put(item);
    }

    @Override
    public Item get(Key key) {
      return store.get(key);
    }

    @Override
    public void settle() {
      store.settle();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  /**
   * Encoded items in a store of bytes: key = partition key bytes, value = {@link BenchData#encode}.
   */
  abstract static class BytesPeer implements Peer {
    abstract void putBytes(byte[] key, byte[] value) throws Exception;

    abstract byte[] getBytes(byte[] key) throws Exception;

    @Override
    public final void put(Item item) throws Exception {
      putBytes(BenchData.ascii(item.get(BenchData.PK).s()), BenchData.encode(item));
    }

    @Override
    public final Item get(Key key) throws Exception {
      byte[] v = getBytes(BenchData.ascii(key.partition().s()));
      if (v == null) {
        throw new IllegalStateException("missing " + key);
      }
      return BenchData.decode(v);
    }
  }

  static final class H2MvStorePeer extends BytesPeer {
    private final Path dir = BenchData.scratchDir("h2-");
    private final MVStore mvStore;
    private final MVMap<byte[], byte[]> map;

    H2MvStorePeer(long cacheBytes) {
      mvStore =
          new MVStore.Builder()
              .fileName(dir.resolve("peer.mv").toString())
              .encryptionKey("coffer-bench-passphrase".toCharArray())
              .cacheSize((int) Math.max(1, cacheBytes >> 20))
              .autoCommitDisabled()
              .open();
      map = mvStore.openMap("items");
    }

    @Override
    public void load(List<Item> items) {
      for (Item item : items) {
        map.put(BenchData.ascii(item.get(BenchData.PK).s()), BenchData.encode(item));
      }
      mvStore.commit();
    }

    @Override
    void putBytes(byte[] key, byte[] value) {
      map.put(key, value);
      mvStore.commit();
    }

    @Override
    byte[] getBytes(byte[] key) {
      return map.get(key);
    }

    /** Whether puts are waiting for a commit (never, after {@link #put}). */
    boolean hasUnsavedChanges() {
      return mvStore.hasUnsavedChanges();
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
   * cipher, {@code sqlcipher} with the SQLCipher 4 scheme keyed by {@link #SQLCIPHER_RAW_KEY}. Same
   * schema, journal, cache and transactions in both.
   */
  static final class SqlitePeer extends BytesPeer {
    private final Path dir;
    private final boolean ownsDir;
    private final Connection connection;
    private final PreparedStatement put;
    private final PreparedStatement get;

    /**
     * A new database {@code dir/peer.db} with a page cache of {@code cacheBytes}; {@link #close()}
     * deletes {@code dir} when {@code ownsDir}.
     */
    SqlitePeer(Path dir, boolean encrypted, boolean ownsDir, long cacheBytes) throws SQLException {
      this.dir = dir;
      this.ownsDir = ownsDir;
      connection = open(dir.resolve("peer.db"), encrypted);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA cache_size=-" + Math.max(1, cacheBytes >> 10)); // negative: KiB
        s.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
      }
      connection.setAutoCommit(false);
      put = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
      get = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
    }

    /**
     * A connection to {@code file}: plain SQLite, or SQLCipher 4 ({@code
     * SQLiteMCSqlCipherConfig.getV4Defaults()}: AES-256-CBC pages with an HMAC-SHA512 per 4096-byte
     * page, PBKDF2-HMAC-SHA512 with 256,000 iterations for passphrases) keyed with a raw 32-byte
     * key ({@code withRawUnsaltedKey}, i.e. {@code PRAGMA key = "x'<64 hex>'"}), which skips the
     * KDF.
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

    /** SQLite's page cache bound in bytes ({@code PRAGMA cache_size} in KiB when negative). */
    long cacheBytes() throws SQLException {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA cache_size")) {
        rs.next();
        long v = rs.getLong(1);
        return v < 0 ? -v << 10 : v * 4096;
      }
    }

    @Override
    public void load(List<Item> items) throws SQLException {
      for (Item item : items) {
        put.setBytes(1, BenchData.ascii(item.get(BenchData.PK).s()));
        put.setBytes(2, BenchData.encode(item));
        put.addBatch();
      }
      put.executeBatch();
      connection.commit();
    }

    @Override
    void putBytes(byte[] key, byte[] value) throws SQLException {
      put.setBytes(1, key);
      put.setBytes(2, value);
      put.executeUpdate();
      connection.commit();
    }

    @Override
    byte[] getBytes(byte[] key) throws SQLException {
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
