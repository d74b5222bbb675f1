package dev.coffer.internal.store;

import dev.coffer.CorruptionException;
import dev.coffer.StoreLockedException;
import dev.coffer.WalRecovery;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.AbstractWalFilter;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WalFilter.LogRecordFoundResult;
import org.rocksdb.WalProcessingOption;
import org.rocksdb.WriteBatch;

/**
 * How {@link RocksStore#open} recovers the write-ahead log, decided from what {@link WalInspector}
 * found in it before RocksDB opens:
 *
 * <ul>
 *   <li>intact: RocksDB's {@code kAbsoluteConsistency}, so damage RocksDB finds that the inspector
 *       did not still fails the open;
 *   <li>a last record torn by a crash: {@code kTolerateCorruptedTailRecords}, which drops it (and,
 *       unlike the default {@code kPointInTimeRecovery}, fails on a damaged record anywhere else);
 *       a note says what was dropped;
 *   <li>damaged, {@link WalRecovery#TORN_TAIL_ONLY}: refused. RocksDB still opens once, with a WAL
 *       filter that marks the first record it replays as corrupt: the open then fails after
 *       RocksDB took the store's lock and before it changed anything, so a store that is merely
 *       open in another process (whose log can look torn while it is written) is reported as
 *       locked, not as damaged;
 *   <li>damaged, {@link WalRecovery#POINT_IN_TIME}: {@code kPointInTimeRecovery} with a filter that
 *       ignores every write batch after the last intact one before the damage (RocksDB alone would
 *       go on past a zeroed block); a note lists what was dropped.
 * </ul>
 *
 * Owns the WAL filter, which must outlive the database: close it after the database.
 */
final class WalPlan implements AutoCloseable {
  private final Path dir;
  private final WalInspector.Report wal;
  private final WalInspector.Damage damage;
  private final WALRecoveryMode mode;
  private final AbstractWalFilter filter;
  private final List<String> notes = new ArrayList<>();

  private WalPlan(Path dir, WalInspector.Report wal, WalInspector.Damage damage, WALRecoveryMode mode,
      AbstractWalFilter filter) {
    this.dir = dir;
    this.wal = wal;
    this.damage = damage;
    this.mode = mode;
    this.filter = filter;
  }

  /** The plan for the logs {@code wal} (null for a new store). */
  static WalPlan of(Path dir, WalInspector.Report wal, WalRecovery recovery) {
    WalInspector.Damage damage = wal == null ? null : wal.damage();
    if (damage == null) {
      String torn = wal == null ? null : wal.tornTail();
      WalPlan plan = new WalPlan(dir, wal, null,
          torn == null ? WALRecoveryMode.AbsoluteConsistency : WALRecoveryMode.TolerateCorruptedTailRecords, null);
      if (torn != null) {
        plan.notes.add("Opened " + dir + " without the torn end of its write-ahead log: " + torn);
      }
      return plan;
    }
    if (recovery == WalRecovery.POINT_IN_TIME) {
      long keep = wal.lastSequenceBefore(damage);
      WalPlan plan = new WalPlan(dir, wal, null, WALRecoveryMode.PointInTimeRecovery, new KeepUpTo(keep));
      plan.notes.add("Opened " + dir + " with point-in-time recovery of its damaged write-ahead log (" + damage
          + "): kept the writes up to sequence number " + keep + ", dropped the damaged record and "
          + WalInspector.describe(wal.batchesFrom(damage)) + " from there on");
      return plan;
    }
    return new WalPlan(dir, wal, damage, WALRecoveryMode.AbsoluteConsistency, new RefuseAll());
  }

  /** Sets the recovery mode and filter. */
  void apply(DBOptions options) {
    options.setWalRecoveryMode(mode);
    if (filter != null) {
      options.setWalFilter(filter);
    }
  }

  /** Whether the open must be refused even if RocksDB opened. */
  boolean refuses() {
    return damage != null;
  }

  /** What RocksDB's failure to open means: the store is locked, the log damaged, or {@code e} itself. */
  RocksDBException openFailed(RocksDBException e) {
    if (isLocked(e)) {
      throw locked(e);
    }
    if (damage != null) {
      throw refusal(e);
    }
    return e;
  }

  /** The open's failure for a damaged log: where the damage is, what it holds, what to do. */
  CorruptionException refusal(RocksDBException cause) {
    List<WalInspector.Batch> after = wal.batchesFrom(damage);
    String lost = after.isEmpty()
        ? "Nothing intact follows the damage"
        : "From the damage on it holds " + WalInspector.describe(after) + " that opening would lose";
    return new CorruptionException("The write-ahead log of the store at " + dir + " is damaged: " + damage + ". "
        + lost + ". The store was not opened and nothing was changed. Restore the store directory from a backup"
        + " taken before the damage, or open it with CofferOptions.walRecovery(WalRecovery.POINT_IN_TIME) to keep"
        + " the writes before the damage and drop the rest", null,
        "write-ahead log " + damage.log().path.getFileName() + " byte " + damage.offset(), cause);
  }

  /** What the open tolerated, one sentence each. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  private static boolean isLocked(RocksDBException e) {
    return e.getStatus() != null && e.getStatus().getCode() == Status.Code.IOError
        && String.valueOf(e.getMessage()).contains("LOCK");
  }

  private StoreLockedException locked(RocksDBException e) {
    return new StoreLockedException(String.valueOf(e.getMessage()).contains("current process")
        ? "The store at " + dir + " is already open in this process; use the open Coffer instead of opening it again"
        : "The store at " + dir + " is open in another process (it holds " + dir.resolve("LOCK")
            + "); close it there first", e);
  }

  @Override
  public void close() {
    if (filter != null) {
      filter.close();
    }
  }

  /** Fails the replay at the first record RocksDB reads. */
  private static final class RefuseAll extends AbstractWalFilter {
    @Override
    public void columnFamilyLogNumberMap(Map<Integer, Long> cfLognumber, Map<String, Integer> cfNameId) {}

    @Override
    public LogRecordFoundResult logRecordFound(long logNumber, String logFileName, WriteBatch batch,
        WriteBatch newBatch) {
      return new LogRecordFoundResult(WalProcessingOption.CORRUPTED_RECORD, false);
    }

    @Override
    public String name() {
      return "coffer-refuse-damaged-wal";
    }
  }

  /** Replays the write batches up to a sequence number and ignores those after it. */
  private static final class KeepUpTo extends AbstractWalFilter {
    private final long lastKept;

    KeepUpTo(long lastKept) {
      this.lastKept = lastKept;
    }

    @Override
    public void columnFamilyLogNumberMap(Map<Integer, Long> cfLognumber, Map<String, Integer> cfNameId) {}

    @Override
    public LogRecordFoundResult logRecordFound(long logNumber, String logFileName, WriteBatch batch,
        WriteBatch newBatch) {
      try {
        byte[] rep = batch.data();
        long sequence = rep.length >= 8
            ? ByteBuffer.wrap(rep, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : Long.MAX_VALUE;
        return sequence <= lastKept ? LogRecordFoundResult.CONTINUE_UNCHANGED
            : new LogRecordFoundResult(WalProcessingOption.IGNORE_CURRENT_RECORD, false);
      } catch (RocksDBException e) {
        return new LogRecordFoundResult(WalProcessingOption.STOP_REPLAY, false);
      }
    }

    @Override
    public String name() {
      return "coffer-point-in-time";
    }
  }
}
