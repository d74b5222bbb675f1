package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact copy of one inner node, kept in the partition metadata: its separators packed in one
 * array after their common prefix (held once), their ends as 16-bit offsets when they fit, its
 * children as 32-bit ids when they fit, the root fields, and (for a node whose children are leaves)
 * what the write path knows about each child leaf ({@link LeafSlots}). The routing part is
 * immutable. {@link #weight()} counts every object and array it holds.
 */
final class Routing {
  final long id;

  /** The bytes every separator starts with (the longest such prefix). */
  private final byte[] prefix;

  /** The separators after {@link #prefix}, one after another. */
  private final byte[] keys;

  /**
   * Where separator i's suffix ends in {@link #keys}: 16-bit when they fit, else {@link #wideEnds}.
   */
  private final char[] ends;

  private final int[] wideEnds;

  /** The children's ids when each fits 32 bits, else null and {@link #wideChildren}. */
  private final int[] children;

  private final long[] wideChildren;
  final long nextNodeId;
  final int height;
  final long deltaSeqBase;

  /** One slot per child when the children are leaves, else null. */
  final LeafSlots leaves;

  private Routing(
      long id,
      byte[] prefix,
      byte[] keys,
      int[] ends,
      long[] children,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      boolean childrenAreLeaves) {
    this.id = id;
    this.prefix = prefix;
    this.keys = keys;
    if (keys.length <= Character.MAX_VALUE) {
      this.ends = new char[ends.length];
      for (int i = 0; i < ends.length; i++) {
        this.ends[i] = (char) ends[i];
      }
      this.wideEnds = null;
    } else {
      this.ends = null;
      this.wideEnds = ends;
    }
    boolean narrow = true;
    for (long c : children) {
      narrow &= c >= 0 && c <= Integer.MAX_VALUE;
    }
    if (narrow) {
      this.children = new int[children.length];
      for (int i = 0; i < children.length; i++) {
        this.children[i] = (int) children[i];
      }
      this.wideChildren = null;
    } else {
      this.children = null;
      this.wideChildren = children;
    }
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
    int common = seps.isEmpty() ? 0 : seps.get(0).size();
    for (int i = 1; i < seps.size() && common > 0; i++) {
      common = commonPrefix(seps.get(0), seps.get(i), common);
    }
    byte[] prefix = common == 0 ? NO_BYTES : seps.get(0).substring(0, common).toByteArray();
    int total = 0;
    for (ByteString s : seps) {
      total += s.size() - common;
    }
    byte[] keys = new byte[total];
    int[] ends = new int[seps.size()];
    int at = 0;
    for (int i = 0; i < seps.size(); i++) {
      ByteString s = seps.get(i);
      s.copyTo(keys, common, at, s.size() - common);
      at += s.size() - common;
      ends[i] = at;
    }
    List<Long> kids = inner.children();
    long[] children = new long[kids.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = kids.get(i);
    }
    return new Routing(
        id,
        prefix,
        keys,
        ends,
        children,
        inner.nextNodeId(),
        inner.height(),
        inner.deltaSeqBase(),
        childrenAreLeaves);
  }

  private static final byte[] NO_BYTES = new byte[0];

  private static int commonPrefix(ByteString a, ByteString b, int upTo) {
    int n = Math.min(upTo, b.size());
    for (int i = 0; i < n; i++) {
      if (a.byteAt(i) != b.byteAt(i)) {
        return i;
      }
    }
    return n;
  }

  /** The number of children. */
  int childCount() {
    return children != null ? children.length : wideChildren.length;
  }

  /** The id of child {@code i}. */
  long child(int i) {
    return children != null ? children[i] : wideChildren[i];
  }

  private int end(int i) {
    return ends != null ? ends[i] : wideEnds[i];
  }

  private int separatorCount() {
    return ends != null ? ends.length : wideEnds.length;
  }

  /** The child whose range holds {@code key}: the number of separators at or below it. */
  int childFor(ByteString key) {
    int n = separatorCount();
    // every separator starts with the prefix: a key that orders before it (and is not a prefix of
    // it) is below them all, one after it above them all; a key that starts with it is compared
    // by what follows
    int p = prefix.length;
    int m = Math.min(p, key.size());
    for (int j = 0; j < m; j++) {
      int c = (prefix[j] & 0xFF) - (key.byteAt(j) & 0xFF);
      if (c != 0) {
        return c < 0 ? n : 0;
      }
    }
    if (key.size() < p) {
      return 0; // a proper prefix of the prefix: below every separator
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareSuffix(mid, key, p) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Unsigned comparison of separator {@code i} with {@code key} (as {@link Node#ORDER}), both past
   * their first {@code p} bytes, which are equal.
   */
  private int compareSuffix(int i, ByteString key, int p) {
    int from = i == 0 ? 0 : end(i - 1);
    int len = end(i) - from;
    int keyLen = key.size() - p;
    int n = Math.min(len, keyLen);
    for (int j = 0; j < n; j++) {
      int c = (keys[from + j] & 0xFF) - (key.byteAt(p + j) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return len - keyLen;
  }

  /** Separator {@code i}, whole. */
  private ByteString separator(int i) {
    int from = i == 0 ? 0 : end(i - 1);
    byte[] whole = new byte[prefix.length + end(i) - from];
    System.arraycopy(prefix, 0, whole, 0, prefix.length);
    System.arraycopy(keys, from, whole, prefix.length, end(i) - from);
    return ByteString.copyFrom(whole);
  }

  /**
   * A key in the range of child {@code i}: the separator before it; for the first child of the root
   * the empty key (the smallest); null for the first child of another node (its range starts where
   * the parent's does, which this copy does not know).
   */
  ByteString lowKeyOf(int i) {
    if (i > 0) {
      return separator(i - 1);
    }
    return id == 0 ? ByteString.EMPTY : null;
  }

  /** The index of child {@code childId}, or -1. */
  int indexOf(long childId) {
    for (int i = 0, n = childCount(); i < n; i++) {
      if (child(i) == childId) {
        return i;
      }
    }
    return -1;
  }

  /** The node this is a copy of. */
  Node toNode() {
    int n = separatorCount();
    List<ByteString> seps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      seps.add(separator(i));
    }
    List<Long> kids = new ArrayList<>(childCount());
    for (int i = 0, c = childCount(); i < c; i++) {
      kids.add(child(i));
    }
    return Node.inner(seps, kids, nextNodeId, height, deltaSeqBase);
  }

  /**
   * Bytes this copy occupies, as a 64-bit JVM with compressed references lays it out: the object (a
   * 12-byte header and its fields, 72 bytes with alignment), each array (a 16-byte header and its
   * elements, rounded up to 8), the leaf slots.
   */
  int weight() {
    return 72
        + array(prefix.length)
        + array(keys.length)
        + (ends != null ? array(2 * ends.length) : array(4 * wideEnds.length))
        + (children != null ? array(4 * children.length) : array(8 * wideChildren.length))
        + (leaves == null ? 0 : leaves.weight());
  }

  /** An array of {@code bytes} bytes of elements: its header, its elements, alignment. */
  static int array(int bytes) {
    return (16 + bytes + 7) & ~7;
  }
}
