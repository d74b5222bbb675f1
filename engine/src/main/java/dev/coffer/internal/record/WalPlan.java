package dev.coffer.internal.record;

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
 *   <li>damaged: first a probe. RocksDB opens with a WAL filter that learns which logs RocksDB
 *       still needs (each column family's log number) and marks the first record it replays as
 *       corrupt, so the open fails after RocksDB took the store's lock and before it changed
 *       anything. A store that is merely open in another process (whose log can look torn while it
 *       is written) is so reported as locked, not as damaged; damage only in logs RocksDB no longer
 *       needs (their writes are in its table files: a crash came between a flush and their
 *       deletion) is noted and ignored. Otherwise, with {@link WalRecovery#TORN_TAIL_ONLY} the open
 *       is refused; with {@link WalRecovery#POINT_IN_TIME}, {@code kPointInTimeRecovery} and a
 *       filter that ignores every write batch after the last intact one before the damage (RocksDB
 *       alone would go on past a zeroed block); a note lists what was dropped.
 * </ul>
 *
 * Owns its WAL filter, which must outlive the database: close it after the database.
 */
final class WalPlan implements AutoCloseable {
  private final Path dir;
  private final WalInspector.Report wal;
  private final WalRecovery recovery;
  private final WalInspector.Damage damage;
  private final WALRecoveryMode mode;
  private final AbstractWalFilter filter;
  private final List<String> notes;

  private WalPlan(
      Path dir,
      WalInspector.Report wal,
      WalRecovery recovery,
      WalInspector.Damage damage,
      WALRecoveryMode mode,
      AbstractWalFilter filter,
      List<String> notes) {
    this.dir = dir;
    this.wal = wal;
    this.recovery = recovery;
    this.damage = damage;
    this.mode = mode;
    this.filter = filter;
    this.notes = new ArrayList<>(notes);
  }

  /** The plan for the logs {@code wal} (null for a new store). */
  static WalPlan of(Path dir, WalInspector.Report wal, WalRecovery recovery) {
    return of(dir, wal, recovery, List.of());
  }

  private static WalPlan of(
      Path dir, WalInspector.Report wal, WalRecovery recovery, List<String> notes) {
    WalInspector.Damage damage = wal == null ? null : wal.damage();
    if (damage != null) {
      return new WalPlan(
          dir, wal, recovery, damage, WALRecoveryMode.AbsoluteConsistency, new Probe(), notes);
    }
    String torn = wal == null ? null : wal.tornTail();
    WalPlan plan =
        new WalPlan(
            dir,
            wal,
            recovery,
            null,
            torn == null
                ? WALRecoveryMode.AbsoluteConsistency
                : WALRecoveryMode.TolerateCorruptedTailRecords,
            null,
            notes);
    if (torn != null) {
      plan.notes.add("Opened " + dir + " without the torn end of its write-ahead log: " + torn);
    }
    return plan;
  }

  /** Whether this plan only probes: RocksDB must not keep a database it opened with it. */
  boolean isProbe() {
    return filter instanceof Probe;
  }

  /**
   * What to try after RocksDB's open with this plan failed with {@code e}: the next plan, or null
   * when {@code e} is RocksDB's own failure.
   *
   * @throws StoreLockedException when the store is open elsewhere
   * @throws CorruptionException when the damaged log is refused
   */
  WalPlan afterFailure(RocksDBException e) {
    if (isLocked(e)) {
      throw locked(e);
    }
    return isProbe() ? afterProbe(e) : null;
  }

  /**
   * What to try after the probe (RocksDB's failure {@code cause}, or null when RocksDB opened
   * without replaying anything).
   *
   * @throws CorruptionException when the damaged log is refused
   */
  WalPlan afterProbe(RocksDBException cause) {
    long firstNeeded = ((Probe) filter).firstNeededLog;
    if (firstNeeded >= 0 && damage.log().number < firstNeeded) {
      List<String> next = new ArrayList<>(notes);
      next.add(
          "Ignored the damaged write-ahead log "
              + damage
              + ": RocksDB no longer needs it (its writes are in"
              + " the table files) and deletes it");
      return of(dir, wal.from(firstNeeded), recovery, next);
    }
    if (recovery == WalRecovery.POINT_IN_TIME) {
      long keep = wal.lastSequenceBefore(damage);
      WalPlan plan =
          new WalPlan(
              dir,
              wal,
              recovery,
              null,
              WALRecoveryMode.PointInTimeRecovery,
              new KeepUpTo(keep),
              notes);
      plan.notes.add(
          "Opened "
              + dir
              + " with point-in-time recovery of its damaged write-ahead log ("
              + damage
              + "): kept the writes up to sequence number "
              + keep
              + ", dropped the damaged record and "
              + WalInspector.describe(wal.batchesFrom(damage))
              + " from there on");
      return plan;
    }
    throw refusal(cause);
  }

  /** Sets the recovery mode and filter. */
  void apply(DBOptions options) {
    options.setWalRecoveryMode(mode);
    if (filter != null) {
      options.setWalFilter(filter);
    }
  }

  /** The open's failure for a damaged log: where the damage is, what it holds, what to do. */
  CorruptionException refusal(RocksDBException cause) {
    List<WalInspector.Batch> after = wal.batchesFrom(damage);
    String lost =
        after.isEmpty()
            ? "Nothing intact follows the damage"
            : "From the damage on it holds "
                + WalInspector.describe(after)
                + " that opening would lose";
    return new CorruptionException(
        "The write-ahead log of the store at "
            + dir
            + " is damaged: "
            + damage
            + ". "
            + lost
            + ". The store was not opened and nothing was changed. Restore the store directory from a backup"
            + " taken before the damage, or open it with CofferOptions.walRecovery(WalRecovery.POINT_IN_TIME) to keep"
            + " the writes before the damage and drop the rest",
        null,
        "write-ahead log " + damage.log().path.getFileName() + " byte " + damage.offset(),
        cause);
  }

  /** What the open tolerated, one sentence each. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  private static boolean isLocked(RocksDBException e) {
    return e.getStatus() != null
        && e.getStatus().getCode() == Status.Code.IOError
        && String.valueOf(e.getMessage()).contains("LOCK");
  }

  private StoreLockedException locked(RocksDBException e) {
    return new StoreLockedException(
        String.valueOf(e.getMessage()).contains("current process")
            ? "The store at "
                + dir
                + " is already open in this process; use the open Coffer instead of opening it again"
            : "The store at "
                + dir
                + " is open in another process (it holds "
                + dir.resolve("LOCK")
                + "); close it there first",
        e);
  }

  @Override
  public void close() {
    if (filter != null) {
      filter.close();
    }
  }

  /**
   * Learns the first log RocksDB still needs (the smallest log number of any column family) and
   * fails the replay at the first record RocksDB reads.
   */
  private static final class Probe extends AbstractWalFilter {
    volatile long firstNeededLog = -1;

    @Override
    public void columnFamilyLogNumberMap(
        Map<Integer, Long> cfLognumber, Map<String, Integer> cfNameId) {
      firstNeededLog = cfLognumber.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    @Override
    public LogRecordFoundResult logRecordFound(
        long logNumber, String logFileName, WriteBatch batch, WriteBatch newBatch) {
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
    public void columnFamilyLogNumberMap(
        Map<Integer, Long> cfLognumber, Map<String, Integer> cfNameId) {}

    @Override
    public LogRecordFoundResult logRecordFound(
        long logNumber, String logFileName, WriteBatch batch, WriteBatch newBatch) {
      try {
        byte[] rep = batch.data();
        long sequence =
            rep.length >= 8
                ? ByteBuffer.wrap(rep, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()
                : Long.MAX_VALUE;
        return sequence <= lastKept
            ? LogRecordFoundResult.CONTINUE_UNCHANGED
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
