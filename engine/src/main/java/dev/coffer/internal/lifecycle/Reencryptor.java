package dev.coffer.internal.lifecycle;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.ReencryptionProgress;
import dev.coffer.StorageException;
import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.page.AssociatedData;
import dev.coffer.internal.page.NodeRecords;
import dev.coffer.internal.page.PageCipher;
import dev.coffer.internal.page.RecordKind;
import dev.coffer.internal.page.SealedEnvelope;
import dev.coffer.internal.partition.PartitionLocks;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.PageBody;
import dev.coffer.proto.ReencryptionState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-encryption job: re-seals every record (page or delta record) of a table that an older
 * data-key version sealed under the primary version, then destroys the versions no record uses.
 *
 * <ul>
 *   <li>Online: partition by partition, in token order, each under its partition's write lock
 *       (and the store's shared lifecycle lock), as one write batch. Traffic goes on between.
 *   <li>Throttled: sleeps between partitions to stay under {@code bytesPerSecond}.
 *   <li>Resumable: the last finished partition token is the cursor, persisted in the catalog
 *       entry's {@code ReencryptionState} every N records and when the run stops; a later run with
 *       the same target version continues after it.
 *   <li>Safe to destroy: after the pass, a scan counts records per version; only versions that
 *       were already RETIRED when the run started and that no record uses are destroyed.
 * </ul>
 *
 * The record plaintext is re-sealed as is (never parsed), so the page cache stays valid.
 * Thread-safe; one run per table at a time (the caller serialises).
 */
public final class Reencryptor {
  private static final Logger LOG = LoggerFactory.getLogger(Reencryptor.class);
  private static final int MAX_PASSES = 4;
  /** Partitions re-sealed per batch (and per hold of their locks); fewer when the cursor is persisted more often. */
  private static final int CHUNK_PARTITIONS = 128;

  private final RocksStore store;
  private final Catalog catalog;
  private final PartitionLocks locks;
  private final Clock clock;
  private final EngineAudit audit;

  /** The job of one open store. */
  public Reencryptor(RocksStore store, Catalog catalog, PartitionLocks locks, Clock clock, EngineAudit audit) {
    this.store = store;
    this.catalog = catalog;
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
  public ReencryptResult run(TableContext t, ReencryptOptions options, Consumer<Runnable> underStore,
      BooleanSupplier stop) {
    long startNanos = System.nanoTime();
    // one consistent view, under the catalog lock: never a rotation's RETIRED version with the
    // primary from before that rotation
    Catalog.KeySnapshot snapshot = catalog.keySnapshot(t);
    Set<Integer> retiredAtStart = new TreeSet<>(snapshot.retired());
    int target = snapshot.primary();
    if (retiredAtStart.contains(target)) {
      throw new IllegalStateException("table " + t.name() + ": primary data-key version " + target + " is RETIRED");
    }
    if (retiredAtStart.isEmpty()) {
      if (snapshot.entry().hasReencryption()) {
        underStore.accept(() -> catalog.saveReencryption(t, null));
      }
      return new ReencryptResult(target, 0, 0, 0, Duration.ofNanos(System.nanoTime() - startNanos), List.of(), true,
          false);
    }
    ReencryptionState saved = snapshot.entry().getReencryption();
    boolean resumed = snapshot.entry().hasReencryption() && saved.getTargetVersion() == target;
    ReencryptionState.Builder state = resumed
        ? saved.toBuilder()
        : ReencryptionState.newBuilder().setTargetVersion(target).setStartedMillis(clock.millis());
    if (!resumed) {
      save(underStore, t, state);
    }
    audit.success(EngineAudit.REENCRYPT, catalog.dataKeys().masterKeyId(), null, "table " + t.tableIdHex()
        + (resumed ? ": resumed at " + state.getPagesDone() + " records" : ": started") + ", target version " + target
        + ", retired versions " + retiredAtStart);
    Stats run = new Stats();
    try {
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        long[] totalBox = new long[1];
        underStore.accept(() -> totalBox[0] = countRecords(t));
        long total = totalBox[0];
        byte[] cursor = state.getCursor().isEmpty() ? null : state.getCursor().toByteArray();
        long sincePersist = 0;
        while (true) {
          if (stop.getAsBoolean()) {
            save(underStore, t, state);
            audit.success(EngineAudit.REENCRYPT, catalog.dataKeys().masterKeyId(), null, "table " + t.tableIdHex()
                + ": stopped at " + state.getPagesDone() + " records (the store is closing)");
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
          state.setCursor(ByteString.copyFrom(last))
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
        // Every writer from now on seals under the current primary; it must not be a version
        // about to be destroyed.
        int primaryNow = t.keys().primaryVersion();
        if (retiredAtStart.contains(primaryNow)) {
          throw new StorageException("Re-encryption of table " + t.name() + " stopped: the primary data-key version "
              + primaryNow + " is among the versions to destroy; nothing was destroyed");
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
          underStore.accept(() -> catalog.destroyVersions(t, retiredAtStart));
          for (int v : destroyed) {
            audit.success(EngineAudit.DESTROY_DATA_KEY_VERSION, catalog.dataKeys().masterKeyId(),
                catalog.dataKeys().pageContext(t.tableId(), v), "table " + t.tableIdHex() + ": version " + v
                    + " destroyed, no record uses it");
          }
          audit.success(EngineAudit.REENCRYPT, catalog.dataKeys().masterKeyId(), null, "table " + t.tableIdHex()
              + ": finished, " + run.resealed + " records (" + run.bytes + " bytes) re-sealed under version "
              + t.keys().primaryVersion());
          return result(t.keys().primaryVersion(), run, startNanos, destroyed, true, resumed);
        }
        // A rotation during the pass left records under a version that was primary then: go again.
        state.setCursor(ByteString.EMPTY).setTargetVersion(t.keys().primaryVersion());
        save(underStore, t, state);
      }
      throw new StorageException("Re-encryption of table " + t.name() + " did not converge in " + MAX_PASSES
          + " passes (the data key was rotated during each); run it again");
    } catch (RuntimeException e) {
      try {
        save(underStore, t, state);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      audit.failure(EngineAudit.REENCRYPT, catalog.dataKeys().masterKeyId(), null, e);
      throw e;
    }
  }

  private void save(Consumer<Runnable> underStore, TableContext t, ReencryptionState.Builder state) {
    ReencryptionState built = state.build();
    underStore.accept(() -> catalog.saveReencryption(t, built));
  }

  private static ReencryptResult result(int target, Stats run, long startNanos, List<Integer> destroyed,
      boolean finished, boolean resumed) {
    return new ReencryptResult(target, run.visited, run.resealed, run.bytes,
        Duration.ofNanos(System.nanoTime() - startNanos), destroyed, finished, resumed);
  }

  private void report(ReencryptOptions options, ReencryptionState.Builder state, long total, Stats run,
      long startNanos) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    double rate = run.bytes / seconds;
    long left = Math.max(0, total - state.getPagesDone());
    Duration eta = run.visited == 0 ? Duration.ZERO : Duration.ofMillis((long) (left * seconds * 1000 / run.visited));
    ReencryptionProgress progress = new ReencryptionProgress(state.getTargetVersion(), state.getPagesDone(),
        Math.max(total, state.getPagesDone()), state.getBytesDone(), rate, eta,
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
   * maxPartitions} of them, in one batch; returns the last partition token it covered, or null when
   * there was none left.
   *
   * <p>The partitions are found with an iterator before any lock is taken; then the write locks
   * of all of them are taken (in stripe order, so two jobs cannot deadlock; writers take one at a
   * time) and their nodes are read with a second iterator made under the locks, so a change made
   * in between is what gets re-sealed, never overwritten. A partition created in between is skipped:
   * its records are sealed under the primary version already, or found by the check after the pass.
   */
  private byte[] resealChunk(TableContext t, byte[] cursor, int maxPartitions, Stats stats) {
    t.checkLive();
    Set<ByteBuffer> chunk = new LinkedHashSet<>();
    try (RocksIterator it = store.iterator(t.family())) {
      if (cursor == null) {
        it.seekToFirst();
      } else {
        byte[] seek = new byte[33];
        System.arraycopy(cursor, 0, seek, 0, 16);
        Arrays.fill(seek, 16, 33, (byte) 0xFF);
        it.seek(seek);
      }
      for (; it.isValid(); it.next()) {
        ByteBuffer token = ByteBuffer.wrap(RecordKeys.token(it.key()));
        if (!chunk.contains(token) && chunk.size() == maxPartitions) {
          break;
        }
        chunk.add(token);
      }
      store.checkIterator(it);
    }
    if (chunk.isEmpty()) {
      return null;
    }
    List<byte[]> tokens = new ArrayList<>(chunk.size());
    chunk.forEach(b -> tokens.add(b.array()));
    byte[] first = tokens.get(0);
    byte[] last = tokens.get(tokens.size() - 1);
    List<Lock> held = locks.writeLocks(tokens);
    try (RocksIterator it = store.iterator(t.family()); WriteBatch batch = new WriteBatch()) {
      for (it.seek(first); it.isValid(); it.next()) {
        byte[] key = it.key();
        byte[] token = RecordKeys.token(key);
        if (Arrays.compareUnsigned(token, last) > 0) {
          break;
        }
        if (chunk.contains(ByteBuffer.wrap(token))) {
          resealNode(t, token, key, it.value(), batch, stats);
        }
      }
      store.checkIterator(it);
      if (batch.count() > 0) {
        store.write(batch);
      }
    } catch (RocksDBException e) {
      throw new StorageException("Cannot build a write batch: " + e.getMessage(), e);
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
    return last;
  }

  /** Adds to {@code batch} the node under {@code key} with its records re-sealed, if any is not on the primary. */
  private void resealNode(TableContext t, byte[] token, byte[] key, byte[] value, WriteBatch batch, Stats stats)
      throws RocksDBException {
    String where = "partition " + HexFormat.of().formatHex(token) + " record " + HexFormat.of().formatHex(key);
    if (key.length != RecordKeys.PAGE_KEY_BYTES) {
      throw new CorruptionException("A record key has the wrong length", t.name(), where);
    }
    List<byte[]> records = storedRecords(t, value, where);
    stats.visited += records.size();
    int primary = t.keys().primaryVersion();
    boolean[] onPrimary = new boolean[records.size()];
    boolean allOnPrimary = true;
    for (int i = 0; i < records.size(); i++) {
      onPrimary[i] = envelope(t, records.get(i), where).keyVersion() == primary;
      allOnPrimary &= onPrimary[i];
    }
    if (allOnPrimary) {
      return;
    }
    long nodeId = RecordKeys.nodeId(key);
    // The page is opened even when only its delta records move: their numbers start at its base.
    byte[] page = PageCipher.open(records.get(0), t.keys()::pageKey,
        v -> AssociatedData.of(RecordKind.PAGE, v, t.storeId(), t.tableId(), token, nodeId, 0), t.name(), where);
    try {
      long base = records.size() == 1 ? 0 : deltaSeqBase(t, page, where);
      List<byte[]> resealed = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        byte[] r = records.get(i);
        if (onPrimary[i]) {
          resealed.add(r);
          continue;
        }
        RecordKind kind = i == 0 ? RecordKind.PAGE : RecordKind.DELTA;
        long seq = i == 0 ? 0 : base + i - 1;
        byte[] plain = i == 0 ? page : PageCipher.open(r, t.keys()::pageKey,
            v -> AssociatedData.of(kind, v, t.storeId(), t.tableId(), token, nodeId, seq), t.name(), where);
        try {
          int v = t.countSeal();
          resealed.add(PageCipher.seal(t.keys().pageKey(v), v,
              AssociatedData.of(kind, v, t.storeId(), t.tableId(), token, nodeId, seq), plain));
        } finally {
          if (plain != page) {
            Arrays.fill(plain, (byte) 0);
          }
        }
        stats.resealed++;
        stats.bytes += r.length;
      }
      batch.put(t.family(), key, NodeRecords.of(resealed)); // replaces the value, appended records included
    } finally {
      Arrays.fill(page, (byte) 0);
    }
  }

  private static List<byte[]> storedRecords(TableContext t, byte[] value, String where) {
    try {
      return NodeRecords.split(value);
    } catch (java.io.IOException e) {
      throw new CorruptionException("A stored node is malformed (" + e.getMessage() + ")", t.name(), where);
    }
  }

  private static SealedEnvelope envelope(TableContext t, byte[] record, String where) {
    SealedEnvelope env = SealedEnvelope.parse(record);
    if (env == null) {
      throw new CorruptionException("A stored record is not a well-formed sealed envelope", t.name(), where);
    }
    return env;
  }

  private static long deltaSeqBase(TableContext t, byte[] pageBody, String where) {
    try {
      return PageBody.parseFrom(pageBody).getDeltaSeqBase();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new CorruptionException("A page body is malformed", t.name(), where, e);
    }
  }

  /** The number of records of the table sealed under each data-key version. */
  public TreeMap<Integer, Long> versionCounts(TableContext t) {
    t.checkLive();
    TreeMap<Integer, Long> counts = new TreeMap<>();
    try (RocksIterator it = store.iterator(t.family())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        List<byte[]> records;
        try {
          records = NodeRecords.split(it.value());
        } catch (java.io.IOException e) {
          counts.merge(-1, 1L, Long::sum);
          continue;
        }
        for (byte[] r : records) {
          SealedEnvelope env = SealedEnvelope.parse(r);
          counts.merge(env == null ? -1 : env.keyVersion(), 1L, Long::sum);
        }
      }
      store.checkIterator(it);
    }
    return counts;
  }

  private long countRecords(TableContext t) {
    t.checkLive();
    long n = 0;
    try (RocksIterator it = store.iterator(t.family())) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        try {
          n += NodeRecords.split(it.value()).size(); // the page and its delta records
        } catch (java.io.IOException e) {
          n++; // resealing it will report the corruption
        }
      }
      store.checkIterator(it);
    }
    return n;
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
