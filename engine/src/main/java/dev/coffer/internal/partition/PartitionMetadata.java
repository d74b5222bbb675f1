package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.PartitionMetadataStats;
import dev.coffer.internal.catalog.TableContext;
import java.nio.ByteBuffer;

/**
 * The partition metadata: for partitions of tables with a sort key, what a put needs to append a
 * delta record without reading anything ({@link PartitionState}: the inner nodes as compact routing
 * copies, and per leaf its next delta number and what is known of its size), and what lets a get
 * read only its leaf. Byte-bounded as strictly as the page cache ({@link StrictCache}), with its
 * own bound ({@code CofferOptions.partitionMetadataBytes}); the coldest partitions are evicted and
 * their state is read again on demand (one read of the root, and of the inner nodes on the way in
 * trees of three levels or more). With a bound of 0 it holds nothing, and every put reads its path
 * first.
 *
 * <p>A state is loaded by whoever first needs it: a writer under the partition's write lock, or a
 * reader under its read lock (several readers may load at once; the first one stored wins).
 * Thread-safe.
 */
public final class PartitionMetadata {
  private final StrictCache<Key, PartitionState> cache;

  /** Metadata of at most {@code capacityBytes}; 0 turns it off. */
  public PartitionMetadata(long capacityBytes) {
    this.cache = new StrictCache<>(capacityBytes, s -> s.weight);
  }

  boolean enabled() {
    return cache.enabled();
  }

  /** The state held for the partition, or null. */
  PartitionState get(int table, byte[] token) {
    return cache.enabled() ? cache.get(Key.of(table, token)) : null;
  }

  void put(int table, byte[] token, PartitionState state) {
    cache.put(Key.of(table, token), state);
  }

  PartitionState putIfAbsent(int table, byte[] token, PartitionState state) {
    return cache.putIfAbsent(Key.of(table, token), state);
  }

  void invalidate(int table, byte[] token) {
    cache.invalidate(Key.of(table, token));
  }

  /** Drops every partition of table {@code table} (after the table is deleted). */
  public void invalidateTable(int table) {
    cache.invalidateIf(k -> k.table == table);
  }

  /** Drops everything. */
  public void clear() {
    cache.clear();
  }

  /** A snapshot of the counters. */
  public PartitionMetadataStats stats() {
    return new PartitionMetadataStats(
        cache.capacityBytes(),
        cache.residentBytes(),
        cache.peakResidentBytes(),
        cache.size(),
        cache.hits(),
        cache.misses(),
        cache.evictions());
  }

  /** The weighted size according to Caffeine, after pending evictions ran (tests). */
  long weightedSize() {
    return cache.weightedSize();
  }

  /**
   * The leaf of partition {@code token} whose range holds {@code sortKey}, for a reader holding the
   * partition's read lock, or null when the partition is empty. With the partition's state held (or
   * loaded now from its root, then kept), the inner nodes are not read again: one read of the leaf
   * (or none, from the page cache).
   */
  Node leafFor(NodeReader reader, TableContext t, byte[] token, ByteString sortKey, LeafSeen seen) {
    if (!cache.enabled() || !t.schema().hasSortKey()) {
      // without a sort key a partition is its root leaf: nothing to route, and writers of such
      // tables keep no metadata (so a state held here would not follow their changes)
      Node root = reader.read(t, token, 0);
      return root == null ? null : TreePath.descend(reader, t, token, root, sortKey).leaf();
    }
    PartitionState s = get(t.serial(), token);
    if (s == null) {
      Node root = reader.read(t, token, 0);
      if (root == null) {
        return null;
      }
      s = putIfAbsent(t.serial(), token, PartitionState.ofRoot(root, t.records().newEpochSeq()));
      if (root.isLeaf()) {
        return root;
      }
    }
    PartitionState.Route r = s.route(sortKey);
    if (r.found()) {
      Node leaf = reader.cached(t, token, r.leafId());
      if (leaf != null) {
        return leaf; // opened nothing
      }
      leaf = reader.load(t, token, r.leafId());
      if (leaf == null) {
        leaf = reader.readRequired(t, token, r.leafId()); // missing: fails as every read does
      }
      seen.opened(r.leafId(), leaf);
      return leaf;
    }
    // an inner node below the root that the state does not hold: descend from it
    Node inner = reader.readRequired(t, token, r.missingId());
    return TreePath.descendFrom(id -> null, reader, t, token, inner, r.missingId(), sortKey).leaf();
  }

  /** What a reader opened: leaf {@code leafId} as it read it from the store (not the cache). */
  interface LeafSeen {
    void opened(long leafId, Node leaf);
  }

  /**
   * The state of partition {@code token} for a writer holding its write lock, with every inner node
   * on the way to {@code sortKey} held, loading what is missing; null when the partition is empty
   * or the metadata is off.
   */
  PartitionState forWriter(NodeReader reader, TableContext t, byte[] token, ByteString sortKey) {
    if (!cache.enabled()) {
      return null;
    }
    PartitionState s = get(t.serial(), token);
    if (s == null) {
      Node root = reader.read(t, token, 0);
      if (root == null) {
        return null;
      }
      s = PartitionState.ofRoot(root, t.records().newEpochSeq());
      put(t.serial(), token, s);
    }
    for (PartitionState.Route r = s.route(sortKey); !r.found(); r = s.route(sortKey)) {
      Node inner = reader.readRequired(t, token, r.missingId());
      s = s.withBelow(Routing.of(r.missingId(), inner, s.leafParentLevel(r.missingLevel())));
      put(t.serial(), token, s);
    }
    return s;
  }

  /** The key of a partition's state. */
  private record Key(int table, long tokenHigh, long tokenLow) {
    static Key of(int table, byte[] token) {
      ByteBuffer b = ByteBuffer.wrap(token);
      return new Key(table, b.getLong(0), b.getLong(8));
    }
  }
}
