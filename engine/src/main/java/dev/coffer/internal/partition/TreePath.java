package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.TableRecords;
import java.util.ArrayList;
import java.util.List;

/** The nodes from the root to the leaf whose range holds a sort key, with the child taken at each. */
final class TreePath {
  private final List<Node> nodes = new ArrayList<>();
  private final List<Long> ids = new ArrayList<>();
  private final List<Integer> childIndexes = new ArrayList<>();

  private TreePath() {}

  /** Descends from {@code root} (node 0) towards {@code sortKey}. */
  static TreePath descend(NodeReader reader, TableContext t, byte[] token, Node root, ByteString sortKey) {
    TreePath path = new TreePath();
    Node node = root;
    long id = 0;
    while (true) {
      path.nodes.add(node);
      path.ids.add(id);
      if (node.isLeaf()) {
        return path;
      }
      int idx = node.childFor(sortKey);
      path.childIndexes.add(idx);
      id = node.children().get(idx);
      node = reader.readRequired(t, token, id);
      if (path.nodes.size() > 64) {
        throw new CorruptionException("A partition's tree is deeper than possible", t.name(),
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
