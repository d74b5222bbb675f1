package dev.coffer.internal.keys;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the seals made under one data-key version: the count a table's {@code rotate_after_pages}
 * policy compares with, and that DescribeTable reports. Counting is all the sealing path does: when
 * the count has moved half an interval past the last persisted count, the budget says a flush is
 * due ({@link #flushDue()}), and the engine persists the count at its next commit point (after the
 * write that crossed it, outside every partition lock; see {@code KeyVersions}). After a crash the
 * store resumes from the persisted count plus one interval, so as long as every flush happens
 * within half an interval of seals, the count never goes backwards: it is an upper bound.
 *
 * <p>It no longer refuses seals. It was a nonce budget when records were sealed with AES-256-GCM
 * under the version's key itself with random 96-bit nonces (envelope format 1), which NIST SP
 * 800-38D limits to 2^32 seals per key; every seal is now envelope format 2 (XAES-256-GCM: a key
 * derived per 96-bit random salt, renewed every 2^20 seals per thread, and a random 96-bit GCM
 * nonce under it; docs/on-disk-format.md, section 8), whose bound per key (2^80 messages with
 * random nonces, per C2SP) no count of seals can reach. Nothing seals format 1 any more, so no key
 * gains format-1 seals after a store is upgraded. Thread-safe.
 */
public final class SealBudget {
  /** A crash can lose at most this many counted seals; the store resumes this far above. */
  public static final long PERSIST_INTERVAL = 1L << 16;

  private final AtomicLong seals;

  /** The count this budget started from (at open: the persisted count plus one interval). */
  private final long start;

  private volatile long persisted;
  private volatile boolean flushDue;

  private SealBudget(long start, long persisted) {
    this.seals = new AtomicLong(start);
    this.start = start;
    this.persisted = persisted;
  }

  /** A fresh key version. */
  public static SealBudget fresh() {
    return new SealBudget(0, 0);
  }

  /**
   * A version whose last persisted count was {@code persisted}; assumes a crash lost an interval.
   * The first seal makes a flush due, so the resumed count is persisted before it can be passed.
   */
  public static SealBudget resume(long persisted) {
    return new SealBudget(persisted + PERSIST_INTERVAL, persisted);
  }

  /**
   * Counts one seal; never refuses one (see the class comment).
   *
   * @return true when this seal made a flush due (see {@link #flushDue()})
   */
  public boolean countOne() {
    long n = seals.incrementAndGet();
    if (!flushDue && n - persisted >= PERSIST_INTERVAL / 2) {
      flushDue = true;
      return true;
    }
    return false;
  }

  /** Whether the count should be persisted at the next commit point. */
  public boolean flushDue() {
    return flushDue;
  }

  /** Records that {@code count} (a value of {@link #count()}) is durable now. */
  public void persisted(long count) {
    if (count > persisted) {
      persisted = count;
    }
    flushDue = seals.get() - persisted >= PERSIST_INTERVAL / 2;
  }

  /**
   * On a shared backend: another instance persisted {@code persistedTotal} seals of this version
   * (its own and every count it had absorbed before). When that is more than this budget last
   * persisted or absorbed, the difference is other instances' seals: they are added to the count,
   * so that the count bounds the seals of every instance together.
   */
  public synchronized void absorb(long persistedTotal) {
    long others = persistedTotal - persisted;
    if (others > 0) {
      seals.addAndGet(others);
      persisted(persistedTotal);
    }
  }

  /** The count last persisted (or absorbed). */
  public long persistedCount() {
    return persisted;
  }

  /**
   * Whether no seal was counted (or absorbed) since this budget was made. Such a count need not be
   * persisted: the seals actually made are still within what the persisted count bounds (a resumed
   * count starts one interval above it, so persisting it would only raise the count by an interval
   * at every open, and write at the close of a session that only read).
   */
  public boolean untouched() {
    return seals.get() == start;
  }

  /** The seals counted so far (an upper bound of the seals actually made). */
  public long count() {
    return seals.get();
  }
}
