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
   * Takes the write locks of all the partitions of {@code tokens} (of any tables of the store),
   * each stripe once and in ascending stripe order: the one global order every caller that holds
   * several locks takes them in, so that two callers never wait for each other in a cycle (single
   * writers and readers hold one lock at a time). Returns the locks taken, in the order taken; the
   * caller unlocks them ({@link #unlock}).
   */
  public List<Lock> writeLocks(Collection<byte[]> tokens) {
    return lockAll(tokens, true);
  }

  /**
   * Takes the read locks of all the partitions of {@code tokens} in the same global order as {@link
   * #writeLocks}: while they are held, no write changes any of these partitions, so what is read is
   * one consistent snapshot of them (TransactGetItems).
   */
  public List<Lock> readLocks(Collection<byte[]> tokens) {
    return lockAll(tokens, false);
  }

  /** Releases locks taken by {@link #writeLocks} or {@link #readLocks}, in reverse order. */
  public static void unlock(List<Lock> held) {
    for (int i = held.size() - 1; i >= 0; i--) {
      held.get(i).unlock();
    }
  }

  private List<Lock> lockAll(Collection<byte[]> tokens, boolean write) {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (byte[] token : tokens) {
      stripes.add(stripe(token));
    }
    List<Lock> held = new ArrayList<>(stripes.size());
    try {
      for (int s : stripes) {
        Lock l = write ? locks[s].writeLock() : locks[s].readLock();
        l.lock();
        held.add(l);
      }
      return held;
    } catch (RuntimeException | Error e) {
      unlock(held);
      throw e;
    }
  }

  /**
   * Waits until every change that holds a partition write lock now has finished: takes and releases
   * each stripe's write lock in turn. A change that starts later sees whatever the caller did
   * before (used before destroying a data-key version: no writer can still be about to store a
   * record sealed under it).
   */
  public void awaitWriters() {
    for (ReadWriteLock lock : locks) {
      lock.writeLock().lock();
      lock.writeLock().unlock();
    }
  }
}
