package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.ReencryptOptions;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.rocksdb.RocksIterator;

/**
 * The operations the engine benchmarks compare, over either Coffer's public API or plain RocksDB
 * holding the same protobuf-encoded items under plaintext keys. Both sides take and return {@link
 * Item}s, so both pay the same encoding and decoding; the difference is Coffer's pages, tokens,
 * encryption and cache. Thread-safe (both stores are), except the scan cursor ({@link #scanNext}).
 *
 * <p>Four stores, in two pairs that each give both sides the same memory:
 *
 * <ul>
 *   <li>{@value #ROCKSDB}: plain RocksDB with the engine's options and block cache ({@link
 *       BaselineRocksDb}), the baseline of
 *   <li>{@value #COFFER_CACHE_OFF}: Coffer with {@code pageCacheBytes(0)} (every read opens its
 *       pages) and the same block cache;
 *   <li>{@value #ROCKSDB_CACHE_ON}: plain RocksDB whose block cache gets, on top of the engine's,
 *       the bytes Coffer's page cache gets ({@code cacheBytes}), the baseline of
 *   <li>{@value #COFFER_CACHE_ON}: Coffer with {@code cacheBytes} of decrypted-page cache.
 * </ul>
 */
interface ItemStore extends AutoCloseable {
  String ROCKSDB = "rocksdb";
  String ROCKSDB_CACHE_ON = "rocksdb-cache-on";
  String COFFER_CACHE_OFF = "coffer-cache-off";
  String COFFER_CACHE_ON = "coffer-cache-on";
  /** The engine's default page cache: 64 MiB. */
  long DEFAULT_CACHE_BYTES = CofferOptions.DEFAULT_PAGE_CACHE_BYTES;

  /** The baseline a store's figures are divided by (a baseline is its own). */
  static String baselineOf(String store) {
    switch (store) {
      case ROCKSDB:
      case COFFER_CACHE_OFF:
        return ROCKSDB;
      case ROCKSDB_CACHE_ON:
      case COFFER_CACHE_ON:
        return ROCKSDB_CACHE_ON;
      default:
        throw new IllegalArgumentException("unknown store " + store);
    }
  }

  /** This store's name ({@value #ROCKSDB}, ...). */
  String name();

  void put(Item item);

  Item get(Key key);

  /** Up to {@code limit} items (0 = all) of a partition, from sort key {@code fromSort} (null = first). */
  List<Item> query(String partitionKey, String fromSort, int limit);

  /** Reads every item of the table; returns how many. */
  long scan();

  /**
   * Reads up to {@code limit} items of a table scan, continuing where the previous call stopped
   * and starting over after the end; returns how many (0 once at the end). Not thread-safe.
   */
  int scanNext(int limit);

  /** Flushes memtables, so measured reads start from SST files as after a restart. */
  void settle();

  /** Flushes and compacts every file of the table (see the implementations for how). */
  void compactFully();

  /** The store's directory. */
  Path dir();

