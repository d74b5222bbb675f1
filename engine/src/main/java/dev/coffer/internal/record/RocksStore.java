package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.StoreLockedException;
import dev.coffer.WalRecovery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompactRangeOptions.BottommostLevelCompaction;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 400 lines: the open (with the write-ahead log plan it follows) and every RocksDB call of the
// engine, each mapped to Coffer's exceptions with what failed and where.

/**
 * The RocksDB backend ({@link RecordStore}): the store's own namespace is the default column
 * family; each table's is a column family named by the table id in hex, never by the table name.
 * With {@link RocksFamily} and {@link RocksCursor}, the only code of the engine that uses RocksDB.
 * Every {@link RocksDBException} becomes a {@link StorageException}, or a {@link
 * CorruptionException} when RocksDB reports damaged data, naming the table and the place.
 *
 * <p>RocksDB's own files hold only column family names (hex ids), option values and sizes: no
 * option or property carries a table name. The info LOG is kept at WARN level. Options: {@link
 * #dbOptions} and {@link #tableFamilyOptions}, the one place where they are set.
 *
 * <p>Thread-safe for reads and writes; dropping a column family and {@link #close()} must not race
 * with use of the same column family (the engine's lifecycle lock sees to it); both cancel a
 * running {@link #compact} of it and wait until it has returned.
 */
final class RocksStore implements RecordStore {
  static {
    RocksDB.loadLibrary();
  }

  private static final String DEFAULT = "default";
  private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final ColumnFamilyOptions tableOptions;
  private final StringAppendOperator concatenation;
  private final BloomFilter bloom;
  private final WalPlan walPlan;
  private final WriteOptions writeOptions;
  private final WriteOptions syncedWriteOptions = new WriteOptions().setSync(true);
  private final ReadOptions readOptions;
  private final RocksDB db;
  private final RocksFamily defaultFamily;
  private final Map<String, RocksFamily> families = new HashMap<>();
  private final Set<Compaction> compactions = new HashSet<>();
  private boolean closed;

  /** A running compaction, so that a drop or close can cancel it and wait. */
  private record Compaction(RocksFamily family, CompactRangeOptions options) {}

  private RocksStore(
      Path dir,
      DBOptions dbOptions,
      ColumnFamilyOptions cfOptions,
      ColumnFamilyOptions tableOptions,
      StringAppendOperator concatenation,
      BloomFilter bloom,
      WalPlan walPlan,
      boolean sync,
      RocksDB db,
      List<ColumnFamilyHandle> handles,
      List<String> names) {
    this.dir = dir;
    this.walPlan = walPlan;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.tableOptions = tableOptions;
    this.concatenation = concatenation;
    this.bloom = bloom;
    this.db = db;
    this.writeOptions = new WriteOptions().setSync(sync);
    this.readOptions = new ReadOptions();
    RocksFamily dflt = null;
    for (int i = 0; i < handles.size(); i++) {
      if (names.get(i).equals(DEFAULT)) {
        dflt = new RocksFamily(handles.get(i), null);
      } else {
        families.put(
            names.get(i), new RocksFamily(handles.get(i), HexFormat.of().parseHex(names.get(i))));
      }
    }
    this.defaultFamily = dflt;
  }

