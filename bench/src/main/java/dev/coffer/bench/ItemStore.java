package dev.coffer.bench;

import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
 *       BaselineRocksDb}), plus, in the sorted layout, the bytes of Coffer's partition metadata
 *       ({@link #metadataBytes}), the baseline of
 *   <li>{@value #COFFER_CACHE_OFF}: Coffer with {@code pageCacheBytes(0)} (every read opens its
 *       pages) and the same block cache;
 *   <li>{@value #ROCKSDB_CACHE_ON}: plain RocksDB whose block cache gets, on top of the engine's,
 *       the bytes Coffer's page cache gets ({@code cacheBytes}) and its metadata's, the baseline of
 *   <li>{@value #COFFER_CACHE_ON}: Coffer with {@code cacheBytes} of decrypted-page cache.
 * </ul>
 */
interface ItemStore extends AutoCloseable {
  String ROCKSDB = "rocksdb";
  String ROCKSDB_CACHE_ON = "rocksdb-cache-on";
  String COFFER_CACHE_OFF = "coffer-cache-off";
  String COFFER_CACHE_ON = "coffer-cache-on";

  /**
   * {@value #COFFER_CACHE_OFF} with freshness on ({@code CofferOptions.freshness}), compared with
   * {@value #COFFER_CACHE_OFF}: what the freshness map costs (its map is built from the copied fill
   * at open).
   */
  String COFFER_FRESH_CACHE_OFF = "coffer-fresh-cache-off";

  /** The engine's default page cache: 64 MiB. */
  long DEFAULT_CACHE_BYTES = CofferOptions.DEFAULT_PAGE_CACHE_BYTES;

  /**
   * The memory Coffer keeps beside its page cache for tables with a sort key: the partition
   * metadata's bound (default {@link CofferOptions#DEFAULT_PARTITION_METADATA_BYTES}), which lets a
   * put write without reading. The baselines' block caches get it too in the sorted layout, so both
   * sides have the same memory there; a table without a sort key keeps no metadata.
   */
  static long metadataBytes(boolean sorted) {
    return sorted ? CofferOptions.DEFAULT_PARTITION_METADATA_BYTES : 0;
  }

  /** The baseline a store's figures are divided by (a baseline is its own). */
  static String baselineOf(String store) {
    switch (store) {
      case ROCKSDB:
      case COFFER_CACHE_OFF:
        return ROCKSDB;
      case ROCKSDB_CACHE_ON:
      case COFFER_CACHE_ON:
        return ROCKSDB_CACHE_ON;
      case COFFER_FRESH_CACHE_OFF:
        return COFFER_CACHE_OFF;
      default:
        throw new IllegalArgumentException("unknown store " + store);
    }
  }

  /** This store's name ({@value #ROCKSDB}, ...). */
  String name();

  void put(Item item);

  Item get(Key key);

  /**
   * Up to {@code limit} items (0 = all) of a partition, from sort key {@code fromSort} (null =
   * first).
   */
  List<Item> query(String partitionKey, String fromSort, int limit);

  /** Reads every item of the table; returns how many. */
  long scan();

  /**
   * Reads up to {@code limit} items of a table scan, continuing where the previous call stopped and
   * starting over after the end; returns how many (0 once at the end). Not thread-safe.
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
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0; // a file RocksDB deleted meanwhile
                }
              })
          .sum();
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
   * The store {@code name} holding dataset {@code dataset}, created and filled by {@code fill}
   * (then settled) on first use and shared by every later trial in this JVM: with {@code -f 0} all
   * the methods of a benchmark class run against one prefilled store instead of refilling it per
   * trial. Puts overwrite existing keys with same-size items, so the dataset keeps its shape.
   * Shared stores are closed (and their directories deleted) when the JVM exits.
   */
  static ItemStore shared(
      String name, boolean sorted, long cacheBytes, String dataset, Consumer<ItemStore> fill) {
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
    static final Map<String, ItemStore> STORES = new ConcurrentHashMap<>();

    static {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> STORES.values().forEach(ItemStore::close)));
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
   * Opens store {@code name} in {@code dir} (creating it when empty); {@link #close} deletes {@code
   * dir}. A Coffer store is opened with {@code keys} (which must hold the key it was created
   * under), or with a new in-memory provider when null.
   */
  static ItemStore open(String name, boolean sorted, long cacheBytes, Path dir, CofferKeys keys) {
    switch (name) {
      case ROCKSDB:
        return new RocksItemStore(name, sorted, dir, metadataBytes(sorted));
      case ROCKSDB_CACHE_ON:
        return new RocksItemStore(name, sorted, dir, cacheBytes + metadataBytes(sorted));
      case COFFER_CACHE_OFF:
        return new CofferItemStore(name, sorted, 0, dir, keys == null ? CofferKeys.create() : keys);
      case COFFER_FRESH_CACHE_OFF:
        return new CofferItemStore(
            name, sorted, 0, dir, keys == null ? CofferKeys.create() : keys, true);
      case COFFER_CACHE_ON:
        return new CofferItemStore(
            name, sorted, cacheBytes, dir, keys == null ? CofferKeys.create() : keys);
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
      return new CofferKeys(
          provider, provider.createKey(CreateKeyRequest.withDescription("coffer bench")).keyId());
    }
  }
}
