package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.internal.record.TableRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one partition staged into a caller-supplied {@link RecordBatch}: the write path of
 * {@link PartitionWriter} (delta records, folds, splits and merges alike), except that nothing is
 * written until the caller commits the batch, so that several partitions, of one table or of
 * several, change in ONE atomic commit (TransactWriteItems, BatchWriteItem, and the conditional
 * writes, which read the old item and write in one descent).
 *
 * <p>Each change reads the partition through an overlay: the nodes this stage already changed, then
 * the page cache and the stored records. So several changes to one partition (two items of a
 * transaction in the same partition) build on each other exactly as consecutive writes would. The
 * shared page cache is not touched until {@link #afterCommit}: after a successful commit it gets
 * the nodes written (and loses the ones deleted); after a failed or abandoned commit every touched
 * node is dropped from it.
 *
 * <p>With the partition metadata ({@link PartitionMetadata}) held, the descent takes the inner
 * nodes from it, as the writer's read path does, until this stage changes the tree's structure (a
 * fold, split or merge); then it reads through the overlay. Delta records are numbered exactly,
 * from the leaf read ({@code Node.nextDeltaSeq}); after the commit the metadata's slots of the
 * leaves appended to become exact, and after any structural change or a failed commit the
 * partition's metadata is dropped ({@link PartitionWriter#afterStage}), so a later write that does
 * not read never numbers a record with a number this stage used.
 *
 * <p>Usage, with the partition's write lock held throughout:
 *
 * <pre>{@code
 * RecordBatch batch = RecordBatch.create();
 * PartitionStage stage = partitions.writer().stage(table, token, batch);
 * Entry old = stage.get(sortKey);          // the current entry, or null
 * stage.put(newEntry);                     // or stage.delete(sortKey)
 * boolean committed = false;
 * try { store.commit(batch); committed = true; } finally { stage.afterCommit(committed); }
 * }</pre>
 *
 * <p><b>On a shared backend</b> ({@code docs/scale-out.md}) the in-process lock orders only this
 * process's writers. There the stage reads the partition's root fresh (with its version), stages no
 * delta records and nothing into the batch, and {@link #commitShared()} writes the changes
 * copy-on-write and swaps the root on the version read ({@link SharedStage}); when another instance
 * swapped it first, it throws {@link dev.coffer.internal.record.RecordConflictException} and the
 * caller reads, decides and stages again, in a new stage.
 *
 * <p>Not thread-safe: one stage belongs to one change under one lock.
 */
public final class PartitionStage {
  private final PartitionWriter writer;
  private final PageCache cache;
  private final TableContext table;
  private final byte[] token;
  private final TableRecords.NodeWrites writes;
  private final Overlay overlay;

  /** The shared-backend half, or null on a store this process owns alone. */
  private final SharedStage shared;

  private boolean finished;

  /** Whether a staged change wrote or deleted whole nodes (not only appended delta records). */
  private boolean structural;

  /** What {@link #get} found for {@link #lastKey}, valid until the next change. */
  private Found last;

  private ByteString lastKey;

  /** Where {@link #lastKey} is (or would be) in the leaf of {@link #last}, as Node.find says. */
  private int lastPos;

  PartitionStage(
      PartitionWriter writer,
      NodeReader shared,
      PageCache cache,
      TableContext table,
      byte[] token,
      RecordBatch batch) {
    this.writer = writer;
    this.cache = cache;
    this.table = table;
    this.token = token;
    this.writes = table.records().stage(token, batch);
    this.overlay = new Overlay(shared, cache);
    this.shared = table.records().shared() == null ? null : new SharedStage(table, token, cache);
  }

  /**
   * Whether this stage is on a shared backend: then the caller commits it with {@link
   * #commitShared()} (not through the batch) and retries from a new stage on a conflict.
   */
  public boolean onSharedBackend() {
    return shared != null;
  }

  /**
   * On a shared backend: writes the staged changes copy-on-write and swaps the partition's root on
   * the version this stage read; the page cache follows. Nothing when nothing was staged.
   *
   * @throws dev.coffer.internal.record.RecordConflictException when another writer swapped the root
   *     first (nothing of this stage is left behind: read, decide and stage again)
   */
  public void commitShared() {
    checkOpen();
    if (shared == null) {
      throw new IllegalStateException("not a stage on a shared backend");
    }
    if (changed()) {
      shared.commit(overlay.staged, overlay);
    }
  }

  /** The table of this stage. */
  public TableContext table() {
    return table;
  }

  /** The partition token of this stage (not a copy: do not change it). */
  public byte[] token() {
    return token;
  }

  /**
   * The entry with {@code sortKey} as the staged changes leave it, or null. The path found is kept
   * for a change of the same entry that follows at once (a conditional write reads, then writes:
   * one descent).
   */
  public Entry get(ByteString sortKey) {
    checkOpen();
    last = null;
    lastKey = null;
    Found found = find(sortKey);
    if (found == null) {
      return null;
    }
    Node leaf = found.leaf();
    int pos = leaf.find(sortKey);
    last = found;
    lastKey = sortKey;
    lastPos = pos;
    return pos >= 0 ? leaf.entries().get(pos) : null;
  }

  /**
   * The leaf whose range holds a sort key, its id and level; {@code path} is the whole path from
   * the root when it was built (a change that rewrites the tree needs it), null when the leaf was
   * routed to through the partition metadata.
   */
  private record Found(TreePath path, long leafId, Node leaf, int leafLevel) {}

  /**
   * The leaf for {@code sortKey} as the staged changes leave the partition, or null when it is
   * empty. While the metadata is held and this stage has not changed the tree's structure, the
   * metadata routes to the leaf (no inner node is materialized, as {@link PartitionWriter#putBlind}
   * routes); otherwise {@link #descend}.
   */
  private Found find(ByteString sortKey) {
    if (!structural && shared == null) {
      PartitionState s = writer.stateForStage(table, token, sortKey);
      if (s != null && s.root != null) {
        PartitionState.Route r = s.route(sortKey);
        if (r.found()) {
          Node leaf = overlay.readRequired(table, token, r.leafId());
          if (leaf.isLeaf()) {
            return new Found(null, r.leafId(), leaf, s.height - 1);
          }
        }
      }
    }
    TreePath path = descend(sortKey);
    return path == null ? null : new Found(path, path.leafId(), path.leaf(), path.leafLevel());
  }

  /**
   * Stages the insertion or replacement of {@code entry}; returns the entry it replaces, or null.
   */
  public Entry put(Entry entry) {
    checkOpen();
    return apply(entry.sortKey(), entry);
  }

  /**
   * Stages the deletion of the entry with {@code sortKey}; returns it, or null when there is none.
   */
  public Entry delete(ByteString sortKey) {
    checkOpen();
    return apply(sortKey, null);
  }

  /** Whether any change was staged. */
  public boolean changed() {
    return !overlay.staged.isEmpty();
  }

  /**
   * After the batch was committed ({@code committed}) or not: the page cache holds the nodes just
   * written and drops the deleted ones, or, when the commit failed or was abandoned, drops every
   * node this stage touched (their state on disk is then the old one, or unknown). Call once.
   */
  public void afterCommit(boolean committed) {
    if (finished) {
      return;
    }
    finished = true;
    if (shared != null) {
      return; // commitShared() updated the cache; a stage that failed touched nothing in it
    }
    if (overlay.staged.isEmpty()) {
      return; // nothing staged: nothing written, nothing to forget
    }
    for (Map.Entry<Long, Node> e : overlay.staged.entrySet()) {
      if (committed && e.getValue() != null) {
        cache.put(table.serial(), token, e.getKey(), e.getValue());
      } else {
        cache.invalidate(table.serial(), token, e.getKey());
      }
    }
    writer.afterStage(table, token, overlay.staged, !structural, committed);
  }

  /**
   * The path to {@code sortKey} as the staged changes leave the partition, or null when it is
   * empty: inner nodes from the partition metadata while this stage has not changed the structure,
   * leaves (and inner nodes the metadata does not hold) through the overlay.
   */
  private TreePath descend(ByteString sortKey) {
    // on a shared backend the metadata could be stale (other instances swap the root): never used
    PartitionState s =
        structural || shared != null ? null : writer.stateForStage(table, token, sortKey);
    if (s != null && s.root != null) {
      return TreePath.descendFrom(
          id -> PartitionWriter.heldInner(s, id),
          overlay,
          table,
          token,
          PartitionWriter.heldInner(s, 0),
          0,
          sortKey);
    }
    Node root = overlay.read(table, token, 0);
    return root == null ? null : TreePath.descend(overlay, table, token, root, sortKey);
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException(
          "the stage of partition " + TableRecords.location(token, 0) + " is finished");
    }
  }

  /** PartitionWriter's phases 1 to 5, staged: the same tree, delta records and folds. */
  private Entry apply(ByteString sortKey, Entry put) {
    Found known = sortKey.equals(lastKey) ? last : null;
    int knownPos = lastPos; // the position get() found in the known leaf: no second search
    last = null; // every change below invalidates what get() found
    lastKey = null;
    Found found = known != null ? known : find(sortKey);
    if (found == null) {
      if (put != null) {
        Node newRoot =
            shared != null ? SharedStage.newRoot(put) : PartitionWriter.newRoot(table, put);
        if (shared == null) {
          writes.put(0, newRoot);
        }
        overlay.staged.put(0L, newRoot);
        structural = true;
      }
      return null;
    }
    Node leaf = found.leaf();
    int pos = known != null ? knownPos : leaf.find(sortKey);
    Entry old = pos >= 0 ? leaf.entries().get(pos) : null;
    if (put == null && old == null) {
      return null;
    }
    List<Entry> changed = new ArrayList<>(leaf.entries());
    if (put == null) {
      changed.remove(pos);
    } else if (pos >= 0) {
      changed.set(pos, put);
    } else {
      changed.add(-pos - 1, put);
    }
    int changedBytes =
        leaf.bytes()
            - (old != null ? Node.entryBytes(old) : 0)
            + (put != null ? Node.entryBytes(put) : 0);
    if (shared == null
        && writer.fitsDelta(
            table, leaf, changed.size(), changedBytes, put != null, found.leafLevel() == 0)) {
      long seq = leaf.nextDeltaSeq();
      long leafId = found.leafId();
      if (put != null) {
        writes.appendPut(leafId, seq, put);
      } else {
        writes.appendDelete(leafId, seq, sortKey);
      }
      overlay.staged.put(
          leafId,
          Node.leafOwning(
              changed,
              leaf.nextNodeId(),
              leaf.height(),
              leaf.deltaSeqBase(),
              leaf.deltaCount() + 1,
              TableRecords.deltaSeqAfter(seq),
              changedBytes));
      return old;
    }
    // the whole path (built before this stage counts as structural: from the metadata's nodes)
    TreePath path = found.path() != null ? found.path() : descend(sortKey);
    structural = true;
    TreeRebalancer.Changes changes =
        new TreeRebalancer(overlay, table, token).rebuild(path, changed);
    for (Map.Entry<Long, Node> e : changes.writes().entrySet()) {
      if (shared == null) {
        writes.put(e.getKey(), e.getValue());
      }
      overlay.staged.put(e.getKey(), e.getValue());
    }
    for (long id : changes.consumed().keySet()) {
      if (!changes.writes().containsKey(id)) {
        if (shared == null) {
          writes.delete(id);
        }
        overlay.staged.put(id, null);
      }
    }
    return old;
  }

  /**
   * Reads the staged version of a node when there is one (null for a node staged for deletion),
   * else the shared reader's (page cache, then the stored record).
   */
  private final class Overlay extends NodeReader {
    private final NodeReader shared;
    private final Map<Long, Node> staged = new HashMap<>();

    Overlay(NodeReader shared, PageCache cache) {
      super(cache);
      this.shared = shared;
    }

    @Override
    public Node read(TableContext t, byte[] partition, long nodeId) {
      if (t != table || !Arrays.equals(partition, token)) {
        throw new IllegalArgumentException("a stage reads its own partition only");
      }
      if (staged.containsKey(nodeId)) {
        return staged.get(nodeId);
      }
      if (PartitionStage.this.shared != null) {
        if (nodeId == 0) {
          return PartitionStage.this.shared.root(); // with its version, for the swap
        }
        PartitionStage.this.shared.readStored(nodeId);
      }
      return shared.read(t, partition, nodeId);
    }
  }
}
