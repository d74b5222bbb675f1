package dev.coffer;

import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.StoreBootstrap;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.query.ItemOperations;
import dev.coffer.internal.query.QueryExecutor;
import dev.coffer.internal.query.ScanExecutor;
import dev.coffer.internal.store.RocksStore;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviders;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * An open Coffer store: encrypted DynamoDB-style tables in one directory.
 *
 * <pre>{@code
 * try (Coffer coffer = Coffer.open(dir, CofferOptions.builder()
 *     .keyProviderUri("local:/etc/coffer/keystore").masterKeyId("alias/coffer").build())) {
 *   Table users = coffer.createTable(TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
 *   users.putItem(Item.builder().string("email", "a@example.com").number("age", 42).build());
 * }
 * }</pre>
 *
 * <p><b>Security guarantees.</b> Every item, attribute name, key and table name reaches the disk
 * only inside pages sealed with AES-256-GCM under per-table keys that the key provider wraps;
 * someone with the files but not the master key learns only sizes, counts and which pages belong
 * to one partition. A page that was modified, moved or swapped fails with {@link
 * CorruptionException}. Key material is wiped on {@link #close()}.
 *
 * <p><b>Errors.</b> Opening fails with the key provider's own exception ({@link
 * dev.coffer.kms.KeyProviderException}, naming the key and the action) when the master key is
 * wrong, disabled, missing or may not be used, and leaves nothing open. See {@link Table} for the
 * errors of item operations.
 *
 * <p>Thread-safe. {@link #close()} waits for running operations; later calls throw {@link
 * IllegalStateException}.
 */
public final class Coffer implements AutoCloseable {
  private final Path dir;
  private final KeyProvider provider;
  private final boolean ownsProvider;
  private final RocksStore store;
  private final Catalog catalog;
  private final Partitions partitions;
  private final ItemOperations items;
  private final QueryExecutor queries;
  private final ScanExecutor scans;
  private final int defaultPageTargetBytes;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private Coffer(Path dir, KeyProvider provider, boolean ownsProvider, RocksStore store, Catalog catalog,
      CofferOptions options) {
    this.dir = dir;
    this.provider = provider;
    this.ownsProvider = ownsProvider;
    this.store = store;
    this.catalog = catalog;
    this.partitions = new Partitions(store, options.pageCacheBytes());
    this.items = new ItemOperations(partitions);
    this.queries = new QueryExecutor(partitions);
    this.scans = new ScanExecutor(partitions);
    this.defaultPageTargetBytes = options.pageTargetBytes();
  }

  /**
   * Opens the store in {@code dir}, creating it when it does not exist and {@link
   * CofferOptions#createIfMissing()} is on.
   *
   * @throws ValidationException when no master key is named and the provider has no default
   * @throws dev.coffer.kms.KeyProviderException when the master key cannot unwrap the store's keys
   *     (wrong, disabled or missing key, denied {@code kms:Decrypt}); passed through unchanged
   * @throws CorruptionException when the header or the catalog fails authentication
   * @throws StorageException when RocksDB cannot open the directory (e.g. another process has it)
   */
  public static Coffer open(Path dir, CofferOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    boolean owns = options.keyProvider() == null;
    KeyProvider provider = owns ? KeyProviders.open(options.keyProviderUri()) : options.keyProvider();
    RocksStore store = null;
    try {
      String masterKeyId = options.masterKeyId() != null
          ? options.masterKeyId()
          : provider.defaultKeyId().orElseThrow(() -> new ValidationException(
              "No master key: set CofferOptions.masterKeyId(...) or use a key provider URI that names a key"
                  + " (the " + provider.scheme() + " provider has no default key)"));
      store = RocksStore.open(dir, options.createIfMissing(), options.syncWrites());
      StoreBootstrap boot = StoreBootstrap.openOrCreate(store, provider, masterKeyId);
      Catalog catalog;
      try {
        catalog = Catalog.load(store, provider, masterKeyId, boot.storeId(), boot.catalogKey());
      } catch (RuntimeException e) {
        boot.catalogKey().destroy();
        throw e;
      }
      return new Coffer(dir, provider, owns, store, catalog, options);
    } catch (RuntimeException e) {
      if (store != null) {
        try {
          store.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (owns) {
        provider.close();
      }
      throw e;
    }
  }

  /** The store directory. */
  public Path path() {
    return dir;
  }

  /**
   * CreateTable: a new, empty table with its own data key and index key.
   *
   * @throws ResourceInUseException when a table of that name exists
   * @throws dev.coffer.kms.KeyProviderException when the provider refuses to generate the keys
   */
  public Table createTable(TableSpec spec) {
    Objects.requireNonNull(spec, "spec");
    int target = spec.pageTargetBytes() > 0 ? spec.pageTargetBytes() : defaultPageTargetBytes;
    return admin(() -> new Table(this, catalog.create(spec.name(), spec.keySchema(), target)));
  }

  /**
   * The table named {@code name}.
   *
   * @throws ResourceNotFoundException when there is none
   */
  public Table table(String name) {
    return call(() -> new Table(this, catalog.get(name)));
  }

  /** DescribeTable. @throws ResourceNotFoundException when there is no such table */
  public TableDescription describeTable(String name) {
    return call(() -> {
      TableContext t = catalog.get(name);
      CatalogEntry e = t.entry();
      List<Integer> versions = new ArrayList<>();
      for (DataKeyVersion v : e.getDataKeysList()) {
        if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED) {
          versions.add(v.getVersion());
        }
      }
      return new TableDescription(t.name(), t.tableIdHex(), t.schema(), Instant.ofEpochMilli(e.getCreatedMillis()),
          t.pageTargetBytes(), versions, t.keys().primaryVersion());
    });
  }

  /** ListTables: every table name, sorted. */
  public List<String> listTables() {
    return call(catalog::names);
  }

  /**
   * DeleteTable: removes the table's catalog entry (with its wrapped keys) and drops its column
   * family. Table handles of it fail with {@link ResourceNotFoundException} from then on.
   *
   * @throws ResourceNotFoundException when there is no such table
   */
  public void deleteTable(String name) {
    admin(() -> {
      TableContext t = catalog.get(name);
      catalog.drop(name);
      partitions.cache().invalidateTable(t.serial());
      return null;
    });
  }

  /** Flushes RocksDB's memtables to SST files (the write-ahead log already holds every write). */
  public void flush() {
    call(() -> {
      store.flush();
      return null;
    });
  }

  /**
   * Closes the store: waits for running operations, persists the seal counters, wipes every key
   * (page keys, index keys, the catalog key), empties the page cache and closes RocksDB.
   * Idempotent; throws nothing checked.
   */
  @Override
  public void close() {
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        catalog.close();
      } finally {
        partitions.cache().clear();
        try {
          store.close();
        } finally {
          if (ownsProvider) {
            provider.close();
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  ItemOperations items() {
    return items;
  }

  QueryExecutor queries() {
    return queries;
  }

  ScanExecutor scans() {
    return scans;
  }

  /** Runs an operation under the shared lifecycle lock. */
  <T> T call(Supplier<T> op) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      checkOpen();
      return op.get();
    } finally {
      lock.unlock();
    }
  }

  void run(Runnable op) {
    call(() -> {
      op.run();
      return null;
    });
  }

  private <T> T admin(Supplier<T> op) {
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      checkOpen();
      return op.get();
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The Coffer store in " + dir + " is closed");
    }
  }

  @Override
  public String toString() {
    return "Coffer[" + dir + "]";
  }
}
