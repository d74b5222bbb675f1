// Over 400 lines: the open (with the write-ahead log plan it follows) and every RocksDB call of the
// engine, each mapped to Coffer's exceptions with what failed and where.
package dev.coffer.internal.store;

import dev.coffer.StorageException;
import dev.coffer.WalRecovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB database under a store: the default column family (header and catalog) and one
 * column family per table, named by the table id in hex, never by the table name. Every {@link
 * RocksDBException} becomes a {@link StorageException} saying what failed and where.
 *
 * <p>RocksDB's own files hold only column family names (hex ids), option values and sizes: no
 * option or property carries a table name. The info LOG is kept at WARN level.
 *
 * <p>Options are RocksJava's defaults, plus in table column families the merge operator that
 * appends a delta record to its node's value ({@link #merge}): RocksDB's {@code
 * StringAppendOperator} with an empty delimiter, i.e. concatenation, run natively by RocksDB at
 * read and compaction time.
 *
 * <p>Thread-safe for reads and writes; column family creation and dropping, and {@link #close()},
 * must not race with use of the same column family (the caller's lifecycle lock sees to it).
 */
public final class RocksStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final ColumnFamilyOptions tableOptions;
  private final StringAppendOperator concatenation;
  private final WalPlan walPlan;
  private final WriteOptions writeOptions;
  private final WriteOptions syncedWriteOptions = new WriteOptions().setSync(true);
  private final java.util.concurrent.atomic.LongAdder tableReads = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder tableWrites = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();
  private final ReadOptions readOptions;
  private final RocksDB db;
  private final ColumnFamilyHandle defaultFamily;
  private final Map<String, ColumnFamilyHandle> families = new HashMap<>();

  private RocksStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, ColumnFamilyOptions tableOptions,
      StringAppendOperator concatenation, WalPlan walPlan, boolean sync, RocksDB db, List<ColumnFamilyHandle> handles,
      List<String> names) {
    this.dir = dir;
    this.walPlan = walPlan;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.tableOptions = tableOptions;
    this.concatenation = concatenation;
    this.db = db;
    this.writeOptions = new WriteOptions().setSync(sync);
    this.readOptions = new ReadOptions();
    ColumnFamilyHandle dflt = null;
    for (int i = 0; i < handles.size(); i++) {
      if (names.get(i).equals("default")) {
        dflt = handles.get(i);
      } else {
        families.put(names.get(i), handles.get(i));
      }
    }
    this.defaultFamily = dflt;
  }

  /**
   * Opens (or creates) the database in {@code dir} with every column family it has. The
   * write-ahead log is checked first ({@link WalInspector}) and recovered as {@link WalPlan} says:
   * a log torn by a crash loses its torn record (with a warning), a damaged one fails the open with
   * {@link dev.coffer.CorruptionException} unless {@code recovery} is {@link
   * WalRecovery#POINT_IN_TIME}; a store open elsewhere fails with {@link
   * dev.coffer.StoreLockedException}, whatever its log holds.
   *
   * @param sync whether every write waits for the WAL to reach the disk
   */
  public static RocksStore open(Path dir, boolean create, boolean sync, WalRecovery recovery) {
    DBOptions dbOptions = null;
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    StringAppendOperator concatenation = new StringAppendOperator("");
    ColumnFamilyOptions tableOptions = new ColumnFamilyOptions().setMergeOperator(concatenation);
    WalPlan plan = null;
    try {
      List<String> names = new ArrayList<>();
      names.add("default");
      WalInspector.Report wal = null;
      if (Files.exists(dir.resolve("CURRENT"))) {
        try (Options options = new Options()) {
          for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
            String s = new String(name, java.nio.charset.StandardCharsets.US_ASCII);
            if (!s.equals("default")) {
              names.add(s);
            }
          }
        }
        wal = WalInspector.inspect(dir);
      } else if (!create) {
        throw new StorageException("No Coffer store in " + dir + " (and createIfMissing is off)");
      } else {
        Files.createDirectories(dir);
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String n : names) {
        descriptors.add(new ColumnFamilyDescriptor(n.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            n.equals("default") ? cfOptions : tableOptions));
      }
      plan = WalPlan.of(dir, wal, recovery);
      while (true) { // at most a probe, then the open it allows
        dbOptions = new DBOptions().setCreateIfMissing(create).setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2);
        plan.apply(dbOptions);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        WalPlan next;
        try {
          RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
          if (!plan.isProbe()) {
            plan.notes().forEach(LOG::warn);
            return new RocksStore(dir, dbOptions, cfOptions, tableOptions, concatenation, plan, sync, db, handles,
                names);
          }
          handles.forEach(ColumnFamilyHandle::close); // the probe replayed nothing; open again as it says
          db.close();
          next = plan.afterProbe(null);
        } catch (RocksDBException e) {
          next = plan.afterFailure(e);
          if (next == null) {
            throw e;
          }
        }
        closeAll(dbOptions, plan);
        dbOptions = null;
        plan = next;
      }
    } catch (RocksDBException e) {
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, plan);
      if (e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Corruption) {
        throw new dev.coffer.CorruptionException("RocksDB found damage while opening the store at " + dir + ": "
            + status(e), null, "RocksDB", e);
      }
      throw new StorageException("Cannot open the RocksDB database in " + dir + ": " + status(e), e);
    } catch (java.io.IOException e) {
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, plan);
      throw new StorageException("Cannot read the store directory " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, plan);
      throw e;
    }
  }

  private static void closeAll(AutoCloseable... objects) {
    for (AutoCloseable o : objects) {
      if (o != null) {
        try {
          o.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + o + " failed", e); // RocksDB's objects throw nothing
        }
      }
    }
  }

  /**
   * What the open tolerated in the write-ahead log (a torn last record, or what a point-in-time
   * recovery dropped), one sentence each; empty when the log was intact. Each was also logged as
   * a warning.
   */
  public List<String> walRecoveryNotes() {
    return walPlan.notes();
  }

  /** The store directory. */
  public Path dir() {
    return dir;
  }

  /** The default column family (header and catalog). */
  public ColumnFamilyHandle defaultFamily() {
    return defaultFamily;
  }

  /** The names (hex table ids) of every table column family. */
  public synchronized List<String> familyNames() {
    return new ArrayList<>(families.keySet());
  }

  /** The column family named {@code name}, or null. */
  public synchronized ColumnFamilyHandle family(String name) {
    return families.get(name);
  }

  /** Creates a column family. */
  public synchronized ColumnFamilyHandle createFamily(String name) {
    try {
      ColumnFamilyHandle h =
          db.createColumnFamily(new ColumnFamilyDescriptor(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), tableOptions));
      families.put(name, h);
      return h;
    } catch (RocksDBException e) {
      throw new StorageException("Cannot create a column family in " + dir + ": " + status(e), e);
    }
  }

  /** Drops a column family and releases its handle. */
  public synchronized void dropFamily(String name) {
    ColumnFamilyHandle h = families.remove(name);
    if (h == null) {
      return;
    }
    try {
      db.dropColumnFamily(h);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot drop a column family in " + dir + ": " + status(e), e);
    } finally {
      h.close();
    }
  }

  /** The value under {@code key}, or null. */
  public byte[] get(ColumnFamilyHandle family, byte[] key) {
    if (family != defaultFamily) {
      tableReads.increment();
    }
    try {
      return db.get(family, readOptions, key);
    } catch (RocksDBException e) {
      throw readFailure(e);
    }
  }

  /**
   * Checks an iterator that stopped being valid: an I/O error or a failed RocksDB checksum must
   * not look like the end of the data.
   */
  public void checkIterator(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw readFailure(e);
    }
  }

  private RuntimeException readFailure(RocksDBException e) {
    if (e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Corruption) {
      return new dev.coffer.CorruptionException("RocksDB found a damaged file in " + dir + ": " + status(e), null,
          "RocksDB", e);
    }
    return new StorageException("Cannot read from " + dir + ": " + status(e), e);
  }

  /** Writes {@code key -> value} on its own. */
  public void put(ColumnFamilyHandle family, byte[] key, byte[] value) {
    if (family != defaultFamily) {
      tableWrites.increment();
    }
    try {
      db.put(family, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot write to " + dir + ": " + status(e), e);
    }
  }

  /**
   * Appends {@code value} to the value under {@code key} in a table's column family (the merge
   * operator concatenates), on its own.
   */
  public void merge(ColumnFamilyHandle family, byte[] key, byte[] value) {
    tableWrites.increment();
    try {
      db.merge(family, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot write to " + dir + ": " + status(e), e);
    }
  }

  /** Deletes {@code key} on its own. */
  public void delete(ColumnFamilyHandle family, byte[] key) {
    if (family != defaultFamily) {
      tableWrites.increment();
    }
    try {
      db.delete(family, writeOptions, key);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot write to " + dir + ": " + status(e), e);
    }
  }

  /** Applies {@code batch} atomically. */
  public void write(WriteBatch batch) {
    batches.increment();
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot write to " + dir + ": " + status(e), e);
    }
  }

  /** Applies {@code batch} atomically and waits for the write-ahead log to reach the disk. */
  public void writeSynced(WriteBatch batch) {
    batches.increment();
    try {
      db.write(syncedWriteOptions, batch);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot write to " + dir + ": " + status(e), e);
    }
  }

  /**
   * Flushes every column family (so no write-ahead log file is still needed for an old catalog
   * record) and compacts the default one, so that overwritten or deleted catalog records (and the
   * wrapped keys in them) leave the live SST files and the write-ahead log.
   */
  public void compactDefault() {
    compact(defaultFamily);
  }

  /** Compaction that rewrites every file, even one a trivial move would keep as it is. */
  private void compactForced(ColumnFamilyHandle family) throws RocksDBException {
    try (org.rocksdb.CompactRangeOptions o = new org.rocksdb.CompactRangeOptions()
        .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
      db.compactRange(family, null, null, o);
    }
  }

  /**
   * Flushes every column family and compacts one, rewriting every SST file of it (also files a
   * trivial move would keep), so that overwritten or deleted records leave its live SST files.
   */
  public void compact(ColumnFamilyHandle family) {
    flush();
    try {
      compactForced(family);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot compact " + dir + ": " + status(e), e);
    }
  }

  /** What the store has done since it opened: for tests that prove an operation touched no page. */
  public record Counters(long tableReads, long tableWrites, long batches) {}

  /**
   * Reads (gets and iterators) and single writes in table column families, and write batches of
   * any family, since the store opened.
   */
  public Counters counters() {
    return new Counters(tableReads.sum(), tableWrites.sum(), batches.sum());
  }

  /** A new iterator over {@code family}; the caller closes it. */
  public RocksIterator iterator(ColumnFamilyHandle family) {
    if (family != defaultFamily) {
      tableReads.increment();
    }
    return db.newIterator(family, readOptions);
  }

  /** Flushes every memtable to SST files (tests and close). */
  public void flush() {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      List<ColumnFamilyHandle> all = new ArrayList<>();
      all.add(defaultFamily);
      synchronized (this) {
        all.addAll(families.values());
      }
      db.flush(fo, all);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot flush " + dir + ": " + status(e), e);
    }
  }

  /** Closes the database; idempotent. */
  @Override
  public synchronized void close() {
    families.values().forEach(ColumnFamilyHandle::close);
    families.clear();
    defaultFamily.close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new StorageException("Cannot close " + dir + " cleanly: " + status(e), e);
    } finally {
      closeAll(writeOptions, syncedWriteOptions, readOptions, dbOptions, cfOptions, tableOptions, concatenation,
          walPlan);
    }
  }

  private static String status(RocksDBException e) {
    return e.getStatus() == null ? String.valueOf(e.getMessage()) : e.getStatus().getCodeString() + ": " + e.getMessage();
  }
}
