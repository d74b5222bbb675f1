package dev.coffer.internal.partition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.coffer.PageCacheStats;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A byte-bounded cache of decrypted nodes (leaves with their deltas merged), keyed by table,
 * partition token and node id. Writers replace or invalidate every node they write, under the
 * partition lock, so a reader holding the partition lock never sees a stale node. With a capacity
 * of 0 it holds nothing: no plaintext page outlives the operation that read it. Thread-safe.
 *
 * <p><b>The bound is strict.</b> Caffeine inserts first and evicts afterwards (on the inserting
 * thread or the next one to run its maintenance), so on its own its weighted size passes the
 * bound for a moment after every insert into a full cache, by as much as several threads insert
 * at once. This class therefore keeps its own count of <em>resident bytes</em>: a node's weight is
 * reserved before it enters the map and released only after it has left (from Caffeine's removal
 * listener, which runs on the removing thread), so the count is never below the bytes the map
 * holds. A reservation that would pass the bound first removes the coldest nodes in Caffeine's
 * eviction order, as many as it takes, about 1/64 of the capacity at a time. So resident bytes, and with them the decrypted bytes the
 * cache holds, never exceed the capacity at any instant; {@link #stats()} reports the count and
 * its peak. A node heavier than the whole capacity is not cached (its older version is dropped).
 */
public final class PageCache {
  /** Per-node bytes on top of the node's own estimate: key, map entry, policy bookkeeping. */
  static final int ENTRY_OVERHEAD_BYTES = 96;

  private final Cache<NodeKey, Node> cache;
  private final long capacityBytes;
  private final AtomicLong residentBytes = new AtomicLong();
  private final LongAccumulator peakResidentBytes = new LongAccumulator(Math::max, 0);
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /** A cache of at most {@code capacityBytes} (estimated); 0 turns it off. */
  public PageCache(long capacityBytes) {
    this.capacityBytes = Math.max(capacityBytes, 0);
    this.cache = capacityBytes <= 0
        ? null
        : Caffeine.newBuilder()
            .maximumWeight(capacityBytes)
            .weigher((NodeKey k, Node n) -> weight(n))
            .executor(Runnable::run)
            .removalListener((NodeKey k, Node n, RemovalCause cause) -> released(n, cause))
            .build();
  }

  /** The bytes a node is charged: its estimated size plus the entry overhead. */
  static int weight(Node n) {
    return n.bytes() + ENTRY_OVERHEAD_BYTES;
  }

  /** Whether the cache holds anything at all (false when its capacity is 0). */
  boolean enabled() {
    return cache != null;
  }

  Node get(int table, byte[] token, long nodeId) {
    if (cache == null) {
      return null;
    }
    Node n = cache.getIfPresent(NodeKey.of(table, token, nodeId));
    (n != null ? hits : misses).increment();
    return n;
  }

  /** Caches {@code node} as the current version of its page, replacing any older one. */
  void put(int table, byte[] token, long nodeId, Node node) {
    if (cache == null) {
      return;
    }
    NodeKey key = NodeKey.of(table, token, nodeId);
    long w = weight(node);
    if (w > capacityBytes) {
      cache.invalidate(key); // too big to hold; an older version must not stay behind
      return;
    }
    reserve(w);
    Node previous = cache.asMap().put(key, node);
    if (previous == node) {
      release(w); // the same node again: Caffeine reports no removal, so nothing else releases it
    }
  }

  void invalidate(int table, byte[] token, long nodeId) {
    if (cache != null) {
      cache.invalidate(NodeKey.of(table, token, nodeId));
    }
  }

  /** Drops every node of table {@code table} (after the table is deleted). */
  public void invalidateTable(int table) {
    if (cache != null) {
      cache.asMap().keySet().removeIf(k -> k.table == table);
    }
  }

  /** Reserves {@code w} bytes, removing the coldest nodes until they fit under the capacity. */
  private void reserve(long w) {
    for (;;) {
      long current = residentBytes.get();
      if (current + w <= capacityBytes) {
        if (residentBytes.compareAndSet(current, current + w)) {
          peakResidentBytes.accumulate(current + w);
          return;
        }
      } else if (!removeColdest(current + w - capacityBytes)) {
        // The map is empty but bytes are still reserved: other threads are between their
        // reservation and their insert, or between a removal and its release. Both are short.
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Removes the nodes Caffeine would evict next, up to {@code needed} bytes of them or 1/64 of the
   * capacity, whichever is more (or the coldest node alone, when it weighs more than that), so that
   * the snapshot of the eviction order (taken under Caffeine's eviction lock) is paid once per many
   * inserts into a full cache, not once per insert; the caller repeats until its reservation fits.
   * False when there was nothing to remove.
   */
  private boolean removeColdest(long needed) {
    Policy.Eviction<NodeKey, Node> eviction = cache.policy().eviction().orElseThrow();
    Map<NodeKey, Node> coldest = eviction.coldestWeighted(Math.max(needed, capacityBytes / 64));
    if (coldest.isEmpty()) {
      coldest = eviction.coldest(1); // the coldest node alone weighs more than that
    }
    if (coldest.isEmpty()) {
      return false;
    }
    boolean removedAll = true;
    for (Map.Entry<NodeKey, Node> e : coldest.entrySet()) {
      if (cache.asMap().remove(e.getKey(), e.getValue())) {
        evictions.increment();
      } else {
        removedAll = false;
      }
    }
    if (!removedAll) {
      cache.cleanUp(); // some were gone meanwhile: let the policy catch up with the map
    }
    return true;
  }

  private void released(Node n, RemovalCause cause) {
    if (n != null) {
      release(weight(n));
      if (cause.wasEvicted()) {
        evictions.increment();
      }
    }
  }

  private void release(long w) {
    residentBytes.addAndGet(-w);
  }

  /** The configured bound in bytes (0 when the cache is off). */
  public long capacityBytes() {
    return capacityBytes;
  }

  /** A snapshot of the cache's counters. */
  public PageCacheStats stats() {
    return new PageCacheStats(capacityBytes, residentBytes.get(), peakResidentBytes.get(),
        cache == null ? 0 : cache.estimatedSize(), hits.sum(), misses.sum(), evictions.sum());
  }

  /**
   * The weighted size in bytes according to Caffeine, after pending evictions ran: the sum of the
   * weights of the cached nodes (for tests and diagnostics).
   */
  public long weightedSize() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** The number of cached nodes, after pending evictions ran. */
  public long nodeCount() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Drops everything. */
  public void clear() {
    if (cache != null) {
      cache.invalidateAll();
      cache.cleanUp();
    }
  }

  /** The key of a cached node. */
  private record NodeKey(int table, long tokenHigh, long tokenLow, long nodeId) {
    static NodeKey of(int table, byte[] token, long nodeId) {
      ByteBuffer b = ByteBuffer.wrap(token);
      return new NodeKey(table, b.getLong(0), b.getLong(8), nodeId);
    }
  }
}
