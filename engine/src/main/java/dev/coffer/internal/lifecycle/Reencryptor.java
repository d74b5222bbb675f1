package dev.coffer.internal.lifecycle;

import com.google.protobuf.ByteString;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.ReencryptionProgress;
import dev.coffer.StorageException;
import dev.coffer.internal.catalog.KeyVersions;
import dev.coffer.internal.catalog.ReencryptionCursor;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.partition.PartitionLocks;
import dev.coffer.internal.record.TableRecords;
import dev.coffer.proto.ReencryptionState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-encryption job: re-seals every record (page or delta record) of a table that an older
 * data-key version sealed, or that is in an older envelope format (format 1, AES-256-GCM under the
 * page key itself), under the primary version in the current envelope format, then destroys the
 * versions no record uses. With no version retired, it runs only when the table still holds records
 * of an older envelope format (a scan of the envelope headers tells), and destroys nothing.
 *
 * <ul>
 *   <li>Online: partitions in token order, a chunk of them at a time under their partition write
 *       locks (and the store's shared lifecycle lock), in write batches of at most {@value
 *       #BATCH_RECORDS} re-sealed records. Traffic goes on between chunks. The records are read,
 *       opened and sealed by the record layer ({@link TableRecords#reseal}).
 *   <li>Throttled: sleeps between partitions to stay under {@code bytesPerSecond}.
 *   <li>Resumable: the last finished partition token is the cursor, persisted in the catalog
 *       entry's {@code ReencryptionState} every N records and when the run stops; a later run with
 *       the same target version continues after it.
 *   <li>Safe to destroy: after the pass, a scan counts records per version; only versions that were
 *       already RETIRED when the run started and that no record uses are destroyed.
 * </ul>
 *
 * The record plaintext is re-sealed as is, so the page cache stays valid. After the destruction the
 * store's records and the table's are compacted with no lock held. Thread-safe; one run per table
 * at a time (the caller serialises).
 */
public final class Reencryptor {
  private static final Logger LOG = LoggerFactory.getLogger(Reencryptor.class);
  private static final int MAX_PASSES = 4;

  /**
   * Partitions re-sealed per hold of their locks; fewer when the cursor is persisted more often.
   */
  private static final int CHUNK_PARTITIONS = 128;

  /**
   * Records re-sealed per batch: after each batch the seal counts are flushed when due (a commit
   * point, see {@code KeyVersions}), so the sealing never runs far ahead of the persisted count.
   */
  private static final int BATCH_RECORDS = 1024;

  private final KeyVersions keyVersions;
  private final ReencryptionCursor cursors;
  private final StoreKeys storeKeys;
  private final PartitionLocks locks;
  private final Clock clock;
  private final EngineAudit audit;
  private final SharedJob shared;

  /** The job of one open store. */
  public Reencryptor(
      KeyVersions keyVersions,
      ReencryptionCursor cursors,
      StoreKeys storeKeys,
      PartitionLocks locks,
      Clock clock,
      EngineAudit audit) {
    this(keyVersions, cursors, storeKeys, locks, clock, audit, null);
  }

  /**
   * The job of one open store; {@code shared} (null for a store this process owns alone) runs it
   * under a lease and waits out the other instances' views before destroying a version.
   */
  public Reencryptor(
      KeyVersions keyVersions,
      ReencryptionCursor cursors,
      StoreKeys storeKeys,
      PartitionLocks locks,
      Clock clock,
      EngineAudit audit,
      SharedJob shared) {
    this.shared = shared;
    this.keyVersions = keyVersions;
    this.cursors = cursors;
    this.storeKeys = storeKeys;
    this.locks = locks;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Runs (or resumes) the job on {@code t}.
   *
   * @param underStore runs a step under the store's shared lifecycle lock (throws once closed)
   * @param stop true when the run should stop early (store closing)
   */
  public ReencryptResult run(
      TableContext t,
      ReencryptOptions options,
      Consumer<Runnable> underStore,
      BooleanSupplier stop) {
    if (shared == null || t.records().shared() == null) {
      return runHere(t, options, underStore, stop);
    }
    // On a shared backend one instance at a time runs a table's job (its lease); the others'
    // calls return at once, unfinished, and its progress is in the catalog entry for all to see.
    return shared.run(
        t,
        started ->
            runHere(
                t,
                options,
                underStore,
                () -> {
                  started.run(); // renews the lease when due
                  return stop.getAsBoolean();
                }),
        () ->
            new ReencryptResult(
                t.keys().primaryVersion(), 0, 0, 0, Duration.ZERO, List.of(), false, false));
  }

  private ReencryptResult runHere(
      TableContext t,
      ReencryptOptions options,
      Consumer<Runnable> underStore,
      BooleanSupplier stop) {
    long startNanos = System.nanoTime();
    // one consistent view, under the catalog lock: never a rotation's RETIRED version with the
    // primary from before that rotation
    KeyVersions.Snapshot snapshot = keyVersions.snapshot(t);
    Set<Integer> retiredAtStart = new TreeSet<>(snapshot.retired());
    int target = snapshot.primary();
    if (retiredAtStart.contains(target)) {
      throw new IllegalStateException(
          "table " + t.name() + ": primary data-key version " + target + " is RETIRED");
    }
    if (retiredAtStart.isEmpty() && !hasOlderFormats(t, underStore)) {
      if (snapshot.entry().hasReencryption()) {
        underStore.accept(() -> cursors.save(t, null));
      }
      if (!snapshot.entry().getOlderEnvelopesRefused()) {
        // every record is in the current envelope format: refuse an older one put back from now on
        underStore.accept(() -> keyVersions.refuseOlderEnvelopes(t));
      }
      return new ReencryptResult(
          target,
          0,
          0,
          0,
          Duration.ofNanos(System.nanoTime() - startNanos),
          List.of(),
          true,
          false);
    }
    ReencryptionState saved = snapshot.entry().getReencryption();
    boolean resumed = snapshot.entry().hasReencryption() && saved.getTargetVersion() == target;
    ReencryptionState.Builder state =
        resumed
            ? saved.toBuilder()
            : ReencryptionState.newBuilder()
                .setTargetVersion(target)
                .setStartedMillis(clock.millis());
    if (!resumed) {
      save(underStore, t, state);
    }
    audit.success(
        EngineAudit.REENCRYPT,
        storeKeys.masterKeyId(),
        null,
        "table "
            + t.tableIdHex()
            + (resumed ? ": resumed at " + state.getPagesDone() + " records" : ": started")
            + ", target version "
            + target
            + ", retired versions "
            + retiredAtStart);
    Stats run = new Stats();
    try {
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        long[] totalBox = new long[1];
        underStore.accept(
            () -> {
              t.checkLive();
              totalBox[0] = t.records().recordCount();
            });
        long total = totalBox[0];
        byte[] cursor = state.getCursor().isEmpty() ? null : state.getCursor().toByteArray();
        long sincePersist = 0;
        while (true) {
          if (stop.getAsBoolean()) {
            save(underStore, t, state);
            audit.success(
                EngineAudit.REENCRYPT,
                storeKeys.masterKeyId(),
                null,
                "table "
                    + t.tableIdHex()
                    + ": stopped at "
                    + state.getPagesDone()
                    + " records (the store is closing)");
            return result(target, run, startNanos, List.of(), false, resumed);
          }
          byte[] from = cursor;
          int partitions = Math.max(1, Math.min(CHUNK_PARTITIONS, options.persistEveryPages()));
          byte[][] lastBox = new byte[1][];
          Stats p = new Stats();
          underStore.accept(() -> lastBox[0] = resealChunk(t, from, partitions, p));
          byte[] last = lastBox[0];
          if (last == null) {
            break;
          }
          run.add(p);
          cursor = last;
          state
              .setCursor(ByteString.copyFrom(last))
              .setPagesDone(state.getPagesDone() + p.visited)
              .setBytesDone(state.getBytesDone() + p.bytes);
          sincePersist += p.visited;
          if (sincePersist >= options.persistEveryPages()) {
            save(underStore, t, state);
            sincePersist = 0;
          }
          report(options, state, total, run, startNanos);
          throttle(options, run, startNanos);
        }
        // A writer that chose a retired version before it was retired may still hold its partition
        // lock, about to store the record (possibly in a partition the pass could not see yet):
        // wait for every such writer, so the scan below sees their records.
        underStore.accept(locks::awaitWriters);
        if (shared != null && t.records().shared() != null) {
          // other instances seal under the versions they last read: wait until every one has read
          // the catalog since this run's snapshot (their refresh interval), before counting
          shared.awaitOtherInstances(startNanos);
        }
        // Every writer from now on seals under the current primary; it must not be a version
        // about to be destroyed.
        int primaryNow = t.keys().primaryVersion();
        if (retiredAtStart.contains(primaryNow)) {
          throw new StorageException(
              "Re-encryption of table "
                  + t.name()
                  + " stopped: the primary data-key version "
                  + primaryNow
                  + " is among the versions to destroy; nothing was destroyed");
        }
        List<TreeMap<Integer, Long>> countsBox = new ArrayList<>();
        underStore.accept(() -> countsBox.add(versionCounts(t)));
        TreeMap<Integer, Long> inUse = countsBox.get(0);
        boolean clean = true;
        for (int v : retiredAtStart) {
          clean &= !inUse.containsKey(v);
        }
        if (clean) {
          List<Integer> destroyed = new ArrayList<>(retiredAtStart);
          // Every writer seals in the current envelope format, so once the pass has re-sealed the
          // older ones none is left, unless the pass was resumed from a cursor that code which
          // skipped them saved, or one was put back meanwhile: counted, not assumed, before the
          // entry says that older formats are refused from now on.
          boolean olderGone =
              t.entry().getOlderEnvelopesRefused() || !hasOlderFormats(t, underStore);
          // with nothing retired (a pass for older envelope formats only) this destroys nothing,
          // clears the job's state, and the compaction drops the records' older copies
          underStore.accept(() -> keyVersions.destroy(t, retiredAtStart, olderGone));
          keyVersions.compactAfterDestroy(t); // no lock held: writers and DDL go on
          for (int v : destroyed) {
            audit.success(
                EngineAudit.DESTROY_DATA_KEY_VERSION,
                storeKeys.masterKeyId(),
                storeKeys.pageContext(t.tableId(), v),
                "table " + t.tableIdHex() + ": version " + v + " destroyed, no record uses it");
          }
          audit.success(
              EngineAudit.REENCRYPT,
              storeKeys.masterKeyId(),
              null,
              "table "
                  + t.tableIdHex()
                  + ": finished, "
                  + run.resealed
                  + " records ("
                  + run.bytes
                  + " bytes) re-sealed under version "
                  + t.keys().primaryVersion());
          return result(t.keys().primaryVersion(), run, startNanos, destroyed, true, resumed);
        }
        // A rotation during the pass left records under a version that was primary then: go again.
        state.setCursor(ByteString.EMPTY).setTargetVersion(t.keys().primaryVersion());
        save(underStore, t, state);
      }
      throw new StorageException(
          "Re-encryption of table "
              + t.name()
              + " did not converge in "
              + MAX_PASSES
              + " passes (the data key was rotated during each); run it again");
    } catch (RuntimeException e) {
      try {
        save(underStore, t, state);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      audit.failure(EngineAudit.REENCRYPT, storeKeys.masterKeyId(), null, e);
      throw e;
    }
  }

  private void save(
      Consumer<Runnable> underStore, TableContext t, ReencryptionState.Builder state) {
    ReencryptionState built = state.build();
    underStore.accept(() -> cursors.save(t, built));
  }

  private static ReencryptResult result(
      int target,
      Stats run,
      long startNanos,
      List<Integer> destroyed,
      boolean finished,
      boolean resumed) {
    return new ReencryptResult(
        target,
        run.visited,
        run.resealed,
        run.bytes,
        Duration.ofNanos(System.nanoTime() - startNanos),
        destroyed,
        finished,
        resumed);
  }

  private void report(
      ReencryptOptions options,
      ReencryptionState.Builder state,
      long total,
      Stats run,
      long startNanos) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    double rate = run.bytes / seconds;
    long left = Math.max(0, total - state.getPagesDone());
    Duration eta =
        run.visited == 0
            ? Duration.ZERO
            : Duration.ofMillis((long) (left * seconds * 1000 / run.visited));
    ReencryptionProgress progress =
        new ReencryptionProgress(
            state.getTargetVersion(),
            state.getPagesDone(),
            Math.max(total, state.getPagesDone()),
            state.getBytesDone(),
            rate,
            eta,
            Instant.ofEpochMilli(state.getStartedMillis()));
    try {
      options.listener().onProgress(progress);
    } catch (RuntimeException e) {
      LOG.warn("A re-encryption listener failed; ignored", e);
    }
  }

  private static void throttle(ReencryptOptions options, Stats run, long startNanos) {
    if (options.bytesPerSecond() <= 0) {
      return;
    }
    long dueNanos = (long) (run.bytes * 1e9 / options.bytesPerSecond());
    long sleepNanos = dueNanos - (System.nanoTime() - startNanos);
    if (sleepNanos > 0) {
      try {
        Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("Re-encryption was interrupted", e);
      }
    }
  }

  /**
   * Re-seals the next partitions after {@code cursor} (or from the first), at most {@code
   * maxPartitions} of them; returns the last partition token it covered, or null when there was
   * none left.
   *
   * <p>The partitions are found before any lock is taken; then the write locks of all of them are
   * taken (in stripe order, so two jobs cannot deadlock; writers take one at a time) and their
   * records are read again under the locks, so a change made in between is what gets re-sealed,
   * never overwritten. A partition created in between is skipped: its records are sealed under the
   * primary version already, or found by the check after the pass.
   */
  private byte[] resealChunk(TableContext t, byte[] cursor, int maxPartitions, Stats stats) {
    t.checkLive();
    List<byte[]> tokens = t.records().partitionsAfter(cursor, maxPartitions);
    if (tokens.isEmpty()) {
      return null;
    }
    List<Lock> held = locks.writeLocks(tokens);
    try {
      TableRecords.ResealCounts c =
          t.records().reseal(tokens, BATCH_RECORDS, () -> keyVersions.flushSealsIfDue(t));
      stats.visited += c.visited();
      stats.resealed += c.resealed();
      stats.bytes += c.bytes();
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
    return tokens.get(tokens.size() - 1);
  }

  /**
   * Whether the table holds records of an envelope format older than the current one (a scan of its
   * envelope headers under the store's shared lock; nothing is opened).
   */
  private static boolean hasOlderFormats(TableContext t, Consumer<Runnable> underStore) {
    long[] n = new long[1];
    underStore.accept(
        () -> {
          t.checkLive();
          n[0] = t.records().olderFormatCount();
        });
    return n[0] > 0;
  }

  /** The number of records of the table sealed under each data-key version. */
  public TreeMap<Integer, Long> versionCounts(TableContext t) {
    t.checkLive();
    return t.records().versionCounts();
  }

  /** Counters of a run or a partition. */
  private static final class Stats {
    long visited;
    long resealed;
    long bytes;

    void add(Stats o) {
      visited += o.visited;
      resealed += o.resealed;
      bytes += o.bytes;
    }
  }
}
