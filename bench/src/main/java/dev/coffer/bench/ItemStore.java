package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * The operations the engine benchmarks compare, over either Coffer's public API or plain RocksDB
 * holding the same protobuf-encoded items under plaintext keys. Both sides take and return {@link
 * Item}s, so both pay the same encoding and decoding; the difference is Coffer's pages, tokens,
 * encryption and cache. Thread-safe (both stores are).
 */
interface ItemStore extends AutoCloseable {
  String ROCKSDB = "rocksdb";
  String COFFER_CACHE_OFF = "coffer-cache-off";
  String COFFER_CACHE_ON = "coffer-cache-on";
  /** The engine's default page cache: 64 MiB. */
  long DEFAULT_CACHE_BYTES = CofferOptions.DEFAULT_PAGE_CACHE_BYTES;

  void put(Item item);

  Item get(Key key);

  /** Up to {@code limit} items (0 = all) of a partition, from sort key {@code fromSort} (null = first). */
  List<Item> query(String partitionKey, String fromSort, int limit);

  /** Reads every item of the table; returns how many. */
  long scan();

  /** Flushes memtables, so measured reads start from SST files as after a restart. */
  void settle();

  @Override
  void close();

  /**
   * The store {@code name} holding dataset {@code dataset}, created and filled by {@code fill} (then
   * settled) on first use and shared by every later trial in this JVM: with {@code -f 0} all the
   * methods of a benchmark class run against one prefilled store instead of refilling it per trial.
   * Puts overwrite existing keys with same-size items, so the dataset keeps its shape. Shared stores
   * are closed (and their directories deleted) when the JVM exits.
   */
  static ItemStore shared(
      String name, boolean sorted, long cacheBytes, String dataset, java.util.function.Consumer<ItemStore> fill) {
    return Shared.STORES.computeIfAbsent(
        name + "|" + sorted + "|" + cacheBytes + "|" + dataset,
        k -> {
          ItemStore s = create(name, sorted, cacheBytes);
          fill.accept(s);
          s.settle();
          return s;
        });
  }

  /** Stores shared across trials in one JVM. */
  final class Shared {
    static final java.util.Map<String, ItemStore> STORES = new java.util.concurrent.ConcurrentHashMap<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> STORES.values().forEach(ItemStore::close)));
    }

    private Shared() {}
  }

  /**
   * Opens {@code name}: {@value #ROCKSDB}, {@value #COFFER_CACHE_OFF} ({@code pageCacheBytes(0)})
   * or {@value #COFFER_CACHE_ON} ({@code cacheBytes} of decrypted-page cache).
   */
  static ItemStore create(String name, boolean sorted, long cacheBytes) {
    switch (name) {
      case ROCKSDB:
        return new RocksItemStore(sorted);
      case COFFER_CACHE_OFF:
        return new CofferItemStore(sorted, 0);
      case COFFER_CACHE_ON:
        return new CofferItemStore(sorted, cacheBytes);
      default:
        throw new IllegalArgumentException("unknown store " + name);
    }
  }

  /** Plain RocksDB: key = partition key bytes (|| sort key bytes), value = encoded item. */
  final class RocksItemStore implements ItemStore {
    private final BaselineRocksDb db = BaselineRocksDb.create("items");
    private final boolean sorted;

    RocksItemStore(boolean sorted) {
      this.sorted = sorted;
    }

    private byte[] keyOf(String pk, String sk) {
      return BenchData.ascii(sk == null ? pk : pk + sk);
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
    public void settle() {
      try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
        db.db.flush(flush);
      } catch (org.rocksdb.RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      db.close();
    }
  }

  /** Coffer through its public API, in-memory key provider, default options otherwise. */
  final class CofferItemStore implements ItemStore {
    private final Path dir = BenchData.scratchDir("coffer-");
    final Coffer coffer;
    private final Table table;
    final long cacheBytes;

    CofferItemStore(boolean sorted, long cacheBytes) {
      this.cacheBytes = cacheBytes;
      InMemoryKeyProvider provider = InMemoryKeyProvider.create();
      String keyId = provider.createKey(CreateKeyRequest.withDescription("coffer bench")).keyId();
      coffer =
          Coffer.open(
              dir.resolve("store"),
              CofferOptions.builder()
                  .keyProvider(provider)
                  .masterKeyId(keyId)
                  .pageCacheBytes(cacheBytes)
                  .build());
      TableSpec.Builder spec = TableSpec.builder().name("bench").partitionKey(BenchData.PK, AttributeType.S);
      if (sorted) {
        spec.sortKey(BenchData.SK, AttributeType.S);
      }
      table = coffer.createTable(spec.build());
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
    public void settle() {
      coffer.flush();
    }

    @Override
    public void close() {
      coffer.close();
      BenchData.deleteRecursively(dir);
    }
  }
}
