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
 *
 * <p><b>Writes that do not read</b> ({@link #putBlind}): for a table with a sort key, the
 * partition's metadata ({@link PartitionMetadata}) routes the sort key to its leaf and gives the
 * leaf's next delta number, so a put without ReturnValues seals one delta record and appends it,
 * with no read and no decryption. A partition whose metadata is not held is read once (its root,
 * and the inner nodes on the way in deeper trees), then kept. Leaves the metadata has not read get
 * delta numbers from a new epoch ({@code DeltaSequence}); at most the hard bound of them, and at
 * most a page target's worth of entry bytes, before the leaf is read and folded.
 *
 * <p><b>Folding off the foreground</b>: a leaf that reaches {@code foldThreshold} delta records is
 * handed to the {@link BackgroundFolder}; a writer folds it itself only at the hard bound (twice
 * the threshold), when the background thread is behind. Without a folder the next writer folds at
 * the threshold. Thread-safe (stateless apart from its collaborators).
 */
public final class PartitionWriter {
  /** How many delta records a leaf may have before the next change folds them in, by default. */
  public static final int DEFAULT_FOLD_THRESHOLD = 8;

  private static final SecureRandom OFFSETS = new SecureRandom();

  private final NodeReader reader;
  private final PageCache cache;
  private final PartitionMetadata meta;
  private final int foldThreshold;
  private final int hardBound;
  private final boolean deltaRecords;
  private final SharedPartitionWriter shared;
  private final BackgroundFolder folder;

  /**
   * The engine's write path: delta records on; a leaf with {@value #DEFAULT_FOLD_THRESHOLD} of them
   * is folded by {@code folder} (when not null; then writers fold themselves at twice that), else
   * by the next writer.
   */
  PartitionWriter(
      NodeReader reader, PageCache cache, PartitionMetadata meta, BackgroundFolder folder) {
    this(reader, cache, meta, folder, DEFAULT_FOLD_THRESHOLD, true);
  }

  /**
   * A write path with another fold threshold, or without delta records (every change rewrites its
   * leaf): for measuring what delta records do.
   */
  PartitionWriter(
      NodeReader reader,
      PageCache cache,
      PartitionMetadata meta,
      BackgroundFolder folder,
      int foldThreshold,
      boolean deltaRecords) {
    this.reader = reader;
    this.cache = cache;
    this.meta = meta;
    this.folder = folder;
    this.foldThreshold = foldThreshold;
    this.hardBound = folder != null ? 2 * foldThreshold : foldThreshold;
    this.deltaRecords = deltaRecords;
    this.shared = new SharedPartitionWriter(reader, cache);
  }

  /** Inserts or replaces {@code entry}; returns the entry it replaced, or null. */
  public LeafEntry put(TableContext t, byte[] token, LeafEntry entry) {
    Entry old = put(t, token, Entry.of(entry));
    return old == null ? null : old.toProto();
  }

  /** Inserts or replaces {@code entry}; returns the entry it replaced, or null. */
  public Entry put(TableContext t, byte[] token, Entry entry) {
    if (t.records().shared() != null) {
      return shared.put(t, token, entry); // another instance may write the partition too
    }
    return apply(t, token, entry.sortKey(), entry, state(t, token, entry.sortKey()));
  }

  /**
   * Puts {@code entry} into a partition of a table without a sort key, without reading the
   * partition: such a partition is one root leaf holding one item, never has delta records (they
   * are written only for tables with a sort key) and never splits (a single entry cannot), so
   * whatever it held, the new state is exactly that root leaf with {@code entry}, next node id 1,
   * height 1 and delta base 0 — what {@link #put} would write after reading it (the random offsets
   * of a new partition are only for tables with a sort key).
   */
  public void replaceSingleItemPartition(TableContext t, byte[] token, Entry entry) {
    if (t.schema().hasSortKey()) {
      throw new IllegalArgumentException("table " + t.name() + " has a sort key");
    }
    if (t.records().shared() != null) {
      shared.replaceSingleItemPartition(t, token, entry);
      return;
    }
    writeNewPartition(t, token, entry);
  }

  /**
   * Inserts or replaces {@code entry} without returning what it replaced, reading nothing when the
   * partition's metadata is held and the leaf can take a delta record (see the class comment); a
   * table without a sort key is written as {@link #replaceSingleItemPartition} does.
   */
  public void putBlind(TableContext t, byte[] token, Entry entry) {
    if (t.records().shared() != null) {
      // no metadata on a shared backend (other instances change the tree): the copy-on-write path,
      // which for a table without a sort key is one blind write too
      if (t.schema().hasSortKey()) {
        shared.put(t, token, entry);
      } else {
        shared.replaceSingleItemPartition(t, token, entry);
      }
      return;
    }
    if (!t.schema().hasSortKey()) {
      writeNewPartition(t, token, entry);
      return;
    }
    ByteString sortKey = entry.sortKey();
    PartitionState s = state(t, token, sortKey);
    if (s == null || !deltaRecords) {
      apply(t, token, sortKey, entry, s); // no metadata, or an empty partition
      return;
    }
    PartitionState.Route r = s.route(sortKey);
    LeafSlots slots = r.slots();
    int i = r.index();
    Node cached = cache.get(t.serial(), token, r.leafId());
    if (cached != null) {
      appendKnown(t, token, s, r, cached, entry);
      return;
    }
    int e = Node.entryBytes(entry);
    int target = t.pageTargetBytes();
    long seq;
    switch (slots.kind(i)) {
      case LeafSlots.UNKNOWN:
        if (s.epochSeq < 0 || e > target) {
          apply(t, token, sortKey, entry, s);
          return;
        }
        seq = s.epochSeq;
        append(t, token, r.leafId(), seq, entry);
        slots.set(i, LeafSlots.COLD, seq + 1, 1, 0, e);
        return;
      case LeafSlots.COLD:
        if (slots.pending(i) >= hardBound || slots.bytes(i) + e > target) {
          apply(t, token, sortKey, entry, s);
          return;
        }
        seq = slots.nextSeq(i);
        append(t, token, r.leafId(), seq, entry);
        slots.set(i, LeafSlots.COLD, seq + 1, slots.pending(i) + 1, 0, slots.bytes(i) + e);
        askFold(t, token, r.leafId(), slots.pending(i));
        return;
      default:
        if (slots.pending(i) >= hardBound || slots.bytes(i) + e > target || slots.entries(i) < 2) {
          apply(t, token, sortKey, entry, s);
          return;
        }
        seq = slots.nextSeq(i);
        append(t, token, r.leafId(), seq, entry);
        slots.set(
            i,
            LeafSlots.EXACT,
            seq + 1,
            slots.pending(i) + 1,
            slots.entries(i),
            slots.bytes(i) + e);
        askFold(t, token, r.leafId(), slots.pending(i));
    }
  }

  /**
   * Hands a leaf with {@code pending} delta records to the background folder once it has enough.
   */
  private void askFold(TableContext t, byte[] token, long leafId, int pending) {
    if (folder != null && pending >= foldThreshold) {
      folder.request(t, token, leafId);
    }
  }

  /**
   * Folds leaf {@code leafId} of partition {@code token} when it still has at least {@code
   * minDeltas} delta records (the background folder's job: the soft bound when a writer asked, one
   * when readers did; the caller holds the partition's write lock). Returns whether it folded. When
   * the partition's metadata is not held (evicted, or never loaded), or does not hold the leaf's
   * parent, the leaf is read and the tree descended towards its first key; a leaf that is no longer
   * on that path (split, merged or emptied meanwhile) is left alone.
   */
  boolean foldLeaf(TableContext t, byte[] token, long leafId, int minDeltas) {
    PartitionState s = meta.get(t.serial(), token);
    PartitionState.Route slot = s == null ? null : s.slotOf(leafId);
    if (slot != null
        && slot.slots().kind(slot.index()) == LeafSlots.EXACT
        && slot.slots().pending(slot.index()) < minDeltas) {
      return false; // folded meanwhile
    }
    ByteString key =
        slot == null || slot.parent() == null
            ? (slot == null ? null : ByteString.EMPTY)
            : slot.parent().lowKeyOf(slot.index());
    if (key == null) {
      Node leaf = reader.read(t, token, leafId);
      if (leaf == null || !leaf.isLeaf() || leaf.entries().isEmpty()) {
        return false; // merged away or emptied (its id is not reused: ids only grow)
      }
      key = leaf.entries().get(0).sortKey();
    }
    TreePath path;
    if (s != null && s.root != null) {
      path =
          TreePath.descendFrom(id -> innerNode(s, id), reader, t, token, s.root.toNode(), 0, key);
    } else {
      Node root = reader.read(t, token, 0);
      if (root == null) {
        return false;
      }
      path = TreePath.descend(reader, t, token, root, key);
    }
    if (path.leafId() != leafId || path.leaf().deltaCount() < Math.max(1, minDeltas)) {
      return false;
    }
    writeChanges(
        t, token, new TreeRebalancer(reader, t, token).rebuild(path, path.leaf().entries()), s);
    return true;
  }

  /**
   * A blind put into a leaf the page cache holds: decided as a read put would be, without the read.
   */
  private void appendKnown(
      TableContext t,
      byte[] token,
      PartitionState s,
      PartitionState.Route r,
      Node leaf,
      Entry entry) {
    ByteString sortKey = entry.sortKey();
    int pos = leaf.find(sortKey);
    Entry old = pos >= 0 ? leaf.entries().get(pos) : null;
    List<Entry> changed = new ArrayList<>(leaf.entries());
    if (pos >= 0) {
      changed.set(pos, entry);
    } else {
      changed.add(-pos - 1, entry);
    }
    int changedBytes =
        leaf.bytes() - (old != null ? Node.entryBytes(old) : 0) + Node.entryBytes(entry);
    if (!fitsDelta(t, leaf, changed.size(), changedBytes, true, false)) {
      apply(t, token, sortKey, entry, s);
      return;
    }
    appendDelta(t, token, r.leafId(), leaf, changed, changedBytes, entry, sortKey, s);
  }

  /** Deletes the entry with {@code sortKey}; returns it, or null when there was none. */
  public Entry delete(TableContext t, byte[] token, ByteString sortKey) {
    if (t.records().shared() != null) {
      return shared.delete(t, token, sortKey);
    }
    return apply(t, token, sortKey, null, state(t, token, sortKey));
  }

  /** The partition's metadata with the path to {@code sortKey} held, or null (none, or empty). */
  private PartitionState state(TableContext t, byte[] token, ByteString sortKey) {
    return t.schema().hasSortKey() ? meta.forWriter(reader, t, token, sortKey) : null;
  }

  /**
   * The read path: reads the leaf (inner nodes from {@code s} when held), then appends or folds.
   */
  private Entry apply(
      TableContext t, byte[] token, ByteString sortKey, Entry put, PartitionState s) {
    // Phase 1: find the leaf. An absent root means an empty partition.
    TreePath path;
    if (s != null && s.root != null) {
      path =
          TreePath.descendFrom(
              id -> innerNode(s, id), reader, t, token, s.root.toNode(), 0, sortKey);
    } else {
      Node root = reader.read(t, token, 0);
      if (root == null) {
        if (put != null) {
          writeNewPartition(t, token, put);
        }
        return null;
      }
      path = TreePath.descend(reader, t, token, root, sortKey);
    }
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
    int changedBytes =
        leaf.bytes()
            - (old != null ? Node.entryBytes(old) : 0)
            + (put != null ? Node.entryBytes(put) : 0);
    if (fitsDelta(t, leaf, changed.size(), changedBytes, put != null, path.leafLevel() == 0)) {
      appendDelta(t, token, path.leafId(), leaf, changed, changedBytes, put, sortKey, s);
      return old;
    }

    // Phase 4: fold the deltas and the change into the leaf; split, merge and shrink up the path.
    TreeRebalancer.Changes changes = new TreeRebalancer(reader, t, token).rebuild(path, changed);

    // Phase 5: seal every new page and write everything in one batch.
    writeChanges(t, token, changes, s);
    return old;
  }

  private static Node innerNode(PartitionState s, long id) {
    Routing r = s.inner(id);
    return r == null ? null : r.toNode();
  }

  /**
   * Whether the change fits a delta record; {@code bytes} is {@code Node.leafBytes} of the changed
   * leaf.
   */
  boolean fitsDelta(
      TableContext t, Node leaf, int entries, int bytes, boolean isPut, boolean rootLeaf) {
    int target = t.pageTargetBytes();
    if (!deltaRecords
        || !t.schema().hasSortKey()
        || leaf.deltaCount() >= hardBound
        || entries < 2) {
      return false;
    }
    if (bytes > target) {
      return false; // must split
    }
    // a delete that leaves the leaf under three quarters full folds, so the leaf can merge with a
    // sibling
    return isPut || bytes >= target * 3 / 4 || rootLeaf;
  }

  /** Appends the delta record of a change to {@code leaf}, read or cached: its number is exact. */
  private void appendDelta(
      TableContext t,
      byte[] token,
      long leafId,
      Node leaf,
      List<Entry> changed,
      int changedBytes,
      Entry put,
      ByteString sortKey,
      PartitionState s) {
    long seq = leaf.nextDeltaSeq();
    try {
      if (put != null) {
        t.records().appendPut(token, leafId, seq, put);
      } else {
        t.records().appendDelete(token, leafId, seq, sortKey);
      }
    } catch (RuntimeException e) {
      forget(t, token, leafId);
      throw e;
    }
    Node updated =
        Node.leafOwning(
            changed,
            leaf.nextNodeId(),
            leaf.height(),
            leaf.deltaSeqBase(),
            leaf.deltaCount() + 1,
            TableRecords.deltaSeqAfter(seq),
            changedBytes);
    if (cache.enabled()) {
      cache.put(t.serial(), token, leafId, updated);
    }
    if (s != null) {
      PartitionState.Route slot = s.slotOf(leafId);
      if (slot != null) {
        slot.slots().exact(slot.index(), updated);
        askFold(t, token, leafId, updated.deltaCount());
      }
    }
  }

  /** Appends a delta record numbered by the metadata (the leaf not read). */
  private void append(TableContext t, byte[] token, long leafId, long seq, Entry entry) {
    try {
      t.records().appendPut(token, leafId, seq, entry);
    } catch (RuntimeException e) {
      forget(t, token, leafId);
      throw e;
    }
  }

  /**
   * After a failed write, whose outcome is unknown: nothing cached about the partition survives.
   */
  private void forget(TableContext t, byte[] token, long leafId) {
    cache.invalidate(t.serial(), token, leafId);
    meta.invalidate(t.serial(), token);
  }

  private void writeNewPartition(TableContext t, byte[] token, Entry entry) {
    Node root = newRoot(t, entry);
    try {
      t.records().putNode(token, 0, root);
    } catch (RuntimeException e) {
      forget(t, token, 0);
      throw e;
    }
    cache.put(t.serial(), token, 0, root);
    if (t.schema().hasSortKey()) {
      meta.put(t.serial(), token, PartitionState.ofRoot(root, root.deltaSeqBase()));
    }
  }

  /** The root leaf of a new partition holding {@code entry}. */
  static Node newRoot(TableContext t, Entry entry) {
    // Only a table with a sort key has delta records and child pages; a partition of a table
    // without one is a single root leaf read by one point read, so it needs no offsets.
    boolean tree = t.schema().hasSortKey();
    long base = 0;
    if (tree) {
      long epoch = t.records().newEpochSeq(); // above every delta number an earlier incarnation had
      base = epoch >= 0 ? epoch : freshOffset();
    }
    return Node.leaf(List.of(entry), tree ? freshOffset() : 1, 1, base, 0);
  }

  /**
   * The staging entry point (transactions, batches, conditional writes): changes to partition
   * {@code token} are applied to an in-memory view of the partition and staged into {@code batch},
   * which the caller commits together with other partitions' changes; the page cache and the
   * partition metadata follow in {@link PartitionStage#afterCommit}. The caller holds the
   * partition's write lock from the first read through {@code afterCommit}.
   */
  public PartitionStage stage(TableContext t, byte[] token, RecordBatch batch) {
    return new PartitionStage(this, reader, cache, t, token, batch);
  }

  /**
   * The partition's metadata for a stage's first descent towards {@code sortKey} (inner nodes on
   * the way loaded), or null: see {@link #state}.
   */
  PartitionState stateForStage(TableContext t, byte[] token, ByteString sortKey) {
    return deltaRecords ? state(t, token, sortKey) : null;
  }

  /** An inner node as the metadata holds it, or null to read it. */
  static Node heldInner(PartitionState s, long id) {
    return innerNode(s, id);
  }

  /**
   * The metadata follows a stage's commit, under the partition's write lock: after a committed
   * stage that only appended delta records to leaves ({@code appended}: each leaf as it now is),
   * their slots become exact (and leaves with enough records are handed to the folder); after any
   * other committed change, and after a failed or abandoned commit, the partition's state is
   * dropped: the next writer loads it again, with a new epoch, so no delta number is used twice.
   */
  void afterStage(
      TableContext t,
      byte[] token,
      Map<Long, Node> appended,
      boolean onlyAppends,
      boolean committed) {
    if (!t.schema().hasSortKey()) {
      return;
    }
    PartitionState s = meta.get(t.serial(), token);
    if (s == null) {
      return;
    }
    if (!committed || !onlyAppends) {
      meta.invalidate(t.serial(), token);
      return;
    }
    for (Map.Entry<Long, Node> e : appended.entrySet()) {
      PartitionState.Route slot = s.slotOf(e.getKey());
      if (slot != null) {
        slot.slots().exact(slot.index(), e.getValue());
      }
      // A leaf without a slot in this state has no delta record of the state's epoch (only a
      // slot appends in it), so a slot created later numbers from the epoch after this record.
      askFold(t, token, e.getKey(), e.getValue().deltaCount());
    }
  }

  /**
   * A random start for a new partition's node ids (and, where the backend has no write sequence,
   * delta sequence numbers): 48 random bits, never 0. A partition emptied and created again must
   * not reuse its earlier incarnation's node ids or delta numbers, or that incarnation's records
   * (whose associated data would be identical) would open as part of the new one; with random
   * starts they match with negligible probability. 48 bits leave 2^63 - 2^48 increments before a
   * counter could overflow.
   */
  static long freshOffset() {
    long v;
    do {
      v = OFFSETS.nextLong() & ((1L << 48) - 1);
    } while (v == 0);
    return v;
  }

  private void writeChanges(
      TableContext t, byte[] token, TreeRebalancer.Changes changes, PartitionState s) {
    boolean written = false;
    try {
      TableRecords.NodeWrites writes = t.records().writes(token);
      for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
        writes.put(e.getKey(), e.getValue());
      }
      // A node written again loses its appended delta records with the put; one merged away is
      // deleted.
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
      if (!written) {
        meta.invalidate(t.serial(), token);
      } else if (s != null) {
        afterChange(t, token, s, changes);
      }
    }
  }

  /**
   * The metadata follows a committed fold: exact slots for rewritten leaves, or a rebuilt state.
   */
  private void afterChange(
      TableContext t, byte[] token, PartitionState s, TreeRebalancer.Changes changes) {
    boolean structural = false;
    for (Map.Entry<Long, Node> e : changes.consumed().entrySet()) {
      structural |= !e.getValue().isLeaf() || !changes.writes().containsKey(e.getKey());
    }
    for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
      structural |= !e.getValue().isLeaf() || !changes.consumed().containsKey(e.getKey());
    }
    if (!structural) {
      for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
        PartitionState.Route slot = s.slotOf(e.getKey());
        if (slot == null) {
          structural = true;
          break;
        }
        slot.slots().exact(slot.index(), e.getValue());
      }
      if (!structural) {
        return;
      }
    }
    PartitionState next =
        s.rebuilt(changes.writes(), changes.consumed(), t.records().newEpochSeq());
    if (next == null) {
      meta.invalidate(t.serial(), token);
    } else {
      meta.put(t.serial(), token, next);
    }
  }
}
