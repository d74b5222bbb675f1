package dev.coffer.internal.partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
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
    return locks[stripe(token)];
  }

  private static int stripe(byte[] token) {
    int h = ((token[0] & 0xFF) << 8 | (token[1] & 0xFF)) ^ (token[2] & 0xFF) << 2;
    return h & (STRIPES - 1);
  }

  /**
   * Takes the write locks of all the partitions of {@code tokens}, each stripe once and in stripe
   * order, so that two callers holding several never wait for each other in a cycle (writers hold
   * one at a time). Returns the locks taken, in the order taken; the caller unlocks them.
   */
  public List<Lock> writeLocks(Collection<byte[]> tokens) {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (byte[] token : tokens) {
      stripes.add(stripe(token));
    }
    List<Lock> held = new ArrayList<>(stripes.size());
    try {
      for (int s : stripes) {
        Lock l = locks[s].writeLock();
        l.lock();
        held.add(l);
      }
      return held;
    } catch (RuntimeException | Error e) {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
      throw e;
    }
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
