package dev.coffer.kms.memory;

import dev.coffer.kms.AccessDeniedException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.ThrottlingException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults and counters for tests of code that uses the in-memory provider: deny an action outright
 * (as if an IAM permission were revoked), make the provider unavailable, throttle the next calls,
 * add latency, and count calls per action. Shared by every principal view of one provider; get it
 * with {@link #of(InMemoryKeyProvider)}. Part of the {@code coffer-kms-provider} test jar, not of
 * the API. Thread-safe.
 */
public final class FaultInjector implements CallHook {
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private final AtomicInteger unavailableNext = new AtomicInteger();
  private volatile boolean unavailable;
  private volatile Duration latency = Duration.ZERO;

  private FaultInjector() {}

  /**
   * The fault injector of {@code provider} and all its principal views, installed on first use
   * (until then calls are neither counted nor faulted).
   */
  public static FaultInjector of(InMemoryKeyProvider provider) {
    AtomicReference<CallHook> hook = ((DefaultInMemoryKeyProvider) provider).hook();
    hook.compareAndSet(null, new FaultInjector());
    return (FaultInjector) hook.get();
  }

  /** Every call of {@code action} (e.g. {@code kms:Decrypt}) fails with AccessDeniedException. */
  public FaultInjector deny(String action) {
    denied.add(Objects.requireNonNull(action, "action"));
    return this;
  }

  /** Undoes {@link #deny(String)}. */
  public FaultInjector allow(String action) {
    denied.remove(action);
    return this;
  }

  /** While on, every call fails with KeyProviderUnavailableException (retryable). */
  public FaultInjector unavailable(boolean on) {
    this.unavailable = on;
    return this;
  }

  /** The next {@code n} calls fail with KeyProviderUnavailableException (retryable). */
  public FaultInjector unavailableNext(int n) {
    unavailableNext.set(n);
    return this;
  }

  /** The next {@code n} calls fail with ThrottlingException (retryable). */
  public FaultInjector throttleNext(int n) {
    throttleNext.set(n);
    return this;
  }

  /** Every call first sleeps this long. */
  public FaultInjector latency(Duration latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
    return this;
  }

  /** Clears every fault (counters are kept). */
  public FaultInjector clear() {
    denied.clear();
    throttleNext.set(0);
    unavailableNext.set(0);
    unavailable = false;
    latency = Duration.ZERO;
    return this;
  }

  /** How many calls of {@code action} were made (failed ones included). */
  public long calls(String action) {
    AtomicLong c = calls.get(action);
    return c == null ? 0 : c.get();
  }

  /** How many calls were made in all. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Sets every counter to zero. */
  public void resetCounters() {
    calls.clear();
  }

  @Override
  public void before(String principal, String action, String keyRef) {
    calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    Duration d = latency;
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KeyProviderUnavailableException("interrupted while waiting", keyRef, action, e);
      }
    }
    if (unavailable || decrementIfPositive(unavailableNext)) {
      throw new KeyProviderUnavailableException(
          "The in-memory provider is unavailable (injected fault).", keyRef, action);
    }
    if (decrementIfPositive(throttleNext)) {
      throw new ThrottlingException("Rate exceeded (injected fault).", keyRef, action);
    }
    if (denied.contains(action)) {
      throw new AccessDeniedException(
          "User: "
              + principal
              + " is not authorized to perform: "
              + action
              + " on resource: "
              + keyRef
              + " with an explicit deny in an identity-based policy",
          keyRef,
          action);
    }
  }

  private static boolean decrementIfPositive(AtomicInteger counter) {
    while (true) {
      int n = counter.get();
      if (n <= 0) {
        return false;
      }
      if (counter.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }
}
