package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the nodes on one root-to-leaf path after a leaf's content changed: bottom-up, a node
 * under half the target merges with a sibling when both fit in seven eighths of a page, a node
 * above the target splits, and the parent's separators and children follow. Node 0 stays the root:
 * when it splits, its pieces move to new nodes under a new inner root; an inner root with a single
 * child absorbs it. The result lists the nodes to write and the old node views consumed (to delete
 * or overwrite). One instance per change; not thread-safe.
 */
final class TreeRebalancer {
  private final NodeReader reader;
  private final TableContext table;
  private final byte[] token;
  private final int target;
  private final Map<Long, Node> consumed = new HashMap<>();
  private final Map<Long, Content> written = new LinkedHashMap<>();
  private long nextNodeId;
  private int height;

  TreeRebalancer(NodeReader reader, TableContext table, byte[] token) {
    this.reader = reader;
    this.table = table;
    this.token = token;
    this.target = table.pageTargetBytes();
  }

  /** What a rebuild changes: nodes to write (id to node) and old views consumed (id to node). */
  record Changes(Map<Long, Node> writes, Map<Long, Node> consumed) {}

  /** Rebuilds {@code path} with {@code leafEntries} as the new content of its leaf. */
  Changes rebuild(TreePath path, List<Entry> leafEntries) {
    Node root = path.node(0);
    // a shared backend's roots record none (0): its ids are fresh, these are placeholders from 1
    long recorded = Math.max(1, root.nextNodeId());
    nextNodeId = recorded;
    height = root.height();
    Content content = Content.leaf(leafEntries);
    consumed.put(path.leafId(), path.leaf());
    boolean reachedRoot = true;
    for (int level = path.leafLevel(); level > 0; level--) {
      Node parent = path.node(level - 1);
      int a = path.childIndex(level - 1);
      int b = a;
      if (!content.isEmpty() && content.bytes() < target / 2 && parent.children().size() > 1) {
        // Under half full: merge with a sibling when both fit in seven eighths of a page.
        int sibling = a + 1 < parent.children().size() ? a + 1 : a - 1;
        long siblingId = parent.children().get(sibling);
        Node siblingNode = reader.readRequired(table, token, siblingId);
        Content other = Content.of(siblingNode);
        Content merged =
            sibling > a
                ? Content.concat(content, parent.separators().get(a), other)
                : Content.concat(other, parent.separators().get(sibling), content);
        if (merged.bytes() <= target * 7 / 8) {
          consumed.put(siblingId, siblingNode);
          content = merged;
          a = Math.min(a, sibling);
          b = a + 1;
        }
      }
      List<Content.Piece> pieces = content.split(target);
      List<Long> ids = new ArrayList<>();
      List<ByteString> lowKeys = new ArrayList<>();
      for (int i = 0; i < pieces.size(); i++) {
        long id = a + i <= b ? parent.children().get(a + i) : nextNodeId++;
        ids.add(id);
        lowKeys.add(pieces.get(i).lowKey());
        written.put(id, pieces.get(i).content());
      }
      if (pieces.size() == 1 && a == b) {
        reachedRoot = false; // the parent's range and child are unchanged
        break;
      }
      consumed.put(path.id(level - 1), parent);
      content = Content.of(parent).replace(a, b, lowKeys, ids);
    }
    if (reachedRoot) {
      consumed.put(0L, root);
      finishRoot(content);
    } else if (nextNodeId != recorded) {
      consumed.put(0L, root); // rewritten only to record the next node id
      written.put(0L, Content.of(root));
    }
    return changes();
  }

  private void finishRoot(Content content) {
    List<Content.Piece> pieces = content.split(target);
    if (pieces.isEmpty()) {
      written.remove(0L); // the partition is now empty
      return;
    }
    Content rootContent;
    if (pieces.size() == 1) {
      rootContent = pieces.get(0).content();
    } else {
      List<ByteString> seps = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (Content.Piece p : pieces) {
        long id = nextNodeId++;
        ids.add(id);
        if (p.lowKey() != null) {
          seps.add(p.lowKey());
        }
        written.put(id, p.content());
      }
      rootContent = Content.inner(seps, ids);
      height++;
    }
    while (!rootContent.leaf && rootContent.children.size() == 1) {
      long only = rootContent.children.get(0);
      Content child = written.remove(only);
      if (child == null) {
        Node n = reader.readRequired(table, token, only);
        consumed.put(only, n);
        child = Content.of(n);
      }
      rootContent = child;
      height--;
    }
    if (!rootContent.leaf && height == 2 && rootContent.children.size() <= 4) {
      rootContent = absorbSmallLeaves(rootContent);
    }
    if (rootContent.leaf) {
      height = 1;
    }
    written.put(0L, rootContent);
  }

  /** A root over a few leaves that together fit in seven eighths of a page becomes one leaf. */
  private Content absorbSmallLeaves(Content rootContent) {
    Content all = Content.leaf(List.of());
    Map<Long, Node> read = new HashMap<>();
    for (long child : rootContent.children) {
      Content c = written.get(child);
      if (c == null) {
        Node n = reader.readRequired(table, token, child);
        read.put(child, n);
        c = Content.of(n);
      }
      all = Content.concat(all, null, c);
      if (all.bytes() > target * 7 / 8) {
        return rootContent;
      }
    }
    consumed.putAll(read);
    rootContent.children.forEach(written::remove);
    return all;
  }

  private Changes changes() {
    Map<Long, Node> writes = new LinkedHashMap<>();
    for (Map.Entry<Long, Content> e : written.entrySet()) {
      long id = e.getKey();
      Node old = consumed.get(id);
      long base = old == null ? 0 : old.nextDeltaSeq();
      Content c = e.getValue();
      long next = id == 0 ? nextNodeId : 0;
      int h = id == 0 ? height : 0;
      writes.put(
          id,
          c.leaf
              ? Node.leaf(c.entries, next, h, base, 0)
              : Node.inner(c.separators, c.children, next, h, base));
    }
    return new Changes(writes, consumed);
  }
}
