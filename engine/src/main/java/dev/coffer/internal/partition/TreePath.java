package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.TableRecords;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes from the root to the leaf whose range holds a sort key, with the child taken at each.
 */
final class TreePath {
  private final List<Node> nodes = new ArrayList<>();
  private final List<Long> ids = new ArrayList<>();
  private final List<Integer> childIndexes = new ArrayList<>();

  private TreePath() {}

  /** Where inner nodes come from when they are held in memory: the node, or null to read it. */
  interface InnerSource {
    Node inner(long id);
  }

  /** Descends from {@code root} (node 0) towards {@code sortKey}. */
  static TreePath descend(
      NodeReader reader, TableContext t, byte[] token, Node root, ByteString sortKey) {
    return descendFrom(id -> null, reader, t, token, root, 0, sortKey);
  }

  /**
   * Descends from {@code start} (node {@code startId}) towards {@code sortKey}, taking inner nodes
   * from {@code held} when it has them and reading the others.
   */
  static TreePath descendFrom(
      InnerSource held,
      NodeReader reader,
      TableContext t,
      byte[] token,
      Node start,
      long startId,
      ByteString sortKey) {
    TreePath path = new TreePath();
    Node node = start;
    long id = startId;
    while (true) {
      path.nodes.add(node);
      path.ids.add(id);
      if (node.isLeaf()) {
        return path;
      }
      int idx = node.childFor(sortKey);
      path.childIndexes.add(idx);
      id = node.children().get(idx);
      Node inner = held.inner(id);
      node = inner != null ? inner : reader.readRequired(t, token, id);
      if (path.nodes.size() > 64) {
        throw new CorruptionException(
            "A partition's tree is deeper than possible",
            t.name(),
            TableRecords.location(token, id));
      }
    }
  }

  /** The index of the leaf (the depth of the tree minus one). */
  int leafLevel() {
    return nodes.size() - 1;
  }

  Node node(int level) {
    return nodes.get(level);
  }

  long id(int level) {
    return ids.get(level);
  }

  /** The child index taken at inner level {@code level}. */
  int childIndex(int level) {
    return childIndexes.get(level);
  }

  Node leaf() {
    return nodes.get(nodes.size() - 1);
  }

  long leafId() {
    return ids.get(ids.size() - 1);
  }
}
