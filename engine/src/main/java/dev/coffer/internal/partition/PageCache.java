package dev.coffer.internal.partition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;

/**
 * A byte-bounded cache of decrypted nodes (leaves with their deltas merged), keyed by table,
 * partition token and node id. Writers replace or invalidate every node they write, under the
 * partition lock, so a reader holding the partition lock never sees a stale node. With a capacity
 * of 0 it holds nothing: no plaintext page outlives the operation that read it. Thread-safe.
 */
public final class PageCache {
  private static final int ENTRY_OVERHEAD_BYTES = 96;

  private final Cache<NodeKey, Node> cache;
  private final long capacityBytes;

  /** A cache of at most {@code capacityBytes} (estimated); 0 turns it off. */
  public PageCache(long capacityBytes) {
    this.capacityBytes = Math.max(capacityBytes, 0);
    this.cache = capacityBytes <= 0
        ? null
        : Caffeine.newBuilder()
            .maximumWeight(capacityBytes)
            .weigher((NodeKey k, Node n) -> n.bytes() + ENTRY_OVERHEAD_BYTES)
            .executor(Runnable::run)
            .build();
  }

  /** Whether the cache holds anything at all (false when its capacity is 0). */
  boolean enabled() {
    return cache != null;
  }

  Node get(int table, byte[] token, long nodeId) {
    return cache == null ? null : cache.getIfPresent(NodeKey.of(table, token, nodeId));
  }

  void put(int table, byte[] token, long nodeId, Node node) {
    if (cache != null) {
      cache.put(NodeKey.of(table, token, nodeId), node);
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

  /** The configured bound in bytes (0 when the cache is off). */
  public long capacityBytes() {
    return capacityBytes;
  }

  /**
   * The weighted size in bytes, after pending evictions ran: the sum of the weights of the cached
   * nodes, never above {@link #capacityBytes()} (for tests and diagnostics).
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
