package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.internal.record.TableRecords;
import dev.coffer.proto.LeafEntry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write path: puts or deletes one entry in one partition. The caller holds the partition's
 * write lock. Every change, splits and merges included, is one atomic write of the table's records
 * ({@link TableRecords.NodeWrites}), so a crash leaves the partition either before or after the
 * change.
 *
 * <p>A small change to a multi-item leaf appends a sealed delta record to the node ({@link
 * TableRecords#appendPut}) instead of rewriting the leaf; after {@code foldThreshold} deltas (by
 * default {@value #DEFAULT_FOLD_THRESHOLD}), or when the leaf must split or shrink, the next change
 * folds them into a rewritten leaf, whose write replaces the node and with it the appended records.
 * Thread-safe (stateless apart from its collaborators).
 */
public final class PartitionWriter {
  /** How many delta records a leaf may have before the next change folds them in, by default. */
  public static final int DEFAULT_FOLD_THRESHOLD = 8;

  private static final SecureRandom OFFSETS = new SecureRandom();

  private final NodeReader reader;
  private final PageCache cache;
  private final int foldThreshold;
  private final boolean deltaRecords;

  /** The engine's write path: delta records on, folded after {@value #DEFAULT_FOLD_THRESHOLD}. */
  public PartitionWriter(NodeReader reader, PageCache cache) {
    this(reader, cache, DEFAULT_FOLD_THRESHOLD, true);
  }

  /**
   * A write path with another fold threshold, or without delta records (every change rewrites its
   * leaf): for measuring what delta records do.
   */
  PartitionWriter(NodeReader reader, PageCache cache, int foldThreshold, boolean deltaRecords) {
    this.reader = reader;
    this.cache = cache;
    this.foldThreshold = foldThreshold;
    this.deltaRecords = deltaRecords;
  }

  /** Inserts or replaces {@code entry}; returns the entry it replaced, or null. */
  public LeafEntry put(TableContext t, byte[] token, LeafEntry entry) {
    Entry old = put(t, token, Entry.of(entry));
    return old == null ? null : old.toProto();
  }

  /** Inserts or replaces {@code entry}; returns the entry it replaced, or null. */
  public Entry put(TableContext t, byte[] token, Entry entry) {
    return apply(t, token, entry.sortKey(), entry);
  }

  /**
   * Puts {@code entry} into a partition of a table without a sort key, without reading the
   * partition: such a partition is one root leaf holding one item, never has delta records (they
   * are written only for tables with a sort key) and never splits (a single entry cannot), so
   * whatever it held, the new state is exactly that root leaf with {@code entry}, next node id 1,
   * height 1 and delta base 0 — what {@link #put} would write after reading it (the random
   * offsets of a new partition are only for tables with a sort key).
   */
  public void replaceSingleItemPartition(TableContext t, byte[] token, Entry entry) {
    if (t.schema().hasSortKey()) {
      throw new IllegalArgumentException("table " + t.name() + " has a sort key");
    }
    writeNewPartition(t, token, entry);
  }

  /** Deletes the entry with {@code sortKey}; returns it, or null when there was none. */
  public Entry delete(TableContext t, byte[] token, ByteString sortKey) {
    return apply(t, token, sortKey, null);
  }

  private Entry apply(TableContext t, byte[] token, ByteString sortKey, Entry put) {
    // Phase 1: find the leaf. An absent root means an empty partition.
    Node root = reader.read(t, token, 0);
    if (root == null) {
      if (put != null) {
        writeNewPartition(t, token, put);
      }
      return null;
    }
    TreePath path = TreePath.descend(reader, t, token, root, sortKey);
    Node leaf = path.leaf();
    int pos = leaf.find(sortKey);
    Entry old = pos >= 0 ? leaf.entries().get(pos) : null;
    if (put == null && old == null) {
      return null;
    }

    // Phase 2: the leaf's entries after the change.
    List<Entry> changed = new ArrayList<>(leaf.entries());
    if (put == null) {
      changed.remove(pos);
    } else if (pos >= 0) {
      changed.set(pos, put);
    } else {
      changed.add(-pos - 1, put);
    }

    // Phase 3: a small change to a multi-item leaf becomes a delta record.
    int changedBytes = leaf.bytes() - (old != null ? Node.entryBytes(old) : 0) + (put != null ? Node.entryBytes(put) : 0);
    if (fitsDelta(t, path, leaf, changed.size(), changedBytes, put != null)) {
      appendDelta(t, token, path.leafId(), leaf, changed, changedBytes, put, sortKey);
      return old;
    }

    // Phase 4: fold the deltas and the change into the leaf; split, merge and shrink up the path.
    TreeRebalancer.Changes changes = new TreeRebalancer(reader, t, token).rebuild(path, changed);

    // Phase 5: seal every new page and write everything in one batch.
    writeChanges(t, token, changes);
    return old;
  }

  /** Whether the change fits a delta record; {@code bytes} is {@code Node.leafBytes} of the changed leaf. */
  boolean fitsDelta(TableContext t, TreePath path, Node leaf, int entries, int bytes, boolean isPut) {
    int target = t.pageTargetBytes();
    if (!deltaRecords || !t.schema().hasSortKey() || leaf.deltaCount() >= foldThreshold || entries < 2) {
      return false;
    }
    if (bytes > target) {
      return false; // must split
    }
    // a delete that leaves the leaf under three quarters full folds, so the leaf can merge with a sibling
    return isPut || bytes >= target * 3 / 4 || path.leafLevel() == 0;
  }

  private void appendDelta(TableContext t, byte[] token, long leafId, Node leaf, List<Entry> changed,
      int changedBytes, Entry put, ByteString sortKey) {
    long seq = leaf.nextDeltaSeq();
    if (put != null) {
      t.records().appendPut(token, leafId, seq, put);
    } else {
      t.records().appendDelete(token, leafId, seq, sortKey);
    }
    if (cache.enabled()) {
      cache.put(t.serial(), token, leafId, Node.leafOwning(changed, leaf.nextNodeId(), leaf.height(),
          leaf.deltaSeqBase(), leaf.deltaCount() + 1, changedBytes));
    }
  }

  private void writeNewPartition(TableContext t, byte[] token, Entry entry) {
    Node root = newRoot(t, entry);
    t.records().putNode(token, 0, root);
    cache.put(t.serial(), token, 0, root);
  }

  /** The root leaf of a new partition holding {@code entry}. */
  static Node newRoot(TableContext t, Entry entry) {
    // Only a table with a sort key has delta records and child pages; a partition of a table
    // without one is a single root leaf read by one point read, so it needs no offsets.
    boolean tree = t.schema().hasSortKey();
    return Node.leaf(List.of(entry), tree ? freshOffset() : 1, 1, tree ? freshOffset() : 0, 0);
  }

  /**
   * The staging entry point (transactions, batches, conditional writes): changes to partition
   * {@code token} are applied to an in-memory view of the partition and staged into {@code batch},
   * which the caller commits together with other partitions' changes; the page cache follows in
   * {@link PartitionStage#afterCommit}. The caller holds the partition's write lock from the first
   * read through {@code afterCommit}.
   */
  public PartitionStage stage(TableContext t, byte[] token, RecordBatch batch) {
    return new PartitionStage(this, reader, cache, t, token, batch);
  }

  /**
   * A random start for a new partition's node ids or delta sequence numbers: 48 random bits, never
   * 0. A partition emptied and created again must not reuse its earlier incarnation's node ids or
   * delta numbers, or that incarnation's records (whose associated data would be identical) would
   * open as part of the new one; with random starts they match with negligible probability. 48
   * bits leave 2^63 - 2^48 increments before a counter could overflow.
   */
  static long freshOffset() {
    long v;
    do {
      v = OFFSETS.nextLong() & ((1L << 48) - 1);
    } while (v == 0);
    return v;
  }

  private void writeChanges(TableContext t, byte[] token, TreeRebalancer.Changes changes) {
    boolean written = false;
    try {
      TableRecords.NodeWrites writes = t.records().writes(token);
      for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
        writes.put(e.getKey(), e.getValue());
      }
      // A node written again loses its appended delta records with the put; one merged away is deleted.
      for (long id : changes.consumed().keySet()) {
        if (!changes.writes().containsKey(id)) {
          writes.delete(id);
        }
      }
      writes.commit();
      written = true;
    } finally {
      // Phase 6: the cache follows the batch. After a success it holds the nodes just written
      // (what reading them back would give: no delta records yet), so the next change to the
      // partition does not read and open them again; after a failure, when the state is unknown,
      // every touched node is dropped.
      for (long id : changes.consumed().keySet()) {
        if (!written || !changes.writes().containsKey(id)) {
          cache.invalidate(t.serial(), token, id);
        }
      }
      for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
        if (written) {
          cache.put(t.serial(), token, e.getKey(), e.getValue());
        } else {
          cache.invalidate(t.serial(), token, e.getKey());
        }
      }
    }
  }
}
