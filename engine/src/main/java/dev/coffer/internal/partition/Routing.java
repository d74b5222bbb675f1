package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact copy of one inner node, kept in the partition metadata: its separators packed in one
 * array, its children, the root fields, and (for a node whose children are leaves) what the write
 * path knows about each child leaf ({@link LeafSlots}). The routing part is immutable.
 */
final class Routing {
  final long id;
  private final byte[] keys;
  private final int[] ends;
  final long[] children;
  final long nextNodeId;
  final int height;
  final long deltaSeqBase;

  /** One slot per child when the children are leaves, else null. */
  final LeafSlots leaves;

  private Routing(
      long id,
      byte[] keys,
      int[] ends,
      long[] children,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      boolean childrenAreLeaves) {
    this.id = id;
    this.keys = keys;
    this.ends = ends;
    this.children = children;
    this.nextNodeId = nextNodeId;
    this.height = height;
    this.deltaSeqBase = deltaSeqBase;
    this.leaves = childrenAreLeaves ? new LeafSlots(children.length) : null;
  }

  /**
   * A copy of inner node {@code id}; {@code childrenAreLeaves} when it sits just above the leaves.
   */
  static Routing of(long id, Node inner, boolean childrenAreLeaves) {
    List<ByteString> seps = inner.separators();
    int total = 0;
    for (ByteString s : seps) {
      total += s.size();
    }
    byte[] keys = new byte[total];
    int[] ends = new int[seps.size()];
    int at = 0;
    for (int i = 0; i < seps.size(); i++) {
      seps.get(i).copyTo(keys, at);
      at += seps.get(i).size();
      ends[i] = at;
    }
    List<Long> kids = inner.children();
    long[] children = new long[kids.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = kids.get(i);
    }
    return new Routing(
        id,
        keys,
        ends,
        children,
        inner.nextNodeId(),
        inner.height(),
        inner.deltaSeqBase(),
        childrenAreLeaves);
  }

  /** The child whose range holds {@code key}: the number of separators at or below it. */
  int childFor(ByteString key) {
    int lo = 0;
    int hi = ends.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(mid, key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Unsigned comparison of separator {@code i} with {@code key} (as {@link Node#ORDER}). */
  private int compare(int i, ByteString key) {
    int from = i == 0 ? 0 : ends[i - 1];
    int len = ends[i] - from;
    int n = Math.min(len, key.size());
    for (int j = 0; j < n; j++) {
      int c = (keys[from + j] & 0xFF) - (key.byteAt(j) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return len - key.size();
  }

  /**
   * A key in the range of child {@code i}: the separator before it; for the first child of the root
   * the empty key (the smallest); null for the first child of another node (its range starts where
   * the parent's does, which this copy does not know).
   */
  ByteString lowKeyOf(int i) {
    if (i > 0) {
      int from = i == 1 ? 0 : ends[i - 2];
      return ByteString.copyFrom(keys, from, ends[i - 1] - from);
    }
    return id == 0 ? ByteString.EMPTY : null;
  }

  /** The index of child {@code childId}, or -1. */
  int indexOf(long childId) {
    for (int i = 0; i < children.length; i++) {
      if (children[i] == childId) {
        return i;
      }
    }
    return -1;
  }

  /** The node this is a copy of. */
  Node toNode() {
    List<ByteString> seps = new ArrayList<>(ends.length);
    for (int i = 0; i < ends.length; i++) {
      int from = i == 0 ? 0 : ends[i - 1];
      seps.add(ByteString.copyFrom(keys, from, ends[i] - from));
    }
    List<Long> kids = new ArrayList<>(children.length);
    for (long c : children) {
      kids.add(c);
    }
    return Node.inner(seps, kids, nextNodeId, height, deltaSeqBase);
  }

  /** Bytes this copy occupies: header, fields, arrays, leaf slots. */
  int weight() {
    return 64
        + (16 + keys.length)
        + (16 + 4 * ends.length)
        + (16 + 8 * children.length)
        + (leaves == null ? 0 : leaves.weight());
  }
}
