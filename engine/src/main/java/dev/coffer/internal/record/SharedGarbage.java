package dev.coffer.internal.record;

import dev.coffer.spi.BackendKey;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deferred deletion of the records a write on a shared backend made unreachable: the old nodes a
 * copy-on-write change replaced, the chunks of an overwritten root. They are deleted one grace
 * period after they became unreachable ({@link #DEFAULT_GRACE_MILLIS} by default), because a reader
 * in this or another instance that read the previous root may still be reading them. One daemon
 * thread per store deletes what is due, in batches (a backend may send up to 25 deletions per
 * request). What is still queued when the store closes (or its process dies) is left for {@code
 * Coffer.collectGarbage()}, which finds unreachable records by walking the trees. Thread-safe.
 */
final class SharedGarbage implements AutoCloseable {
  /**
   * The default grace period: readers hold a root for one operation (one query page), far shorter.
   */
  static final long DEFAULT_GRACE_MILLIS = 60_000;

  private static final Logger LOG = LoggerFactory.getLogger(SharedGarbage.class);
  private static final int BATCH = 100;

  /**
   * One record to delete; chunked nodes are deleted singly, so that their chunks are found and go
   * too.
   */
  private record Due(long atMillis, BackendKey key, boolean chunked) {}

  private final SharedRecordStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Due> queue =
      new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
  private volatile long graceMillis = DEFAULT_GRACE_MILLIS;
  private Thread thread;
  private boolean closed;
  private long deleted;

  SharedGarbage(SharedRecordStore store) {
    this.store = store;
  }

  /** The grace period in milliseconds. */
  long graceMillis() {
    return graceMillis;
  }

  /** Sets the grace period (the store's options; tests shorten it). */
  void graceMillis(long millis) {
    this.graceMillis = Math.max(0, millis);
  }

  /** Queues {@code keys} for deletion one grace period from now. */
  void add(List<BackendKey> keys, boolean chunked) {
    if (keys.isEmpty()) {
      return;
    }
    long at = System.currentTimeMillis() + graceMillis;
    lock.lock();
    try {
      if (closed) {
        return; // left for collectGarbage()
      }
      for (BackendKey k : keys) {
        queue.add(new Due(at, k, chunked));
      }
      if (thread == null) {
        thread = new Thread(this::run, "coffer-garbage");
        thread.setDaemon(true);
        thread.start();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Records queued and not deleted yet. */
  int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Records this queue has deleted. */
  long deleted() {
    lock.lock();
    try {
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      List<Due> due = new ArrayList<>();
      lock.lock();
      try {
        while (!closed) {
          Due head = queue.peek();
          long now = System.currentTimeMillis();
          if (head != null && head.atMillis <= now) {
            break;
          }
          try {
            if (head == null) {
              changed.await();
            } else {
              changed.await(head.atMillis - now, TimeUnit.MILLISECONDS);
            }
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        long now = System.currentTimeMillis();
        while (due.size() < BATCH && !queue.isEmpty() && queue.peek().atMillis <= now) {
          due.add(queue.poll());
        }
      } finally {
        lock.unlock();
      }
      delete(due);
    }
  }

  private void delete(List<Due> due) {
    List<BackendKey> plain = new ArrayList<>();
    try {
      for (Due d : due) {
        if (d.chunked) {
          store.deleteRecordAndChunks(d.key);
        } else {
          plain.add(d.key);
        }
      }
      store.deleteAll(plain);
      lock.lock();
      try {
        deleted += due.size();
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      // left for collectGarbage(); a backend that fails now fails the writers too, who report it
      LOG.warn(
          "Deleting {} unreachable records failed; collectGarbage() will find them: {}",
          due.size(),
          e.toString());
    }
  }

  /** Stops the thread; what is queued is left for {@code collectGarbage()}. */
  @Override
  public void close() {
    Thread t;
    int left;
    lock.lock();
    try {
      closed = true;
      left = queue.size();
      queue.clear();
      changed.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (left > 0) {
      LOG.debug(
          "{} unreachable records were still in their grace period at close; collectGarbage() removes them",
          left);
    }
  }
}
