package dev.coffer.internal.lifecycle;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.proto.WrappedKeyRef;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fail closed: re-checks, at most once per interval, that the store may still use its master key,
 * by really exercising it: a provider {@code Decrypt} of a table's wrapped index key under its
 * encryption context, which checks the key's state (Enabled, not Disabled or PendingDeletion) and
 * its policy for the provider's principal. Every wrapped key of a store is wrapped by the one
 * master key {@link StoreKeys} names, so one verdict covers the store; a master-key rotation starts
 * a fresh one ({@link #reset()}).
 *
 * <p>Checks are lazy: an item operation on a table whose check is due runs the check first, on the
 * caller's thread, before any lock is taken. One thread checks; the others meanwhile go by the last
 * verdict. A refused check makes every operation throw the provider's exception (naming key, action
 * and principal) until a later check (one interval later) succeeds. Retryable provider errors
 * (unavailable, throttled) keep the last verdict and retry after a tenth of the interval.
 * Thread-safe.
 */
public final class AccessGuard {
  private final Clock clock;
  private final long intervalMillis;
  private final StoreKeys storeKeys;
  private final EngineAudit audit;
  private volatile Verdict verdict;

  /** The last verdict about the master key. */
  private static final class Verdict {
    volatile long nextCheckMillis;
    volatile KeyProviderException failure;
    final AtomicBoolean running = new AtomicBoolean();

    Verdict(long next) {
      this.nextCheckMillis = next;
    }
  }

  /** A guard checking through {@code storeKeys}' provider at most once per {@code interval}. */
  public AccessGuard(Clock clock, Duration interval, StoreKeys storeKeys, EngineAudit audit) {
    this.clock = clock;
    this.intervalMillis = Math.max(0, interval.toMillis());
    this.storeKeys = storeKeys;
    this.audit = audit;
  }

  /**
   * Throws the provider's exception when the last check of the master key failed; runs the check
   * first (with {@code t}'s index key) when it is due. Must not be called while holding a lock.
   */
  public void check(TableContext t) {
    long now = clock.millis();
    Verdict v = verdict;
    if (v == null) {
      synchronized (this) {
        v = verdict;
        if (v == null) {
          v =
              new Verdict(
                  now + intervalMillis); // opening the store (or rotating its key) just proved
          // access
          verdict = v;
        }
      }
    }
    if (now >= v.nextCheckMillis && v.running.compareAndSet(false, true)) {
      try {
        if (now >= v.nextCheckMillis) {
          exercise(t, v, now);
        }
      } finally {
        v.running.set(false);
      }
    }
    KeyProviderException failure = v.failure;
    if (failure != null) {
      throw failure;
    }
  }

  /** Forgets the verdict (after a master-key rotation proved access to the new key). */
  public void reset() {
    verdict = null;
  }

  private void exercise(TableContext t, Verdict v, long now) {
    WrappedKeyRef ref = t.entry().getIndexKey();
    EncryptionContext ctx = storeKeys.indexContext(t.tableId());
    try (SecretBytes ignored = storeKeys.provider().decrypt(DataKeys.wrapped(ref), ctx)) {
      boolean wasFailing = v.failure != null;
      v.failure = null;
      v.nextCheckMillis = now + intervalMillis;
      if (wasFailing) {
        audit.success(EngineAudit.ACCESS_CHECK, ref.getMasterKeyId(), ctx, "access restored");
      }
    } catch (KeyProviderException e) {
      audit.failure(EngineAudit.ACCESS_CHECK, ref.getMasterKeyId(), ctx, e);
      if (e.retryable()) {
        v.nextCheckMillis = now + Math.max(1, intervalMillis / 10);
      } else {
        v.failure = e;
        v.nextCheckMillis = now + intervalMillis;
      }
    }
  }
}
