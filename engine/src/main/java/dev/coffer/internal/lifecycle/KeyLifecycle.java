package dev.coffer.internal.lifecycle;

import dev.coffer.MasterKeyRotation;
import dev.coffer.ReencryptOptions;
import dev.coffer.ReencryptResult;
import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.KeyVersions;
import dev.coffer.internal.catalog.MasterKeyRewrap;
import dev.coffer.internal.catalog.ReencryptionCursor;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.partition.PartitionLocks;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.TableOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key lifecycle of an open store: master-key rotation (rewrap), data-key rotation (by call or
 * by a table's policy), the re-encryption job (on the caller's thread, or on one background thread
 * when a policy starts it), the fail-closed access check, and their audit records. Thread-safe.
 */
public final class KeyLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(KeyLifecycle.class);

  /** The least time between two moves of the rollback anchor by access checks: one minute. */
  static final long MIN_ANCHOR_ADVANCE_MILLIS = 60_000;

  private static final long DAY_MILLIS = 86_400_000L;

  private final Catalog catalog;
  private final StoreKeys storeKeys;
  private final KeyVersions keyVersions;
  private final MasterKeyRewrap rewrap;
  private final Clock clock;

  /** When the store's rollback anchor was last moved on by an access check (clock millis). */
  private final AtomicLong anchorAdvancedMillis;

  private final EngineAudit audit;
  private final AccessGuard guard;
  private final Reencryptor reencryptor;
  private final Duration accessCheckInterval;

  /**
   * Whether item operations run the tables' automatic rotation policies and start re-encryption in
   * the background: false for a session that does not move the rollback anchor, whose writes are
   * not anchored.
   */
  private final boolean automaticJobs;

  private final Map<Integer, ReentrantLock> jobLocks = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> scheduled = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> rerun = new ConcurrentHashMap<>();
  private final Object jobsMonitor = new Object();
  private int activeJobs;
  private volatile boolean stopping;
  private ExecutorService background;

  /** The lifecycle of one open store. */
  public KeyLifecycle(
      Catalog catalog,
      StoreKeys storeKeys,
      DataKeys dataKeys,
      PartitionLocks locks,
      Clock clock,
      Duration accessCheckInterval,
      Duration accessCheckMaxStaleness,
      Duration accessCheckTimeout,
      EngineAudit audit,
      boolean automaticJobs) {
    this.catalog = catalog;
    this.automaticJobs = automaticJobs;
    this.storeKeys = storeKeys;
    this.keyVersions = new KeyVersions(catalog, storeKeys, dataKeys, clock);
    this.rewrap = new MasterKeyRewrap(catalog, storeKeys, clock);
    this.clock = clock;
    this.anchorAdvancedMillis = new AtomicLong(clock.millis()); // the open has just moved it
    this.audit = audit;
    this.accessCheckInterval = accessCheckInterval;
    // the open has just unwrapped the store's keys: the guard's first verdict is stamped now
    this.guard =
        new AccessGuard(
            clock,
            accessCheckInterval,
            accessCheckMaxStaleness,
            accessCheckTimeout,
            storeKeys,
            audit);
    this.reencryptor =
        new Reencryptor(
            keyVersions,
            new ReencryptionCursor(catalog),
            storeKeys,
            locks,
            clock,
            audit,
            catalog.shared() == null ? null : new SharedJob(catalog, accessCheckInterval));
  }

  /** The interval of the access check. */
  public Duration accessCheckInterval() {
    return accessCheckInterval;
  }

  /**
   * Before an item operation on {@code t} (never under a partition lock): the access check, then
   * the table's automatic rotation policy (and, when it rotates and the table says so,
   * re-encryption in the background). A session that does not move the rollback anchor runs only
   * the access check: a rotation or a re-encryption destroying a version would be a write no epoch
   * covers.
   *
   * @param underStore runs a background step under the store's shared lifecycle lock
   */
  public void beforeOperation(TableContext t, Consumer<Runnable> underStore) {
    guard.check(t, () -> recordKeyState(underStore));
    if (!automaticJobs) {
      return;
    }
    TableOptions o = t.entry().getOptions();
    if (o.getRotateAfterDays() == 0 && o.getRotateAfterPages() == 0) {
      return;
    }
    int primary = t.keys().primaryVersion();
    boolean due = false;
    SealBudget budget = t.keys().budget(primary);
    if (o.getRotateAfterPages() > 0
        && budget != null
        && budget.count() >= o.getRotateAfterPages()) {
      due = true;
    }
    if (!due && o.getRotateAfterDays() > 0) {
      for (DataKeyVersion v : t.entry().getDataKeysList()) {
        if (v.getVersion() == primary
            && clock.millis() - v.getCreatedMillis() >= o.getRotateAfterDays() * DAY_MILLIS) {
          due = true;
        }
      }
    }
    if (!due) {
      return;
    }
    int now = rotate(t, primary, "automatic (table policy)", underStore);
    if (now != primary && o.getAutoReencrypt()) {
      startInBackground(t, underStore);
    }
  }

  /**
   * After the store saw its key provider (an access check, a master-key rotation, the close):
   * records the provider's key-state generation in the store's sealed state when it moved on, so
   * that a keystore rolled back behind it is refused at the next open. Best effort: a failure is
   * logged, and the next chance records it.
   */
  private void recordKeyState(Consumer<Runnable> underStore) {
    try {
      underStore.accept(() -> catalog.sealedState().recordGeneration(storeKeys.provider()));
    } catch (RuntimeException e) {
      LOG.warn("Could not record the key provider's state generation in the store state", e);
    }
    advanceAnchor(underStore);
  }

  /**
   * Moves the store's rollback anchor on (when it has one) if the last move is at least an access
   * check interval, and at least {@value #MIN_ANCHOR_ADVANCE_MILLIS} ms, ago: so that a copy of the
   * store directory taken while it is open is refused at open even when the process then ends
   * without a clean close, once the next access check has run. Best effort: a failure is logged.
   */
  private void advanceAnchor(Consumer<Runnable> underStore) {
    long now = clock.millis();
    long last = anchorAdvancedMillis.get();
    if (now - last < Math.max(MIN_ANCHOR_ADVANCE_MILLIS, accessCheckInterval.toMillis())
        || !anchorAdvancedMillis.compareAndSet(last, now)) {
      return;
    }
    try {
      underStore.accept(() -> catalog.sealedState().advanceAnchor());
    } catch (RuntimeException e) {
      LOG.warn("Could not move the store's rollback anchor on", e);
    }
  }

  /** Records the key provider's state generation now (at close, under the store's lock). */
  public void recordKeyState() {
    recordKeyState(Runnable::run);
  }

  /**
   * Data-key rotation by call: the new primary version. The provider call runs with no lock held;
   * {@code underStore} runs the commit under the store's shared lifecycle lock.
   */
  public int rotateDataKey(TableContext t, Consumer<Runnable> underStore) {
    return rotate(t, 0, "on request", underStore);
  }

  private int rotate(TableContext t, int ifPrimaryIs, String why, Consumer<Runnable> underStore) {
    int before = t.keys().primaryVersion();
    try {
      int v = keyVersions.rotate(t, ifPrimaryIs, underStore);
      if (v != before) {
        audit.success(
            EngineAudit.ROTATE_DATA_KEY,
            storeKeys.masterKeyId(),
            storeKeys.pageContext(t.tableId(), v),
            "table "
                + t.tableIdHex()
                + ": version "
                + v
                + " is primary, version "
                + before
                + " retired; "
                + why);
      }
      return v;
    } catch (RuntimeException e) {
      audit.failure(
          EngineAudit.ROTATE_DATA_KEY,
          storeKeys.masterKeyId(),
          storeKeys.pageContext(t.tableId(), before + 1),
          e);
      throw e;
    }
  }

  /**
   * A commit point after a write to {@code t}, with no partition lock held: persists the table's
   * seal counts when they are due.
   */
  public void afterWrite(TableContext t) {
    keyVersions.flushSealsIfDue(t);
  }

  /** Runs (or resumes) the re-encryption job of {@code t} on the caller's thread. */
  public ReencryptResult reencrypt(
      TableContext t, ReencryptOptions options, Consumer<Runnable> underStore) {
    synchronized (jobsMonitor) {
      if (stopping) {
        throw new IllegalStateException("The store is closing");
      }
      activeJobs++;
    }
    try {
      ReentrantLock lock = jobLocks.computeIfAbsent(t.serial(), k -> new ReentrantLock());
      lock.lock();
      try {
        // Fail closed like item operations: before each partition the access check runs when due;
        // a refused check throws the provider's exception, which stops the job with its cursor
        // persisted (resumable once access is restored).
        return reencryptor.run(
            t,
            options,
            underStore,
            () -> {
              if (stopping) {
                return true;
              }
              guard.check(t, () -> recordKeyState(underStore));
              return false;
            });
      } finally {
        lock.unlock();
      }
    } finally {
      synchronized (jobsMonitor) {
        activeJobs--;
        jobsMonitor.notifyAll();
      }
    }
  }

  /** The number of records per data-key version (a full scan of the table's keys and envelopes). */
  public TreeMap<Integer, Long> versionCounts(TableContext t) {
    return reencryptor.versionCounts(t);
  }

  /** Resumes, in the background, every re-encryption job a crash or close interrupted. */
  public void resumeInterruptedJobs(Consumer<Runnable> underStore) {
    for (TableContext t : catalog.tables()) {
      if (t.entry().hasReencryption()) {
        startInBackground(t, underStore);
      }
    }
  }

  private synchronized void startInBackground(TableContext t, Consumer<Runnable> underStore) {
    if (stopping) {
      return;
    }
    if (scheduled.putIfAbsent(t.serial(), Boolean.TRUE) != null) {
      rerun.put(t.serial(), Boolean.TRUE); // a version retired after the running job started
      return;
    }
    if (background == null) {
      background =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread th = new Thread(r, "coffer-reencrypt");
                th.setDaemon(true);
                return th;
              });
    }
    submit(t, underStore);
  }

  private void submit(TableContext t, Consumer<Runnable> underStore) {
    try {
      background.execute(() -> runInBackground(t, underStore));
    } catch (RejectedExecutionException e) {
      scheduled.remove(t.serial()); // the store is closing; the job resumes at the next open
    }
  }

  private void runInBackground(TableContext t, Consumer<Runnable> underStore) {
    try {
      reencrypt(t, ReencryptOptions.defaults(), underStore);
    } catch (RuntimeException e) {
      if (!stopping) {
        LOG.warn("Background re-encryption of a table failed; it resumes on the next run", e);
      }
    } finally {
      synchronized (this) {
        if (rerun.remove(t.serial()) != null && !stopping) {
          submit(t, underStore);
        } else {
          scheduled.remove(t.serial());
        }
      }
    }
  }

  /**
   * Master-key rotation by rewrap. With {@code newProvider} null: the provider's {@code ReEncrypt}
   * to {@code newKeyId} (or, when null, to the current master key's current version), so the
   * plaintext keys never reach Coffer. With another provider: {@code Decrypt} with the old one and
   * {@code Encrypt} with the new one. The provider calls run with no lock held; {@code underStore}
   * runs the commit under the store's shared lifecycle lock.
   */
  public MasterKeyRotation rotateMasterKey(
      KeyProvider newProvider,
      String newKeyId,
      Consumer<Runnable> underStore,
      Consumer<Runnable> exclusive) {
    long start = System.nanoTime();
    StoreKeys.State current = storeKeys.current();
    KeyProvider old = current.provider();
    KeyProvider target = newProvider != null ? newProvider : old;
    String dest = newKeyId != null ? newKeyId : current.masterKeyId();
    String[] lastKeyId = new String[1];
    // ReEncrypt keeps the context; a key whose context changes (the store key gaining the
    // sealed-state pair, once) or that moves to another provider goes through Decrypt and Encrypt.
    MasterKeyRewrap.Rewrap rewrapOne =
        (ref, from, to) -> {
          WrappedKey w;
          if (target == old && from.equals(to)) {
            w = old.reEncrypt(DataKeys.wrapped(ref), from, dest);
          } else {
            try (SecretBytes plain = old.decrypt(DataKeys.wrapped(ref), from)) {
              w = target.encrypt(dest, plain, to);
            }
          }
          lastKeyId[0] = w.keyId();
          return w;
        };
    String from = current.header().getStoreKey().getMasterKeyId();
    try {
      MasterKeyRewrap.Outcome done =
          rewrap.rewrapAll(rewrapOne, target, dest, underStore, exclusive);
      String to = storeKeys.current().header().getStoreKey().getMasterKeyId();
      if (lastKeyId[0] == null) {
        lastKeyId[0] =
            to; // the store key was renewed rather than re-wrapped, and there is no table
      }
      guard.reset();
      recordKeyState(underStore);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      audit.success(
          EngineAudit.ROTATE_MASTER_KEY,
          lastKeyId[0],
          null,
          auditMessage(done, from, old, lastKeyId[0], target, took));
      return new MasterKeyRotation(
          done.keysRewrapped(),
          lastKeyId[0],
          target.scheme(),
          took,
          done.storeKeyRenewed(),
          done.recordsResealed());
    } catch (RuntimeException e) {
      audit.failure(EngineAudit.ROTATE_MASTER_KEY, dest, null, e);
      throw e;
    }
  }

  /**
   * What the audit record of a master-key rotation says: the keys re-wrapped, and, when the store
   * key was renewed, that a new store key was generated and the store's own records re-sealed (the
   * store key itself was not re-wrapped).
   */
  static String auditMessage(
      MasterKeyRewrap.Outcome done,
      String from,
      KeyProvider old,
      String to,
      KeyProvider target,
      Duration took) {
    String rewrapped =
        done.keysRewrapped()
            + " wrapped keys re-wrapped from "
            + from
            + " ("
            + old.scheme()
            + ") to "
            + to
            + " ("
            + target.scheme()
            + ")";
    String renewed =
        done.storeKeyRenewed()
            ? "store key renewed: a new store key generated under "
                + to
                + " ("
                + target.scheme()
                + ") in place of the one wrapped by "
                + from
                + ", and "
                + done.recordsResealed()
                + " records sealed with the old one (header, catalog entries, markers,"
                + " ClientRequestToken records, the sealed state) resealed with it; "
                + (done.keysRewrapped() == 0 ? "no other key re-wrapped" : rewrapped)
            : rewrapped;
    return renewed + " in " + took.toMillis() + " ms; no page read or written";
  }

  /**
   * Stops re-encryption: every running job (background or on a caller's thread) persists its cursor
   * at the next partition and returns; waits for them (up to 30 s). Must not be called from a
   * re-encryption listener.
   */
  public void close() {
    synchronized (jobsMonitor) {
      stopping = true;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (activeJobs > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("Re-encryption did not stop within 30 s");
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(jobsMonitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    ExecutorService bg;
    synchronized (this) {
      bg = background;
    }
    if (bg != null) {
      bg.shutdown();
      try {
        if (!bg.awaitTermination(30, TimeUnit.SECONDS)) {
          LOG.warn("Background re-encryption did not stop within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Persists every table's seal counts (at close, once no operation runs). */
  public void flushAllSeals() {
    keyVersions.flushAllSeals();
  }
}
