package dev.coffer.internal.partition;

import dev.coffer.internal.catalog.TableContext;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * folds it).
 *
 * <p><b>Reads ask for folds too</b> ({@link #readOpened}): every get that opens a leaf's delta
 * records from the store (not from the page cache) adds their count to the leaf's <em>read
 * debt</em>; once a leaf's debt reaches {@value #READ_DEBT} records, or a single read opens the
 * soft bound, the leaf is folded, and later reads open its page alone. The bound is near the
 * measured break-even (docs/performance.md, scaling section): a fold (one read of the leaf, one
 * page sealed and written, RocksDB's later compaction of that page) cost about as much process CPU
 * as opening 30 to 50 delta records in gets. Leaves read only once or twice between writes are
 * never folded for their readers (a fold would cost more than it saves). The debts are kept in a
 * small direct-mapped table ({@value #DEBT_SLOTS} slots of one {@code long}: a tag of the leaf and
 * its debt; 32 KiB, fixed), so a leaf whose slot another leaf took starts again from zero: only
 * leaves read again within a short while reach the bound. Updates of the table race without locks;
 * a lost update delays or hastens one fold, nothing else. Thread-safe.
 */
final class BackgroundFolder {
  static final int QUEUE_CAPACITY = 4096;

  /** Delta records that reads of one leaf may open, summed, before the leaf is folded. */
  static final int READ_DEBT = 32;

  /** Slots of the read-debt table: 8 bytes each, 32 KiB per open store. */
  static final int DEBT_SLOTS = 1 << 12;

  private static final long DEBT_MASK = (1L << 16) - 1;

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundFolder.class);

  private final ThreadPoolExecutor executor;
  private final Set<Request> queued = ConcurrentHashMap.newKeySet();
  private final Consumer<Runnable> underStore;
  private final PartitionLocks locks;
  private final LongAdder folds = new LongAdder();
  private final AtomicLongArray debts = new AtomicLongArray(DEBT_SLOTS);
  private final int softBound;
  private volatile PartitionWriter writer;

  /**
   * @param underStore runs a fold under the store's shared lifecycle lock; throws once the store is
   *     closed
   */
  BackgroundFolder(Consumer<Runnable> underStore, PartitionLocks locks, int softBound) {
    this.underStore = underStore;
    this.locks = locks;
    this.softBound = softBound;
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

  /**
   * A leaf to fold, by table, token and node id; folded when it still has {@code minDeltas} delta
   * records (not part of the request's identity).
   */
  private record Request(
      TableContext table, long tokenHigh, long tokenLow, long leafId, int minDeltas) {
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
    request(t, token, leafId, softBound);
  }

  /**
   * A reader opened leaf {@code leafId} of partition {@code token} from the store with {@code
   * deltaCount} delta records: adds them to the leaf's read debt, and asks for a fold of the leaf
   * once the debt reaches {@value #READ_DEBT} records or this read alone opened the soft bound.
   */
  void readOpened(TableContext t, byte[] token, long leafId, int deltaCount) {
    if (deltaCount <= 0) {
      return;
    }
    if (deltaCount >= softBound) {
      request(t, token, leafId, softBound);
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(token);
    long h = mix(t.serial() * 0x9E3779B97F4A7C15L + b.getLong(0), b.getLong(8) ^ leafId);
    int slot = (int) (h >>> 52) & (DEBT_SLOTS - 1);
    long tag = h & ~DEBT_MASK;
    long word = debts.get(slot);
    long debt = ((word & ~DEBT_MASK) == tag ? word & DEBT_MASK : 0) + deltaCount;
    if (debt >= READ_DEBT) {
      debts.set(slot, 0);
      request(t, token, leafId, 1);
    } else {
      debts.set(slot, tag | debt);
    }
  }

  /** A 64-bit mix of two words (the murmur3 finalizer over their combination). */
  private static long mix(long a, long b) {
    long h = a ^ Long.rotateLeft(b, 29) ^ (b >>> 7);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private void request(TableContext t, byte[] token, long leafId, int minDeltas) {
    ByteBuffer b = ByteBuffer.wrap(token);
    Request r = new Request(t, b.getLong(0), b.getLong(8), leafId, minDeltas);
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
              if (w.foldLeaf(r.table(), token, r.leafId(), r.minDeltas())) {
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
