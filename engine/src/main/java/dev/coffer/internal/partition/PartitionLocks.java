package dev.coffer.internal.partition;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Striped read-write locks by partition token: writers of a partition take its write lock for the
 * whole change (read, rebuild, batch, cache update), readers take the read lock, so a reader never
 * sees half of a change. Two partitions may share a stripe; that only costs concurrency.
 */
public final class PartitionLocks {
  private static final int STRIPES = 1024;

  private final ReadWriteLock[] locks = new ReadWriteLock[STRIPES];

  public PartitionLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantReadWriteLock();
    }
  }

  /** The lock of the partition with {@code token} (tokens are uniformly random). */
  public ReadWriteLock forToken(byte[] token) {
    int h = ((token[0] & 0xFF) << 8 | (token[1] & 0xFF)) ^ (token[2] & 0xFF) << 2;
    return locks[h & (STRIPES - 1)];
  }

  /**
   * Waits until every change that holds a partition write lock now has finished: takes and
   * releases each stripe's write lock in turn. A change that starts later sees whatever the caller
   * did before (used before destroying a data-key version: no writer can still be about to store a
   * record sealed under it).
   */
  public void awaitWriters() {
    for (ReadWriteLock lock : locks) {
      lock.writeLock().lock();
      lock.writeLock().unlock();
    }
  }
}
