package dev.coffer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.Filter;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Plain RocksDB, plaintext keys and values: the baseline every Coffer figure is divided by.
 *
 * <p>Options: the engine's own, read back from the {@code OPTIONS} file of a probe store ({@link
 * EngineRocksOptions}): its DB options and its table column family's options (bloom filters or
 * none, block size, memtables: whatever the engine uses, checked by {@code
 * EngineRocksOptionsTest}), except compression: the engine's tables hold ciphertext and turn
 * RocksDB's compression off (the engine compresses page plaintext before sealing instead), while
 * plain RocksDB holds plaintext, which RocksDB compresses with its default ({@link
 * #PLAIN_COMPRESSION}, LZ4), as a user of plain RocksDB gets it; so bytes on disk compare Coffer's
 * compression with RocksDB's. Writes with the WAL on and {@code sync} as the engine's default;
 * default read options. The rows live in the default column family.
 *
 * <p>Memory: the block cache is the engine's table block cache ({@link
 * EngineRocksOptions#blockCacheBytes()}) plus {@code extraCacheBytes}. A baseline compared with a
 * Coffer store that has a page cache of P bytes gets {@code extraCacheBytes = P}, so both sides
 * have the same total cache memory.
 */
final class BaselineRocksDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /**
   * RocksDB's default compression of a column family (LZ4 with RocksDB 11), which plain RocksDB
   * keeps.
   */
  static final CompressionType PLAIN_COMPRESSION;

  /** RocksDB's default compression of the bottommost level (none of its own: the one above). */
  static final CompressionType PLAIN_BOTTOMMOST_COMPRESSION;

  static {
    try (ColumnFamilyOptions defaults = new ColumnFamilyOptions()) {
      PLAIN_COMPRESSION = defaults.compressionType();
      PLAIN_BOTTOMMOST_COMPRESSION = defaults.bottommostCompressionType();
    }
  }

  private final Path dir;
  private final EngineRocksOptions.Loaded options;
  private final LRUCache cache;
  private final Filter filter;
  private final ColumnFamilyHandle family;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;
  private final List<RocksIterator> iterators = Collections.synchronizedList(new ArrayList<>());
  final RocksDB db;

  private BaselineRocksDb(
      Path dir,
      EngineRocksOptions.Loaded options,
      LRUCache cache,
      Filter filter,
      RocksDB db,
      ColumnFamilyHandle family,
      boolean sync) {
    this.dir = dir;
    this.options = options;
    this.cache = cache;
    this.filter = filter;
    this.db = db;
    this.family = family;
    this.writeOptions = new WriteOptions().setSync(sync).setDisableWAL(false);
    this.readOptions = new ReadOptions();
  }

  /** Opens a new, empty database in a fresh scratch directory (deleted again by {@link #close}). */
  static BaselineRocksDb create(String name) {
    return create(name, 0);
  }

  /**
   * Opens a new, empty database whose block cache is the engine's plus {@code extraCacheBytes}, in
   * a fresh scratch directory (deleted again by {@link #close}).
   */
  static BaselineRocksDb create(String name, long extraCacheBytes) {
    return open(BenchData.scratchDir("rocksdb-" + name + "-"), extraCacheBytes);
  }

  /**
   * Opens (creating if needed) the database in {@code dir} with the engine's options and a block
   * cache of the engine's size plus {@code extraCacheBytes}; {@link #close} deletes {@code dir}.
   */
  static BaselineRocksDb open(Path dir, long extraCacheBytes) {
    EngineRocksOptions engine = EngineRocksOptions.get();
    EngineRocksOptions.Loaded options = engine.load();
    LRUCache cache = null;
    Filter filter = null;
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      options.db.setCreateIfMissing(true);
      options
          .table
          .setCompressionType(PLAIN_COMPRESSION)
          .setBottommostCompressionType(PLAIN_BOTTOMMOST_COMPRESSION);
      if (extraCacheBytes > 0) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.table.tableFormatConfig();
        cache = new LRUCache(engine.blockCacheBytes() + extraCacheBytes);
        table.setBlockCache(cache);
        // the filter policy of a table config read back from an OPTIONS file is not a live Java
        // object: set the engine's again (a bloom filter of the same bits per key, or none)
        filter = engine.bloomBitsPerKey() > 0 ? new BloomFilter(engine.bloomBitsPerKey()) : null;
        table.setFilterPolicy(filter);
        options.table.setTableFormatConfig(table);
      }
      RocksDB db =
          RocksDB.open(
              options.db,
              dir.toString(),
              List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options.table)),
              handles);
      return new BaselineRocksDb(
          dir, options, cache, filter, db, handles.get(0), engine.syncWrites());
    } catch (RocksDBException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      options.close();
      if (cache != null) {
        cache.close();
      }
      if (filter != null) {
        filter.close();
      }
      throw new IllegalStateException("Cannot open the baseline RocksDB in " + dir, e);
    }
  }

  /** The database directory. */
  Path dir() {
    return dir;
  }

  /** The block cache's capacity, as RocksDB reports it. */
  long blockCacheCapacity() {
    try {
      return Long.parseLong(db.getProperty("rocksdb.block-cache-capacity"));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void put(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] get(byte[] key) {
    try {
      return db.get(readOptions, key);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  void write(WriteBatch batch) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new iterator; any still open when the database closes are closed first. */
  RocksIterator newIterator() {
    RocksIterator it = db.newIterator(readOptions);
    iterators.add(it);
    return it;
  }

  /** Loads rows with the WAL off (fast), then flushes and compacts: a settled database. */
  void prefill(int rows, RowSource source) {
    try (WriteOptions bulk = new WriteOptions().setDisableWAL(true);
        WriteBatch batch = new WriteBatch()) {
      for (int i = 0; i < rows; i++) {
        batch.put(source.key(i), source.value(i));
        if (batch.count() == 1000 || i == rows - 1) {
          db.write(bulk, batch);
          batch.clear();
        }
      }
      settle();
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Flushes the memtable and compacts everything, so reads see SST files as after a restart. */
  void settle() {
    flush();
    try {
      db.compactRange();
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Flushes the memtable and waits for the flush. */
  void flush() {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Flushes, then compacts every file, also those a trivial move would keep: what the engine does
   * to a table's column family when re-encryption destroys a data-key version, and what a fully
   * compacted size measurement needs.
   */
  void compactForced() {
    flush();
    try (CompactRangeOptions o =
        new CompactRangeOptions()
            .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
      db.compactRange(family, null, null, o);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closeKeepingFiles();
    BenchData.deleteRecursively(dir);
  }

  /** Closes the database and keeps its files. */
  void closeKeepingFiles() {
    synchronized (iterators) {
      iterators.forEach(RocksIterator::close);
      iterators.clear();
    }
    writeOptions.close();
    readOptions.close();
    family.close();
    db.close();
    options.close();
    if (cache != null) {
      cache.close();
    }
    if (filter != null) {
      filter.close();
    }
  }

  /** The i-th row of a prefill. */
  interface RowSource {
    byte[] key(int i);

    byte[] value(int i);
  }
}
