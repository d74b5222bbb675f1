package dev.coffer.internal.lifecycle;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.proto.WrappedKeyRef;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Fail closed: re-checks, at most once per interval and per master key, that the store may still
 * use the master key that wraps a table's keys, by really exercising it: a provider {@code
 * Decrypt} of the table's wrapped index key under its encryption context, which checks the key's
 * state (Enabled, not Disabled or PendingDeletion) and its policy for the provider's principal.
 *
 * <p>Checks are lazy: an item operation on a table whose check is due runs the check first, on the
 * caller's thread, before any partition lock is taken. One thread checks; the others meanwhile go
 * by the last verdict. A refused check makes every operation on the tables of that key throw the
 * provider's exception (naming key, action and principal) until a later check (one interval
 * later) succeeds. Retryable provider errors (unavailable, throttled) keep the last verdict and
 * retry after a tenth of the interval. Thread-safe.
 */
public final class AccessGuard {
  private final Clock clock;
  private final long intervalMillis;
  private final Supplier<KeyProvider> provider;
  private final DataKeys dataKeys;
  private final EngineAudit audit;
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  /** The last verdict about one master key. */
  private static final class Verdict {
    volatile long nextCheckMillis;
    volatile KeyProviderException failure;
    final AtomicBoolean running = new AtomicBoolean();

    Verdict(long next) {
      this.nextCheckMillis = next;
    }
  }

  /** A guard checking through {@code dataKeys}' provider at most once per {@code interval} per key. */
  public AccessGuard(Clock clock, Duration interval, DataKeys dataKeys, EngineAudit audit) {
    this.clock = clock;
    this.intervalMillis = Math.max(0, interval.toMillis());
    this.dataKeys = dataKeys;
    this.provider = dataKeys::provider;
    this.audit = audit;
  }

  /**
   * Throws the provider's exception when the last check of the master key of {@code t} failed;
   * runs the check first when it is due. Must not be called while holding a partition lock.
   */
  public void check(TableContext t) {
    WrappedKeyRef ref = t.entry().getIndexKey();
    String keyId = ref.getMasterKeyId();
    long now = clock.millis();
    Verdict v = verdicts.get(keyId);
    if (v == null) {
      v = verdicts.computeIfAbsent(keyId, k -> new Verdict(now + intervalMillis));
    }
    if (now >= v.nextCheckMillis && v.running.compareAndSet(false, true)) {
      try {
        if (now >= v.nextCheckMillis) {
          exercise(t, ref, v, now);
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

  /** Forgets every verdict (after a master-key rotation proved access to the new key). */
  public void reset() {
    verdicts.clear();
  }

  private void exercise(TableContext t, WrappedKeyRef ref, Verdict v, long now) {
    EncryptionContext ctx = dataKeys.indexContext(t.tableId());
    try (SecretBytes ignored = provider.get().decrypt(DataKeys.wrapped(ref), ctx)) {
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
