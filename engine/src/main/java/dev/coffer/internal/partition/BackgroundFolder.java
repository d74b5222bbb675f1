package dev.coffer.internal.partition;

import dev.coffer.internal.catalog.TableContext;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds leaves' delta records off the writers' threads: one daemon thread and a bounded queue of
 * leaves to fold ({@value #QUEUE_CAPACITY}; a leaf is queued once at a time). A writer asks for a
 * fold when a leaf reaches the soft bound of delta records; a fold runs under the store's lifecycle
 * lock (so never during a close or a DeleteTable) and the partition's write lock, as a writer's
 * fold does, and does nothing when the leaf was folded, split or merged meanwhile. When the queue
 * is full, or the thread is behind, writers fold themselves at the hard bound, so a leaf never
 * carries more than that. A fold that fails is logged and dropped (the next writer of the leaf
 * folds it). Thread-safe.
 */
final class BackgroundFolder {
  static final int QUEUE_CAPACITY = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundFolder.class);

  private final ThreadPoolExecutor executor;
  private final Set<Request> queued = ConcurrentHashMap.newKeySet();
  private final Consumer<Runnable> underStore;
  private final PartitionLocks locks;
  private final LongAdder folds = new LongAdder();
  private volatile PartitionWriter writer;

  /**
   * @param underStore runs a fold under the store's shared lifecycle lock; throws once the store is
   *     closed
   */
  BackgroundFolder(Consumer<Runnable> underStore, PartitionLocks locks) {
    this.underStore = underStore;
    this.locks = locks;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            r -> {
              Thread t = new Thread(r, "coffer-fold");
              t.setDaemon(true);
              return t;
            });
  }

  void writer(PartitionWriter writer) {
    this.writer = writer;
  }

  /** A leaf to fold, by table, token and node id. */
  private record Request(TableContext table, long tokenHigh, long tokenLow, long leafId) {
    byte[] token() {
      return ByteBuffer.allocate(16).putLong(tokenHigh).putLong(tokenLow).array();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Request r
          && r.table == table
          && r.tokenHigh == tokenHigh
          && r.tokenLow == tokenLow
          && r.leafId == leafId;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(tokenHigh * 31 + tokenLow) * 31 + Long.hashCode(leafId);
    }
  }

  /**
   * Asks for leaf {@code leafId} of partition {@code token} to be folded (once; dropped when full).
   */
  void request(TableContext t, byte[] token, long leafId) {
    ByteBuffer b = ByteBuffer.wrap(token);
    Request r = new Request(t, b.getLong(0), b.getLong(8), leafId);
    if (!queued.add(r)) {
      return;
    }
    try {
      executor.execute(() -> run(r));
    } catch (RejectedExecutionException full) {
      queued.remove(r); // the writer folds at the hard bound
    }
  }

  private void run(Request r) {
    queued.remove(r);
    PartitionWriter w = writer;
    if (w == null) {
      return;
    }
    byte[] token = r.token();
    try {
      underStore.accept(
          () -> {
            r.table().checkLive();
            Lock lock = locks.forToken(token).writeLock();
            lock.lock();
            try {
              if (w.foldLeaf(r.table(), token, r.leafId())) {
                folds.increment();
              }
            } finally {
              lock.unlock();
            }
          });
    } catch (RuntimeException e) {
      // the store closed, the table was deleted, or the fold failed: a writer folds at the hard
      // bound
      LOG.debug("A background fold of table {} was dropped: {}", r.table().name(), e.toString());
    }
  }

  /** Folds done so far. */
  long folds() {
    return folds.sum();
  }

  /** Waits until every fold asked for so far has run (tests). */
  void drain() throws InterruptedException {
    while (!executor.getQueue().isEmpty() || executor.getActiveCount() > 0) {
      Thread.sleep(2);
    }
  }

  /**
   * Stops the thread: queued folds are dropped, a running one finishes. Call before the store
   * closes.
   */
  void stop() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("The background fold thread did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queued.clear();
  }
}