  /** Bytes of every file under {@link #dir()}. */
  default long diskBytes() {
    try (Stream<Path> files = Files.walk(dir())) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a file RocksDB deleted meanwhile
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the store and deletes its directory. */
  @Override
  void close();

  /** Closes the store and keeps its files (to copy or reopen them). */
  void closeKeepingFiles();

  /**
   * The store {@code name} holding dataset {@code dataset}, created and filled by {@code fill} (then
   * settled) on first use and shared by every later trial in this JVM: with {@code -f 0} all the
   * methods of a benchmark class run against one prefilled store instead of refilling it per trial.
   * Puts overwrite existing keys with same-size items, so the dataset keeps its shape. Shared stores
   * are closed (and their directories deleted) when the JVM exits.
   */
  static ItemStore shared(String name, boolean sorted, long cacheBytes, String dataset, Consumer<ItemStore> fill) {
    return Shared.STORES.computeIfAbsent(name + "|" + sorted + "|" + cacheBytes + "|" + dataset, k -> {
      ItemStore s = create(name, sorted, cacheBytes);
      fill.accept(s);
      s.settle();
      return s;
    });
  }

  /** Stores shared across trials in one JVM. */
  final class Shared {
    static final Map<String, ItemStore> STORES = new ConcurrentHashMap<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> STORES.values().forEach(ItemStore::close)));
    }

    private Shared() {}
  }

  /** Opens a new store {@code name} in a fresh scratch directory; {@code cacheBytes} as above. */
  static ItemStore create(String name, boolean sorted, long cacheBytes) {
    switch (name) {
      case ROCKSDB:
      case ROCKSDB_CACHE_ON:
        return open(name, sorted, cacheBytes, BenchData.scratchDir("rocksdb-items-"), null);
      case COFFER_CACHE_OFF:
      case COFFER_CACHE_ON:
        return open(name, sorted, cacheBytes, BenchData.scratchDir("coffer-"), null);
      default:
        throw new IllegalArgumentException("unknown store " + name);
    }
  }

  /**
   * Opens store {@code name} in {@code dir} (creating it when empty); {@link #close} deletes
   * {@code dir}. A Coffer store is opened with {@code keys} (which must hold the key it was created
   * under), or with a new in-memory provider when null.
   */
  static ItemStore open(String name, boolean sorted, long cacheBytes, Path dir, CofferKeys keys) {
    switch (name) {
      case ROCKSDB:
        return new RocksItemStore(name, sorted, dir, 0);
      case ROCKSDB_CACHE_ON:
        return new RocksItemStore(name, sorted, dir, cacheBytes);
      case COFFER_CACHE_OFF:
        return new CofferItemStore(name, sorted, 0, dir, keys == null ? CofferKeys.create() : keys);
      case COFFER_CACHE_ON:
        return new CofferItemStore(name, sorted, cacheBytes, dir, keys == null ? CofferKeys.create() : keys);
      default:
        throw new IllegalArgumentException("unknown store " + name);
    }
  }

  /** An in-memory key provider and the master key a bench store is created under. */
  final class CofferKeys {
    final KeyProvider provider;
    final String keyId;

    private CofferKeys(KeyProvider provider, String keyId) {
      this.provider = provider;
      this.keyId = keyId;
    }

    static CofferKeys create() {
      InMemoryKeyProvider provider = InMemoryKeyProvider.create();
      return new CofferKeys(provider, provider.createKey(CreateKeyRequest.withDescription("coffer bench")).keyId());
    }
  }

  /** Plain RocksDB: key = partition key bytes (|| sort key bytes), value = encoded item. */
  final class RocksItemStore implements ItemStore {
    private final String name;
    private final BaselineRocksDb db;
    private final boolean sorted;
    private byte[] scanFrom;

    RocksItemStore(String name, boolean sorted, Path dir, long extraCacheBytes) {
      this.name = name;
      this.sorted = sorted;
      this.db = BaselineRocksDb.open(dir, extraCacheBytes);
    }

    private byte[] keyOf(String pk, String sk) {
      return BenchData.ascii(sk == null ? pk : pk + sk);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void put(Item item) {
      String sk = sorted ? item.get(BenchData.SK).s() : null;
      db.put(keyOf(item.get(BenchData.PK).s(), sk), BenchData.encode(item));
    }

    @Override
    public Item get(Key key) {
      byte[] v = db.get(keyOf(key.partition().s(), sorted ? key.sort().s() : null));
      if (v == null) {
        throw new IllegalStateException("missing " + key);
      }
      return BenchData.decode(v);
    }

    @Override
    public List<Item> query(String partitionKey, String fromSort, int limit) {
      byte[] prefix = BenchData.ascii(partitionKey);
      List<Item> out = new ArrayList<>(limit > 0 ? limit : 128);
      try (RocksIterator it = db.db.newIterator()) {
        it.seek(fromSort == null ? prefix : keyOf(partitionKey, fromSort));
        while (it.isValid() && (limit == 0 || out.size() < limit)) {
          byte[] k = it.key();
          if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
            break;
          }
          out.add(BenchData.decode(it.value()));
          it.next();
        }
      }
      return out;
    }

    @Override
    public long scan() {
      long n = 0;
      try (RocksIterator it = db.db.newIterator()) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          if (BenchData.decode(it.value()) != null) {
            n++;
          }
        }
      }
      return n;
    }

    @Override
    public int scanNext(int limit) {
      int n = 0;
      try (RocksIterator it = db.db.newIterator()) {
        if (scanFrom == null) {
          it.seekToFirst();
        } else {
          it.seek(scanFrom);
          if (it.isValid() && Arrays.equals(it.key(), scanFrom)) {
            it.next(); // exclusive, like a Scan's exclusiveStartKey
          }
        }
        byte[] last = null;
        for (; it.isValid() && n < limit; it.next()) {
          BenchData.decode(it.value());
          last = it.key();
          n++;
        }
        scanFrom = n == 0 ? null : last;
      }
      return n;
    }

    @Override
    public void settle() {
      db.flush();
    }

    /** Flush, then a forced compaction of every file ({@link BaselineRocksDb#compactForced}). */
    @Override
    public void compactFully() {
      db.compactForced();
    }

    @Override
    public Path dir() {
      return db.dir();
    }

    @Override
    public void close() {
      db.close();
    }

    @Override
    public void closeKeepingFiles() {
      db.closeKeepingFiles();
    }
  }

  /** Coffer through its public API, in-memory key provider, default options otherwise. */
  final class CofferItemStore implements ItemStore {
    private static final String TABLE = "bench";

    private final String name;
    private final Path dir;
    final Coffer coffer;
    private final Table table;
    final long cacheBytes;
    private Scan scanFrom;

    CofferItemStore(String name, boolean sorted, long cacheBytes, Path dir, CofferKeys keys) {
      this.name = name;
      this.dir = dir;
      this.cacheBytes = cacheBytes;
      coffer = Coffer.open(dir.resolve("store"), CofferOptions.builder()
          .keyProvider(keys.provider)
          .masterKeyId(keys.keyId)
          .pageCacheBytes(cacheBytes)
          .build());
      if (coffer.listTables().contains(TABLE)) {
        table = coffer.table(TABLE);
      } else {
        TableSpec.Builder spec = TableSpec.builder().name(TABLE).partitionKey(BenchData.PK, AttributeType.S);
        if (sorted) {
          spec.sortKey(BenchData.SK, AttributeType.S);
        }
        table = coffer.createTable(spec.build());
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void put(Item item) {
      table.putItem(item);
    }

    @Override
    public Item get(Key key) {
      return table.getItem(key).orElseThrow(() -> new IllegalStateException("missing " + key));
    }

    @Override
    public List<Item> query(String partitionKey, String fromSort, int limit) {
      Query q = Query.partition(partitionKey);
      if (fromSort != null) {
        q = q.sortGreaterThanOrEqual(fromSort);
      }
      if (limit > 0) {
        q = q.limit(limit);
      }
      Page page = table.query(q);
      if (page.lastEvaluatedKey().isEmpty() || limit > 0) {
        return page.items();
      }
      List<Item> out = new ArrayList<>(page.items());
      while (page.lastEvaluatedKey().isPresent()) {
        page = table.query(q.exclusiveStartKey(page.lastEvaluatedKey().get()));
        out.addAll(page.items());
      }
      return out;
    }

    @Override
    public long scan() {
      long n = 0;
      Page page = table.scan(Scan.all());
      n += page.count();
      while (page.lastEvaluatedKey().isPresent()) {
        page = table.scan(Scan.all().exclusiveStartKey(page.lastEvaluatedKey().get()));
        n += page.count();
      }
      return n;
    }

    @Override
    public int scanNext(int limit) {
      Scan s = scanFrom == null ? Scan.all().limit(limit) : scanFrom.limit(limit);
      Page page = table.scan(s);
      scanFrom = page.lastEvaluatedKey().map(k -> Scan.all().exclusiveStartKey(k)).orElse(null);
      return page.count();
    }

    @Override
    public void settle() {
      coffer.flush();
    }

    /**
     * Coffer has no public compaction call. The one public operation that ends with every file of
     * a table rewritten is re-encryption: {@code rotateDataKey()} then {@code reencrypt()}, which
     * re-seals every record under the new version (the same sizes) and, destroying the old
     * version, flushes and force-compacts the table's column family.
     */
    @Override
    public void compactFully() {
      table.rotateDataKey();
      table.reencrypt(ReencryptOptions.defaults());
      coffer.flush();
    }

    @Override
    public Path dir() {
      return dir;
    }

    @Override
    public void close() {
      coffer.close();
      BenchData.deleteRecursively(dir);
    }

    @Override
    public void closeKeepingFiles() {
      coffer.close();
    }
  }
}
