package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Walks the entries of one partition whose encoded sort keys lie in a range, forwards or backwards,
 * descending the tree once and then moving leaf to leaf through the inner nodes on a stack (no
 * sibling pointers are needed). The caller holds the partition's read lock while it uses the
 * cursor. Not thread-safe.
 */
public final class PartitionCursor {
  private final NodeReader reader;
  private final TableContext table;
  private final byte[] token;
  private final SortRange range;
  private final boolean forward;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private Node leaf;
  private int pos;
  private boolean done;

  private static final class Frame {
    final Node node;
    int index;

    Frame(Node node, int index) {
      this.node = node;
      this.index = index;
    }
  }

  /** A cursor over the entries in {@code range}; ascending when {@code forward}. */
  public PartitionCursor(
      NodeReader reader, TableContext table, byte[] token, SortRange range, boolean forward) {
    this.reader = reader;
    this.table = table;
    this.token = token;
    this.range = range;
    this.forward = forward;
    Node root = reader.read(table, token, 0);
    if (root == null || range.isEmpty()) {
      done = true;
      return;
    }
    ByteString startKey = forward ? range.low() : range.high();
    descend(root, startKey);
    if (forward) {
      pos = startKey == null ? 0 : leaf.countBelow(startKey, !range.lowInclusive());
    } else {
      pos =
          startKey == null
              ? leaf.entries().size() - 1
              : leaf.countBelow(startKey, range.highInclusive()) - 1;
    }
  }

  private void descend(Node node, ByteString key) {
    Node n = node;
    while (!n.isLeaf()) {
      int idx = key == null ? (forward ? 0 : n.children().size() - 1) : n.childFor(key);
      stack.push(new Frame(n, idx));
      n = reader.readRequired(table, token, n.children().get(idx));
    }
    leaf = n;
  }

  /** The next entry in the range, or null when there is none. */
  public Entry next() {
    while (!done) {
      if (pos >= 0 && pos < leaf.entries().size()) {
        Entry e = leaf.entries().get(pos);
        if (forward ? range.aboveHigh(e.sortKey()) : range.belowLow(e.sortKey())) {
          done = true;
          return null;
        }
        pos += forward ? 1 : -1;
        return e;
      }
      if (!nextLeaf()) {
        done = true;
      }
    }
    return null;
  }

  private boolean nextLeaf() {
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      int next = f.index + (forward ? 1 : -1);
      if (next >= 0 && next < f.node.children().size()) {
        f.index = next;
        descend(reader.readRequired(table, token, f.node.children().get(next)), null);
        pos = forward ? 0 : leaf.entries().size() - 1;
        return true;
      }
      stack.pop();
    }
    return false;
  }
}
