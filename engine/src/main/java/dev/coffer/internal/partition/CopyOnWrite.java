package dev.coffer.internal.partition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Turns a rebuild of one root-to-leaf path ({@link TreeRebalancer.Changes}, which reuses node ids
 * as an in-place write would) into a copy-on-write change for a shared backend: every node that
 * changes, and every ancestor of one up to the root, is written under a fresh id, children first,
 * so that the old tree stays whole for readers that read the old root; the new root is then swapped
 * in by the caller. The old nodes it replaces are {@link #retired()}. One per change; not
 * thread-safe.
 */
final class CopyOnWrite {
  private final Map<Long, Node> writes;
  private final Set<Long> retired = new HashSet<>();

  private CopyOnWrite(Map<Long, Node> writes) {
    this.writes = writes;
  }

  /**
   * Plans the copy-on-write of {@code changes} on {@code path}: the rebuild's writes, plus every
   * ancestor on the path of a node that was written or removed (in a shared tree a node's new id
   * changes its parent).
   */
  static CopyOnWrite plan(TreePath path, TreeRebalancer.Changes changes) {
    Map<Long, Node> writes = new LinkedHashMap<>(changes.writes());
    CopyOnWrite cow = new CopyOnWrite(writes);
    cow.retired.addAll(changes.consumed().keySet());
    for (int level = path.leafLevel(); level > 0; level--) {
      long id = path.id(level);
      long parent = path.id(level - 1);
      if ((writes.containsKey(id) || changes.consumed().containsKey(id))
          && !writes.containsKey(parent)
          && !changes.consumed().containsKey(parent)) {
        writes.put(parent, path.node(level - 1)); // unchanged but for its child's new id
        cow.retired.add(parent);
      }
    }
    cow.retired.remove(0L);
    return cow;
  }

  /** Whether the change removes the partition's last item (no root is left). */
  boolean emptiesPartition() {
    return !writes.containsKey(0L);
  }

  /**
   * Writes every node reachable from the new root, children before parents, each through {@code
   * write} (which returns the node's fresh id).
   *
   * @param written receives each node written, by its fresh id
   * @return the new root (to swap in), whose next node id is 1: on a shared backend ids are fresh,
   *     never counted, so a rebuild's placeholder ids (counted from 1) never meet a real one
   */
  Node writeAll(ToLongFunction<Node> write, Map<Long, Node> written) {
    Node root = build(0L, write, written);
    return root.isLeaf()
        ? Node.leaf(root.entries(), 1, root.height(), root.deltaSeqBase(), 0)
        : Node.inner(root.separators(), root.children(), 1, root.height(), root.deltaSeqBase());
  }

  private Node build(long id, ToLongFunction<Node> write, Map<Long, Node> written) {
    Node node = writes.get(id);
    if (!node.isLeaf()) {
      List<Long> children = new ArrayList<>(node.children().size());
      boolean moved = false;
      for (long child : node.children()) {
        if (writes.containsKey(child) && child != 0) {
          Node c = build(child, write, written);
          long fresh = write.applyAsLong(c);
          written.put(fresh, c);
          children.add(fresh);
          moved = true;
        } else {
          children.add(child);
        }
      }
      if (moved) {
        node =
            Node.inner(
                node.separators(), children, node.nextNodeId(), node.height(), node.deltaSeqBase());
      }
    }
    return node;
  }

  /** The ids of the old nodes the change replaces or removes (never the root's). */
  Set<Long> retired() {
    return retired;
  }
}