  /**
   * The database options: RocksJava's defaults, creating the database when asked, the info LOG at
   * WARN level and two of its files kept.
   */
  private static DBOptions dbOptions(boolean create) {
    return new DBOptions()
        .setCreateIfMissing(create)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2);
  }

  /** Bits per key of the tables' bloom filters (about 1 % false positives). */
  static final double BLOOM_BITS_PER_KEY = 10;

  /**
   * The options of a table's column family: RocksJava's defaults, plus
   *
   * <ul>
   *   <li>the merge operator that appends a delta record to its node's value ({@link #append}):
   *       RocksDB's {@code StringAppendOperator} with an empty delimiter, i.e. concatenation, run
   *       natively at read and compaction time;
   *   <li>whole-key bloom filters ({@value #BLOOM_BITS_PER_KEY} bits per key): every read of a node
   *       is a point read of its whole key, and without a filter it probes every level-0 file and
   *       every level that might hold the key;
   *   <li>no compression: every value is AES-GCM ciphertext, which does not compress, so RocksDB's
   *       compression only cost CPU at every flush and compaction; the record layer compresses page
   *       plaintext before sealing instead ({@link RecordFormat#compressedOrRaw}).
   * </ul>
   *
   * The block cache is RocksDB's default for a table without one of its own (32 MiB with RocksDB
   * 11): it holds sealed blocks, i.e. up to 32 MiB of 4 KiB pages (the default page target) or
   * about a hundred thousand one-item pages. (The default column family keeps RocksJava's
   * defaults.)
   */
  private static ColumnFamilyOptions tableFamilyOptions(
      StringAppendOperator concatenation, BloomFilter bloom) {
    return new ColumnFamilyOptions()
        .setMergeOperator(concatenation)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
        .setTableFormatConfig(
            new BlockBasedTableConfig().setFilterPolicy(bloom).setWholeKeyFiltering(true));
  }

  /**
   * Read options of a verifying cursor: every block's checksum checked, nothing put in the block
   * cache.
   */
  private static ReadOptions verifyingReadOptions() {
    return new ReadOptions().setVerifyChecksums(true).setFillCache(false);
  }

  /**
   * Opens (or creates) the database in {@code dir} with every column family it has. The write-ahead
   * log is checked first ({@link WalInspector}) and recovered as {@link WalPlan} says: a log torn
   * by a crash loses its torn record (with a warning), a damaged one fails the open with {@link
   * CorruptionException} unless {@code recovery} is {@link WalRecovery#POINT_IN_TIME}; a store open
   * elsewhere fails with {@link StoreLockedException}, whatever its log holds.
   *
   * @param sync whether every write waits for the WAL to reach the disk
   */
  static RocksStore open(Path dir, boolean create, boolean sync, WalRecovery recovery) {
    DBOptions dbOptions = null;
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    StringAppendOperator concatenation = new StringAppendOperator("");
    BloomFilter bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
    ColumnFamilyOptions tableOptions = tableFamilyOptions(concatenation, bloom);
    WalPlan plan = null;
    try {
      List<String> names = new ArrayList<>();
      names.add(DEFAULT);
      WalInspector.Report wal = null;
      if (Files.exists(dir.resolve("CURRENT"))) {
        try (Options options = new Options()) {
          for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
            String s = new String(name, StandardCharsets.US_ASCII);
            if (!s.equals(DEFAULT)) {
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
        descriptors.add(
            new ColumnFamilyDescriptor(
                n.getBytes(StandardCharsets.US_ASCII),
                n.equals(DEFAULT) ? cfOptions : tableOptions));
      }
      plan = WalPlan.of(dir, wal, recovery);
      while (true) { // at most a probe, then the open it allows
        dbOptions = dbOptions(create);
        plan.apply(dbOptions);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        WalPlan next;
        try {
          RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
          if (!plan.isProbe()) {
            plan.notes().forEach(LOG::warn);
            return new RocksStore(
                dir,
                dbOptions,
                cfOptions,
                tableOptions,
                concatenation,
                bloom,
                plan,
                sync,
                db,
                handles,
                names);
          }
          handles.forEach(
              ColumnFamilyHandle::close); // the probe replayed nothing; open again as it says
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
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, bloom, plan);
      if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
        throw new CorruptionException(
            "RocksDB found damage while opening the store at " + dir + ": " + status(e),
            null,
            "RocksDB",
            e);
      }
      throw new StorageException(
          "Cannot open the RocksDB database in " + dir + ": " + status(e), e);
    } catch (IOException e) {
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, bloom, plan);
      throw new StorageException(
          "Cannot read the store directory " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(dbOptions, cfOptions, tableOptions, concatenation, bloom, plan);
      throw e;
    }
  }

  private static void closeAll(AutoCloseable... objects) {
    for (AutoCloseable o : objects) {
      if (o != null) {
        try {
          o.close();
        } catch (Exception e) {
          throw new IllegalStateException(
              "closing " + o + " failed", e); // RocksDB's objects throw nothing
        }
      }
    }
  }

  @Override
  public List<String> recoveryNotes() {
    return walPlan.notes();
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public Namespace storeNamespace() {
    return defaultFamily;
  }

  @Override
  public synchronized List<byte[]> tableIds() {
    List<byte[]> ids = new ArrayList<>();
    families.values().forEach(f -> ids.add(f.tableId.clone()));
    return ids;
  }

  @Override
  public synchronized Namespace table(byte[] tableId, String tableName) {
    RocksFamily f = families.get(HexFormat.of().formatHex(tableId));
    if (f != null && tableName != null) {
      f.tableName = tableName;
    }
    return f;
  }

  @Override
  public synchronized Namespace createTable(byte[] tableId, String tableName) {
    String name = HexFormat.of().formatHex(tableId);
    try {
      ColumnFamilyHandle h =
          db.createColumnFamily(
              new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), tableOptions));
      RocksFamily f = new RocksFamily(h, tableId.clone());
      f.tableName = tableName;
      families.put(name, f);
      return f;
    } catch (RocksDBException e) {
      throw new StorageException(
          "Cannot create the column family of table " + tableName + " in " + dir + ": " + status(e),
          e);
    }
  }

  @Override
  public synchronized void dropTable(byte[] tableId) {
    RocksFamily f = families.remove(HexFormat.of().formatHex(tableId));
    if (f == null) {
      return;
    }
    cancelCompactions(f);
    try {
      db.dropColumnFamily(f.handle);
    } catch (RocksDBException e) {
      throw new StorageException(
          "Cannot drop the column family of " + f.tableName + " in " + dir + ": " + status(e), e);
    } finally {
      f.handle.close();
    }
  }

  private static RocksFamily family(Namespace ns) {
    return (RocksFamily) ns;
  }

  @Override
  public byte[] get(Namespace ns, byte[] key) {
    RocksFamily f = family(ns);
    try {
      return db.get(f.handle, readOptions, key);
    } catch (RocksDBException e) {
      throw f.readFailure(dir, f.describe(key), e);
    }
  }

  @Override
  public long writeSequence() {
    return db.getLatestSequenceNumber();
  }

  @Override
  public void put(Namespace ns, byte[] key, byte[] value) {
    RocksFamily f = family(ns);
    try {
      db.put(f.handle, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw f.writeFailure(dir, e);
    }
  }

  @Override
  public void append(Namespace ns, byte[] key, byte[] value) {
    RocksFamily f = family(ns);
    try {
      db.merge(f.handle, writeOptions, key, value);
    } catch (RocksDBException e) {
      throw f.writeFailure(dir, e);
    }
  }

  @Override
  public void delete(Namespace ns, byte[] key) {
    RocksFamily f = family(ns);
    try {
      db.delete(f.handle, writeOptions, key);
    } catch (RocksDBException e) {
      throw f.writeFailure(dir, e);
    }
  }

  @Override
  public void commit(RecordBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    RocksFamily first = family(batch.operations().get(0).namespace());
    try (WriteBatch wb = new WriteBatch()) {
      for (RecordBatch.Operation op : batch.operations()) {
        ColumnFamilyHandle h = family(op.namespace()).handle;
        switch (op.kind()) {
          case PUT -> wb.put(h, op.key(), op.value());
          case APPEND -> wb.merge(h, op.key(), op.value());
          case DELETE -> wb.delete(h, op.key());
          default -> throw new AssertionError(op.kind());
        }
      }
      db.write(batch.synced() ? syncedWriteOptions : writeOptions, wb);
    } catch (RocksDBException e) {
      throw first.writeFailure(dir, e);
    }
  }

  @Override
  public RecordCursor cursor(Namespace ns, boolean verifying) {
    RocksFamily f = family(ns);
    ReadOptions options = verifying ? verifyingReadOptions() : null;
    return new RocksCursor(
        dir, f, db.newIterator(f.handle, verifying ? options : readOptions), options);
  }

  @Override
  public void flush() {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      List<ColumnFamilyHandle> all = new ArrayList<>();
      synchronized (this) {
        if (closed) {
          return;
        }
        all.add(defaultFamily.handle);
        families.values().forEach(f -> all.add(f.handle));
      }
      db.flush(fo, all);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot flush " + dir + ": " + status(e), e);
    }
  }

  /**
   * Flushes every column family (so that no write-ahead log file is still needed for an old
   * record), then compacts {@code ns}, rewriting every SST file of it, even one a trivial move
   * would keep, so that overwritten or deleted records leave its live files. A drop of the column
   * family or a close cancels it; it then returns without error.
   */
  @Override
  public void compact(Namespace ns) {
    RocksFamily f = family(ns);
    Compaction c;
    synchronized (this) {
      if (closed || (f != defaultFamily && !families.containsValue(f))) {
        return;
      }
      c =
          new Compaction(
              f,
              new CompactRangeOptions()
                  .setBottommostLevelCompaction(BottommostLevelCompaction.kForce));
      compactions.add(c);
    }
    try {
      flush();
      db.compactRange(f.handle, null, null, c.options());
    } catch (RocksDBException e) {
      if (!c.options().canceled()) {
        throw new StorageException(
            "Cannot compact "
                + (f.tableName == null ? "the store's records" : f.tableName)
                + " in "
                + dir
                + ": "
                + status(e),
            e);
      }
    } finally {
      synchronized (this) {
        compactions.remove(c);
        notifyAll();
      }
      c.options().close();
    }
  }

  /** Cancels the compactions of {@code f} (every one when null) and waits until they returned. */
  private void cancelCompactions(RocksFamily f) {
    boolean interrupted = false;
    while (true) {
      boolean running = false;
      for (Compaction c : compactions) {
        if (f == null || c.family() == f) {
          c.options().setCanceled(true);
          running = true;
        }
      }
      if (!running) {
        break;
      }
      try {
        wait(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the database (cancelling running compactions first); idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    cancelCompactions(null);
    families.values().forEach(f -> f.handle.close());
    families.clear();
    defaultFamily.handle.close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new StorageException("Cannot close " + dir + " cleanly: " + status(e), e);
    } finally {
      closeAll(
          writeOptions,
          syncedWriteOptions,
          readOptions,
          dbOptions,
          cfOptions,
          tableOptions,
          concatenation,
          bloom,
          walPlan);
    }
  }

  static String status(RocksDBException e) {
    return e.getStatus() == null
        ? String.valueOf(e.getMessage())
        : e.getStatus().getCodeString() + ": " + e.getMessage();
  }
}
