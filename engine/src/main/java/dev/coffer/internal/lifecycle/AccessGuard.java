package dev.coffer.internal.lifecycle;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.proto.WrappedKeyRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fail closed: re-checks, at most once per interval, that the store may still use its master key,
 * by really exercising it: a provider {@code Decrypt} of a table's wrapped index key under its
 * encryption context, which checks the key's state (Enabled, not Disabled or PendingDeletion) and
 * its policy for the provider's principal. Every wrapped key of a store is wrapped by the one
 * master key {@link StoreKeys} names, so one verdict covers the store; a master-key rotation starts
 * a fresh one ({@link #reset()}).
 *
 * <p>The first verdict is the open's: the guard is made right after the store unwrapped its keys,
 * so access was proved then, and the first check is due one interval after the open (not after the
 * first operation, which may come hours later). A master-key rotation proves access to the new key
 * and starts the next interval at its own time.
 *
 * <p>Checks are lazy: an item operation on a table whose check is due runs the check first, on the
 * caller's thread, before any lock is taken. One thread checks; the others meanwhile go by the last
 * verdict. A refused check makes every operation throw the provider's exception (naming key, action
 * and principal) until a later check (one interval later) succeeds. Retryable provider errors
 * (unavailable, throttled) keep the last verdict and retry after a tenth of the interval, but only
 * for a while: once the last successful check is older than the maximum staleness and a check is
 * due and has not succeeded (it failed, or it is still running on another thread: a provider that
 * hangs), every operation fails closed with {@link KeyProviderUnavailableException} (naming the
 * key, the action and the last error or the running check) until a check succeeds, as the AWS
 * Encryption SDK's caching bounds how long a key may be used without going back to KMS.
 *
 * <p><b>Deadline.</b> The provider's call runs on a thread of the guard's own (one at most, idle
 * ones end after a minute), and the operation that started the check waits for it up to the timeout
 * (real time). Past it the check counts as failed: that operation is refused with {@link
 * KeyProviderUnavailableException} naming the key and the deadline, and the verdict is unanswered,
 * as after a retryable error (the others go by the last verdict up to the maximum staleness). The
 * call goes on in the background, no other check starts until it returns, and its answer, when it
 * comes, is the verdict. A timeout of zero waits as long as the provider does. Thread-safe.
 */
public final class AccessGuard {
  private final Clock clock;
  private final long intervalMillis;
  private final long maxStalenessMillis;
  private final long timeoutMillis;

  /** Runs the provider calls of checks: one at a time (a check runs while {@code running}). */
  private final ThreadPoolExecutor checks;

  private final StoreKeys storeKeys;
  private final EngineAudit audit;
  private volatile Verdict verdict;

  /** The last verdict about the master key. */
  private static final class Verdict {
    volatile long nextCheckMillis;

    /** A refusal (not retryable): every operation throws it. */
    volatile KeyProviderException failure;

    /** The last check failed with this retryable error; null once a check succeeds. */
    volatile KeyProviderException unanswered;

    /** When access was last proved (the open, a rotation, a successful check). */
    volatile long lastSuccessMillis;

    /** The check last started (its start time), set done when its provider call returned. */
    long startedMillis; // guarded by this

    boolean done = true; // guarded by this

    final AtomicBoolean running = new AtomicBoolean();

    Verdict(long now, long next) {
      this.lastSuccessMillis = now;
      this.nextCheckMillis = next;
    }
  }

  /**
   * A guard checking through {@code storeKeys}' provider at most once per {@code interval}, and
   * failing closed when no check has succeeded for {@code maxStaleness} and one is due. Made when
   * the store has just proved access (its open unwrapped its keys): the first check is due one
   * interval from now.
   */
  public AccessGuard(
      Clock clock,
      Duration interval,
      Duration maxStaleness,
      Duration timeout,
      StoreKeys storeKeys,
      EngineAudit audit) {
    this.clock = clock;
    this.intervalMillis = Math.max(0, interval.toMillis());
    this.maxStalenessMillis = Math.max(0, maxStaleness.toMillis());
    this.timeoutMillis =
        timeout.isZero() || timeout.isNegative()
            ? 0
            : Math.max(1, timeout.toMillis()); // 0: no deadline
    this.checks =
        new ThreadPoolExecutor(
            1,
            1,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread th = new Thread(r, "coffer-access-check");
              th.setDaemon(true);
              return th;
            });
    this.checks.allowCoreThreadTimeOut(true);
    this.storeKeys = storeKeys;
    this.audit = audit;
    this.verdict = fresh();
  }

  /** A verdict of access proved now, checked again one interval from now. */
  private Verdict fresh() {
    long now = clock.millis();
    return new Verdict(now, now + intervalMillis);
  }

  /**
   * Throws the provider's exception when the last check of the master key failed; runs the check
   * first (with {@code t}'s index key) when it is due. Must not be called while holding a lock.
   */
  public void check(TableContext t) {
    check(t, () -> {});
  }

  /**
   * {@link #check(TableContext)}, running {@code afterExercise} right after a check this call ran
   * (whatever its outcome; before its failure is thrown): where the store records what the
   * provider's state is now.
   */
  public void check(TableContext t, Runnable afterExercise) {
    long now = clock.millis();
    Verdict v = verdict;
    if (now >= v.nextCheckMillis && v.running.compareAndSet(false, true)) {
      boolean handedOver = false;
      try {
        if (now >= v.nextCheckMillis) {
          Future<?> call = start(t, v, now);
          handedOver = true; // the call clears running when the provider has answered
          await(call, t, v, now);
          afterExercise.run();
        }
      } finally {
        if (!handedOver) {
          v.running.set(false);
        }
      }
    }
    KeyProviderException failure = v.failure;
    if (failure != null) {
      throw failure;
    }
    long since = v.lastSuccessMillis;
    if (now - since <= maxStalenessMillis) {
      return;
    }
    KeyProviderException unanswered = v.unanswered;
    if (unanswered != null) {
      throw stale(t, unanswered, since, now);
    }
    if (now >= v.nextCheckMillis) {
      // due, and not done by this call: another thread's check is still waiting for the provider
      throw stale(t, null, since, now);
    }
  }

  /**
   * The refusal past the staleness bound: {@code last} is the last check's retryable error, or null
   * while a check is still waiting for the provider.
   */
  private KeyProviderUnavailableException stale(
      TableContext t, KeyProviderException last, long since, long now) {
    String key = t.entry().getIndexKey().getMasterKeyId();
    String message =
        "The store refuses to use master key "
            + key
            + ": its right to use it (kms:Decrypt) could"
            + " not be re-checked for "
            + Duration.ofMillis(now - since)
            + " (last successful check at "
            + Instant.ofEpochMilli(since)
            + "), longer than the maximum staleness of "
            + Duration.ofMillis(maxStalenessMillis)
            + " (CofferOptions.accessCheckMaxStaleness); "
            + (last == null
                ? "a check is still waiting for the key provider's answer"
                : "the last check failed with " + last.errorCode() + ": " + last.getMessage())
            + ". Reads and writes resume once a check succeeds.";
    return new KeyProviderUnavailableException(message, key, "kms:Decrypt", last);
  }

  /**
   * Starts a fresh verdict, proved now (after a master-key rotation proved access to the new key):
   * the next check is due one interval from now.
   */
  public void reset() {
    verdict = fresh();
  }

  /** Starts the provider call of a check begun at {@code now}, on the guard's thread. */
  private Future<?> start(TableContext t, Verdict v, long now) {
    synchronized (v) {
      v.startedMillis = now;
      v.done = false;
    }
    return checks.submit(
        () -> {
          try {
            exercise(t, v, now);
          } finally {
            v.running.set(false);
          }
        });
  }

  /**
   * Waits for the check's provider call up to the timeout (for ever when it is zero).
   *
   * @throws KeyProviderUnavailableException when it did not answer in time (the check then counts
   *     as failed) or the waiting thread was interrupted
   */
  private void await(Future<?> call, TableContext t, Verdict v, long now) {
    try {
      if (timeoutMillis == 0) {
        call.get();
      } else {
        call.get(timeoutMillis, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      String key = t.entry().getIndexKey().getMasterKeyId();
      KeyProviderUnavailableException late =
          new KeyProviderUnavailableException(
              "The key provider did not answer the access check of master key "
                  + key
                  + " (kms:Decrypt) within "
                  + Duration.ofMillis(timeoutMillis)
                  + " (CofferOptions.accessCheckTimeout): the check counts as failed, and this"
                  + " operation is refused. The store goes by its last verdict up to the maximum"
                  + " staleness; the provider's answer, when it comes, is the next verdict.",
              key,
              "kms:Decrypt",
              null);
      synchronized (v) {
        if (v.startedMillis == now && v.done) {
          return; // the provider answered just after the deadline: its answer is the verdict
        }
        if (!v.done && v.startedMillis == now) {
          v.unanswered = late;
          v.nextCheckMillis = now + Math.max(1, intervalMillis / 10);
        }
      }
      audit.failure(EngineAudit.ACCESS_CHECK, key, storeKeys.indexContext(t.tableId()), late);
      throw late;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String key = t.entry().getIndexKey().getMasterKeyId();
      throw new KeyProviderUnavailableException(
          "Interrupted while waiting for the access check of master key " + key,
          key,
          "kms:Decrypt",
          null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("The access check failed", e.getCause());
    }
  }

  /**
   * The check's provider call and its verdict (on the guard's thread); the verdict is written under
   * {@code v}'s lock, with the call marked done, so a timeout never overwrites an answer.
   */
  private void exercise(TableContext t, Verdict v, long now) {
    WrappedKeyRef ref = t.entry().getIndexKey();
    EncryptionContext ctx = storeKeys.indexContext(t.tableId());
    KeyProviderException refused = null;
    try (SecretBytes ignored = storeKeys.provider().decrypt(DataKeys.wrapped(ref), ctx)) {
      // access proved
    } catch (KeyProviderException e) {
      refused = e;
    } catch (RuntimeException | Error e) {
      synchronized (v) {
        v.done = true;
      }
      throw e;
    }
    boolean restored = false;
    synchronized (v) {
      v.done = true;
      if (refused == null) {
        restored = v.failure != null;
        v.failure = null;
        v.unanswered = null;
        v.lastSuccessMillis = now;
        v.nextCheckMillis = now + intervalMillis;
      } else if (refused.retryable()) {
        v.unanswered = refused;
        v.nextCheckMillis = now + Math.max(1, intervalMillis / 10);
      } else {
        v.failure = refused;
        v.nextCheckMillis = now + intervalMillis;
      }
    }
    if (refused != null) {
      audit.failure(EngineAudit.ACCESS_CHECK, ref.getMasterKeyId(), ctx, refused);
    } else if (restored) {
      audit.success(EngineAudit.ACCESS_CHECK, ref.getMasterKeyId(), ctx, "access restored");
    }
  }
}
