package dev.coffer.bench;

import java.nio.file.Path;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Plain RocksDB, plaintext keys and values: the baseline every Coffer figure is divided by.
 *
 * <p>Options: those of the engine's {@code dev.coffer.internal.store.RocksStore}: the RocksJava
 * defaults for the column family (default block cache, compression and memtable), {@code
 * createIfMissing}, info log at WARN, 2 info log files kept; writes with the WAL on and no sync
 * (the engine's default, {@code syncWrites=false}), default read options. If the engine's options
 * change, change them here too, so that the ratio measures encryption and page structure, not
 * tuning. (The engine keeps each table in its own column family; this uses the default one.)
 */
final class BaselineRocksDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final Options options;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;
  private final java.util.List<RocksIterator> iterators =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  final RocksDB db;

  private BaselineRocksDb(Path dir, Options options, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    this.readOptions = new ReadOptions();
  }

  /** Opens a new, empty database in a fresh scratch directory (deleted again by {@link #close}). */
  static BaselineRocksDb create(String name) {
    Path dir = BenchData.scratchDir("rocksdb-" + name + "-");
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2);
    try {
      return new BaselineRocksDb(dir, options, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
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
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
      db.compactRange();
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (iterators) {
      iterators.forEach(RocksIterator::close);
      iterators.clear();
    }
    writeOptions.close();
    readOptions.close();
    db.close();
    options.close();
    BenchData.deleteRecursively(dir);
  }

  /** The i-th row of a prefill. */
  interface RowSource {
    byte[] key(int i);

    byte[] value(int i);
  }
}
