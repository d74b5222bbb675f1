package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Map;

/**
 * What the engine keeps in memory about one partition of a table with a sort key, so that a put
 * needs no read ({@link PartitionMetadata}): the root's routing (a compact copy of the inner root,
 * or the root leaf's slot when the root is a leaf), inner nodes below the root that were needed
 * (trees of three levels or more), and, per leaf, its next delta number and what is known of its
 * size ({@link LeafSlots}). The epoch ({@link #epochSeq}) numbers the delta records appended to
 * leaves this state has not read.
 *
 * <p>Invariant that keeps delta numbers unique: within one state, a leaf's slot, once used, is
 * never forgotten; a state rebuilt after its structure changed takes a new epoch. The structure
 * (routing, the set of inner nodes, the slot arrays) never changes in place, so the weight stays
 * what it was when the state entered the cache; slots change in place under the partition's write
 * lock. Readers (under the read lock) only read the routing.
 */
final class PartitionState {
  /**
   * Bytes of the state object (40) and what the cache holds around it: its key (32), Caffeine's
   * node (48), the hash map's node (32) and its share of the table (8), with compressed references.
   */
  private static final int OVERHEAD_BYTES = 40 + 32 + 48 + 32 + 8;

  /**
   * Bytes of the map of inner nodes below the root, when there are any (none: a shared empty map).
   */
  private static final int BELOW_MAP_BYTES = 96;

  private static final int BELOW_ENTRY_BYTES = 48;

  /** The first delta number of this state's epoch; -1 when the backend gives none (read first). */
  final long epochSeq;

  /** The tree's height (1: the root is a leaf). */
  final int height;

  /** The inner root, or null when the root is a leaf. */
  final Routing root;

  /** The root leaf's slot (one), when the root is a leaf; else null. */
  final LeafSlots rootLeaf;

  private final Map<Long, Routing> below;
  final int weight;

  private PartitionState(
      long epochSeq, int height, Routing root, LeafSlots rootLeaf, Map<Long, Routing> below) {
    this.epochSeq = epochSeq;
    this.height = height;
    this.root = root;
    this.rootLeaf = rootLeaf;
    this.below = below;
    int w =
        OVERHEAD_BYTES
            + (root == null ? 0 : root.weight())
            + (rootLeaf == null ? 0 : rootLeaf.weight())
            + (below.isEmpty() ? 0 : BELOW_MAP_BYTES);
    for (Routing r : below.values()) {
      w += r.weight() + BELOW_ENTRY_BYTES;
    }
    this.weight = w;
  }

  /** The state of a partition whose root (node 0) is {@code root}, as just read or written. */
  static PartitionState ofRoot(Node root, long epochSeq) {
    if (root.isLeaf()) {
      LeafSlots slot = new LeafSlots(1);
      slot.exact(0, root);
      return new PartitionState(epochSeq, 1, null, slot, Map.of());
    }
    return new PartitionState(
        epochSeq, root.height(), Routing.of(0, root, root.height() == 2), null, Map.of());
  }

  /** This state with inner node {@code r} (below the root) added; same epoch. */
  PartitionState withBelow(Routing r) {
    Map<Long, Routing> more = new HashMap<>(below);
    more.put(r.id, r);
    return new PartitionState(epochSeq, height, root, rootLeaf, Map.copyOf(more));
  }

  /** Inner node {@code id} as held (the root or one below it), or null. */
  Routing inner(long id) {
    return id == 0 ? root : below.get(id);
  }

  /** Where a sort key leads: a leaf's slot, or the id and level of an inner node not held. */
  record Route(
      LeafSlots slots, int index, long leafId, long missingId, int missingLevel, Routing parent) {
    boolean found() {
      return slots != null;
    }
  }

  /** Routes {@code key} to its leaf through the inner nodes held. */
  Route route(ByteString key) {
    if (root == null) {
      return new Route(rootLeaf, 0, 0, -1, -1, null);
    }
    Routing node = root;
    for (int level = 0; ; level++) {
      int idx = node.childFor(key);
      long child = node.child(idx);
      if (node.leaves != null) {
        return new Route(node.leaves, idx, child, -1, -1, node);
      }
      Routing next = below.get(child);
      if (next == null) {
        return new Route(null, -1, -1, child, level + 1, null);
      }
      node = next;
    }
  }

  /** Whether an inner node at {@code level} (0: the root) sits just above the leaves. */
  boolean leafParentLevel(int level) {
    return level == height - 2;
  }

  /** The slot of leaf {@code leafId} held, as {@link Route}, or null. */
  Route slotOf(long leafId) {
    if (rootLeaf != null) {
      return leafId == 0 ? new Route(rootLeaf, 0, 0, -1, -1, null) : null;
    }
    if (root.leaves != null) {
      int i = root.indexOf(leafId);
      return i < 0 ? null : new Route(root.leaves, i, leafId, -1, -1, root);
    }
    for (Routing r : below.values()) {
      if (r.leaves != null) {
        int i = r.indexOf(leafId);
        if (i >= 0) {
          return new Route(r.leaves, i, leafId, -1, -1, r);
        }
      }
    }
    return null;
  }

  /**
   * The state after a change wrote {@code writes} and consumed (read, then rewrote or deleted)
   * {@code consumed}, when the change altered the structure: rebuilt from the new root with a new
   * epoch {@code newEpochSeq}, carrying every slot of a leaf that is still there and was not
   * rewritten, exact slots for the leaves written, and the inner nodes below the root that the
   * change did not touch. Null when the partition is now empty.
   */
  PartitionState rebuilt(Map<Long, Node> writes, Map<Long, Node> consumed, long newEpochSeq) {
    Node newRoot = writes.get(0L);
    if (newRoot == null && consumed.containsKey(0L)) {
      return null; // emptied
    }
    Map<Long, Routing> keptBelow = new HashMap<>();
    for (Map.Entry<Long, Routing> e : below.entrySet()) {
      if (!writes.containsKey(e.getKey()) && !consumed.containsKey(e.getKey())) {
        keptBelow.put(e.getKey(), e.getValue());
      }
    }
    for (Routing r : keptBelow.values()) {
      markWritten(r, writes);
    }
    if (newRoot == null) { // a change below an unchanged root (trees of three levels or more)
      return new PartitionState(newEpochSeq, height, root, rootLeaf, Map.copyOf(keptBelow));
    }
    PartitionState fresh = ofRoot(newRoot, newEpochSeq);
    if (fresh.root == null) {
      return fresh; // the root leaf, just written: exact
    }
    PartitionState s =
        keptBelow.isEmpty() || fresh.height < 3
            ? fresh
            : new PartitionState(
                newEpochSeq, fresh.height, fresh.root, null, Map.copyOf(keptBelow));
    if (s.root.leaves != null) {
      for (int i = 0; i < s.root.childCount(); i++) {
        long id = s.root.child(i);
        Node written = writes.get(id);
        if (written != null) {
          s.root.leaves.exact(i, written);
        } else {
          Route old = slotOf(id);
          if (old != null) {
            s.root.leaves.copy(i, old.slots(), old.index());
          }
        }
      }
    }
    return s;
  }

  /** Exact slots for the children of {@code r} that were just written. */
  private static void markWritten(Routing r, Map<Long, Node> writes) {
    if (r.leaves == null) {
      return;
    }
    for (int i = 0; i < r.childCount(); i++) {
      Node written = writes.get(r.child(i));
      if (written != null) {
        r.leaves.exact(i, written);
      }
    }
  }
}
