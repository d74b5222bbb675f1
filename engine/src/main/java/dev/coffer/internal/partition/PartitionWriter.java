package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.page.NodeRecords;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import dev.coffer.proto.DeltaRecord;
import dev.coffer.proto.LeafEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The write path: puts or deletes one entry in one partition. The caller holds the partition's
 * write lock. Every change, splits and merges included, is one RocksDB {@link WriteBatch}, so a
 * crash leaves the partition either before or after the change.
 *
 * <p>A small change to a multi-item leaf appends a sealed delta record to the node's value (a
 * RocksDB merge under {@code token || nodeId}; {@link NodeRecords}) instead of rewriting the leaf;
 * after {@link #FOLD_THRESHOLD} deltas, or when the leaf must split or shrink, the next change
 * folds them into a rewritten leaf, whose put replaces the value and with it the appended
 * records. Thread-safe (stateless apart from its collaborators).
 */
public final class PartitionWriter {
  /** How many delta records a leaf may have before the next change folds them in. */
  public static final int FOLD_THRESHOLD = Integer.getInteger("coffer.internal.foldThreshold", 8);

  /**
   * Delta records are on unless the system property {@code coffer.internal.disableDeltaRecords}
   * is {@code true}: a diagnostic switch for measuring their effect (docs/engine.md), not an option.
   */
  private static final boolean DELTA_RECORDS = !Boolean.getBoolean("coffer.internal.disableDeltaRecords");

  private final RocksStore store;
  private final NodeReader reader;
  private final PageCache cache;

  public PartitionWriter(RocksStore store, NodeReader reader, PageCache cache) {
    this.store = store;
    this.reader = reader;
    this.cache = cache;
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
  private static boolean fitsDelta(TableContext t, TreePath path, Node leaf, int entries, int bytes, boolean isPut) {
    int target = t.pageTargetBytes();
    if (!DELTA_RECORDS || !t.schema().hasSortKey() || leaf.deltaCount() >= FOLD_THRESHOLD || entries < 2) {
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
    byte[] sealed = put != null
        ? PageCodec.sealDeltaPut(t, token, leafId, seq, put)
        : PageCodec.sealDelta(t, token, leafId, seq,
            DeltaRecord.newBuilder().setFormatVersion(1).setDeleteSortKey(sortKey).build());
    store.merge(t.family(), RecordKeys.page(token, leafId), NodeRecords.of(sealed));
    if (cache.enabled()) {
      cache.put(t.serial(), token, leafId, Node.leafOwning(changed, leaf.nextNodeId(), leaf.height(),
          leaf.deltaSeqBase(), leaf.deltaCount() + 1, changedBytes));
    }
  }

  private void writeNewPartition(TableContext t, byte[] token, Entry entry) {
    // Only a table with a sort key has delta records and child pages; a partition of a table
    // without one is a single root leaf read by one point read, so it needs no offsets.
    boolean tree = t.schema().hasSortKey();
    Node root = Node.leaf(List.of(entry), tree ? freshOffset() : 1, 1, tree ? freshOffset() : 0, 0);
    byte[] sealed = PageCodec.sealPage(t, token, 0, root.encode(root.deltaSeqBase()));
    store.put(t.family(), RecordKeys.page(token, 0), NodeRecords.of(sealed));
    cache.put(t.serial(), token, 0, root);
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

  private static final java.security.SecureRandom OFFSETS = new java.security.SecureRandom();

  private void writeChanges(TableContext t, byte[] token, TreeRebalancer.Changes changes) {
    boolean written = false;
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
        Node n = e.getValue();
        batch.put(t.family(), RecordKeys.page(token, e.getKey()),
            NodeRecords.of(PageCodec.sealPage(t, token, e.getKey(), n.encode(n.deltaSeqBase()))));
      }
      // A node written again loses its appended delta records with the put; one merged away is deleted.
      for (long id : changes.consumed().keySet()) {
        if (!changes.writes().containsKey(id)) {
          batch.delete(t.family(), RecordKeys.page(token, id));
        }
      }
      store.write(batch);
      written = true;
    } catch (RocksDBException e) {
      throw new dev.coffer.StorageException("Cannot build a write batch: " + e.getMessage(), e);
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
