package dev.coffer.internal.partition;

import dev.coffer.PageCacheStats;
import java.nio.ByteBuffer;

/**
 * A byte-bounded cache of decrypted nodes (leaves with their deltas merged), keyed by table,
 * partition token and node id. Writers replace or invalidate every node they write, under the
 * partition lock, so a reader holding the partition lock never sees a stale node. With a capacity
 * of 0 it holds nothing: no plaintext page outlives the operation that read it. Thread-safe.
 *
 * <p><b>The bound is strict</b> ({@link StrictCache}): resident bytes, and with them the decrypted
 * bytes the cache holds, never exceed the capacity at any instant; {@link #stats()} reports the
 * count and its peak. A node heavier than the whole capacity is not cached (its older version is
 * dropped).
 */
public final class PageCache {
  /** Per-node bytes on top of the node's own estimate: key, map entry, policy bookkeeping. */
  static final int ENTRY_OVERHEAD_BYTES = 96;

  private final StrictCache<NodeKey, Node> cache;

  /** A cache of at most {@code capacityBytes} (estimated); 0 turns it off. */
  public PageCache(long capacityBytes) {
    this.cache = new StrictCache<>(capacityBytes, PageCache::weight);
  }

  /** The bytes a node is charged: its estimated size plus the entry overhead. */
  static int weight(Node n) {
    return n.bytes() + ENTRY_OVERHEAD_BYTES;
  }

  /** Whether the cache holds anything at all (false when its capacity is 0). */
  boolean enabled() {
    return cache.enabled();
  }

  Node get(int table, byte[] token, long nodeId) {
    return cache.enabled() ? cache.get(NodeKey.of(table, token, nodeId)) : null;
  }

  /** Caches {@code node} as the current version of its page, replacing any older one. */
  void put(int table, byte[] token, long nodeId, Node node) {
    if (cache.enabled()) {
      cache.put(NodeKey.of(table, token, nodeId), node);
    }
  }

  void invalidate(int table, byte[] token, long nodeId) {
    if (cache.enabled()) {
      cache.invalidate(NodeKey.of(table, token, nodeId));
    }
  }

  /** Drops every node of table {@code table} (after the table is deleted). */
  public void invalidateTable(int table) {
    cache.invalidateIf(k -> k.table == table);
  }

  /** The configured bound in bytes (0 when the cache is off). */
  public long capacityBytes() {
    return cache.capacityBytes();
  }

  /** A snapshot of the cache's counters. */
  public PageCacheStats stats() {
    return new PageCacheStats(
        cache.capacityBytes(),
        cache.residentBytes(),
        cache.peakResidentBytes(),
        cache.size(),
        cache.hits(),
        cache.misses(),
        cache.evictions());
  }

  /**
   * The weighted size in bytes according to Caffeine, after pending evictions ran: the sum of the
   * weights of the cached nodes (for tests and diagnostics).
   */
  public long weightedSize() {
    return cache.weightedSize();
  }

  /** The number of cached nodes, after pending evictions ran. */
  public long nodeCount() {
    return cache.count();
  }

  /** Drops everything. */
  public void clear() {
    cache.clear();
  }

  /** The key of a cached node. */
  private record NodeKey(int table, long tokenHigh, long tokenLow, long nodeId) {
    static NodeKey of(int table, byte[] token, long nodeId) {
      ByteBuffer b = ByteBuffer.wrap(token);
      return new NodeKey(table, b.getLong(0), b.getLong(8), nodeId);
    }
  }
}
