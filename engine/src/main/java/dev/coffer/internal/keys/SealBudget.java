package dev.coffer.internal.keys;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the seals made under one key version, so random 96-bit nonces stay within NIST SP
 * 800-38D's limit of 2^32 invocations per key. The count is persisted (in the catalog) whenever it
 * crosses a multiple of {@link #PERSIST_INTERVAL}; after a crash the store resumes from the
 * persisted count plus one interval, so the count never goes backwards. Thread-safe.
 */
public final class SealBudget {
  /** How often the count is persisted. */
  public static final long PERSIST_INTERVAL = 1L << 16;
  /** Seals refused from here on: 2^32 minus a safety margin of two intervals. */
  public static final long LIMIT = (1L << 32) - 2 * PERSIST_INTERVAL;

  private final AtomicLong seals;

  private SealBudget(long start) {
    this.seals = new AtomicLong(start);
  }

  /** A fresh key version. */
  public static SealBudget fresh() {
    return new SealBudget(0);
  }

  /** A version whose last persisted count was {@code persisted}; assumes a crash lost an interval. */
  public static SealBudget resume(long persisted) {
    return new SealBudget(persisted + PERSIST_INTERVAL);
  }

  /**
   * Counts one seal.
   *
   * @return true when the caller should persist {@link #count()} now
   * @throws IllegalStateException when the version is exhausted (the caller reports it)
   */
  public boolean countOne() {
    long n = seals.incrementAndGet();
    if (n >= LIMIT) {
      seals.decrementAndGet();
      throw new IllegalStateException("exhausted");
    }
    return n % PERSIST_INTERVAL == 0;
  }

  /** The seals counted so far (an upper bound of the seals actually made). */
  public long count() {
    return seals.get();
  }
}
