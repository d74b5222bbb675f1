package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.record.DeltaChange;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.NodeFactory;
import dev.coffer.internal.record.PageContent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One B+tree node as the engine sees it, immutable: a leaf (entries sorted by encoded sort key,
 * with its delta records already merged in) or an inner node (separators and child ids). Node 0,
 * the root, also carries the partition's next node id and tree height. {@link #bytes()} estimates
 * the serialized body size, for split decisions and the cache weigher. Leaf entries stay encoded
 * ({@link Entry}): a leaf is written by concatenating them, and read without decoding its items.
 * The record layer writes a node as it is ({@link PageContent}) and reads one through {@link
 * #FACTORY}, which applies a leaf's delta records.
 */
public final class Node implements PageContent {
  /**
   * Unsigned byte order of encoded sort keys: DynamoDB's order. (Protobuf's own comparator
   * allocates two iterators per comparison; this one allocates nothing.)
   */
  public static final Comparator<ByteString> ORDER = Node::compareUnsigned;

  private static final int PAGE_OVERHEAD = 32;
  private static final int ENTRY_OVERHEAD = 4;
  private static final int CHILD_BYTES = 9;
  private static final int SEPARATOR_OVERHEAD = 3;

  private final boolean leaf;
  private final List<Entry> entries;
  private final List<ByteString> separators;
  private final List<Long> children;
  private final long nextNodeId;
  private final int height;
  private final long deltaSeqBase;
  private final int deltaCount;
  private final long nextDeltaSeq;
  private final int bytes;

  private Node(
      boolean leaf,
      List<Entry> entries,
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      int deltaCount,
      long nextDeltaSeq) {
    this.leaf = leaf;
    this.entries = entries;
    this.separators = separators;
    this.children = children;
    this.nextNodeId = nextNodeId;
    this.height = height;
    this.deltaSeqBase = deltaSeqBase;
    this.deltaCount = deltaCount;
    this.nextDeltaSeq = nextDeltaSeq;
    this.bytes = leaf ? leafBytes(entries) : innerBytes(separators, children.size());
  }

  private Node(
      List<Entry> entries,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      int deltaCount,
      long nextDeltaSeq,
      int bytes) {
    this.leaf = true;
    this.entries = entries;
    this.separators = List.of();
    this.children = List.of();
    this.nextNodeId = nextNodeId;
    this.height = height;
    this.deltaSeqBase = deltaSeqBase;
    this.deltaCount = deltaCount;
    this.nextDeltaSeq = nextDeltaSeq;
    this.bytes = bytes;
  }

  /**
   * A leaf over {@code entries} whose {@link #leafBytes} the caller already knows; the list is
   * wrapped, not copied, so the caller must not keep or change it.
   */
  static Node leafOwning(
      List<Entry> entries,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      int deltaCount,
      long nextDeltaSeq,
      int bytes) {
    return new Node(
        Collections.unmodifiableList(entries),
        nextNodeId,
        height,
        deltaSeqBase,
        deltaCount,
        nextDeltaSeq,
        bytes);
  }

  /**
   * Builds the nodes the record layer reads: a leaf gets its delta records applied in order (binary
   * search, no re-sorting); the decoded lists are kept, not copied. Every node is checked for the
   * order every read relies on ({@link #orderProblem}): a leaf whose items authenticate but are not
   * in strictly ascending sort-key order (or an inner node whose separators are not), which only a
   * bug can seal, would make a binary search miss or repeat an item silently. Such a node is
   * refused with an {@link OutOfOrderException}, which the record layer reports as a {@link
   * dev.coffer.CorruptionException} naming the table, the partition and the node, with the reason
   * as its cause ({@code verify} reports it as a malformed node). The check compares each decoded
   * key with the one before it: no decoding, no allocation.
   */
  public static final NodeFactory<Node> FACTORY =
      new NodeFactory<>() {
        @Override
        public Node leaf(
            List<Entry> entries,
            long nextNodeId,
            int height,
            long deltaSeqBase,
            List<DeltaChange> deltas,
            long nextDeltaSeq) {
          List<Entry> merged = deltas.isEmpty() ? entries : merge(entries, deltas);
          return inOrder(
              new Node(
                  true,
                  Collections.unmodifiableList(merged),
                  List.of(),
                  List.of(),
                  nextNodeId,
                  height,
                  deltaSeqBase,
                  deltas.size(),
                  nextDeltaSeq));
        }

        @Override
        public Node inner(
            List<ByteString> separators,
            List<Long> children,
            long nextNodeId,
            int height,
            long deltaSeqBase) {
          if (separators.size() != children.size() - 1) {
            throw new IllegalArgumentException(
                separators.size() + " separators for " + children.size() + " children");
          }
          return inOrder(
              new Node(
                  false,
                  List.of(),
                  Collections.unmodifiableList(separators),
                  Collections.unmodifiableList(children),
                  nextNodeId,
                  height,
                  deltaSeqBase,
                  0,
                  deltaSeqBase));
        }
      };

  /** {@code n}, when its keys ascend ({@link #orderProblem}). */
  private static Node inOrder(Node n) {
    String problem = n.orderProblem();
    if (problem != null) {
      throw new OutOfOrderException(problem);
    }
    return n;
  }

  /**
   * A node opened from the store whose keys do not ascend ({@link #orderProblem}; the message says
   * where): the record layer reports it as a {@link dev.coffer.CorruptionException} with this as
   * its cause.
   */
  public static final class OutOfOrderException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    OutOfOrderException(String message) {
      super(message);
    }
  }

  /** {@code entries} with {@code deltas} applied in order. */
  private static List<Entry> merge(List<Entry> entries, List<DeltaChange> deltas) {
    List<Entry> merged = new ArrayList<>(entries.size() + deltas.size());
    merged.addAll(entries);
    for (DeltaChange d : deltas) {
      int pos = find(merged, d.sortKey());
      if (d.put() != null) {
        if (pos >= 0) {
          merged.set(pos, d.put());
        } else {
          merged.add(-pos - 1, d.put());
        }
      } else if (pos >= 0) {
        merged.remove(pos);
      }
    }
    return merged;
  }

  /** A leaf; {@code entries} must be sorted, distinct and not changed afterwards. */
  public static Node leaf(
      List<Entry> entries, long nextNodeId, int height, long deltaSeqBase, int deltaCount) {
    return new Node(
        true,
        List.copyOf(entries),
        List.of(),
        List.of(),
        nextNodeId,
        height,
        deltaSeqBase,
        deltaCount,
        deltaSeqBase + deltaCount);
  }

  /** An inner node; {@code separators.size() == children.size() - 1}. */
  public static Node inner(
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase) {
    if (separators.size() != children.size() - 1) {
      throw new IllegalArgumentException(
          separators.size() + " separators for " + children.size() + " children");
    }
    return new Node(
        false,
        List.of(),
        List.copyOf(separators),
        List.copyOf(children),
        nextNodeId,
        height,
        deltaSeqBase,
        0,
        deltaSeqBase);
  }

  @Override
  public boolean isLeaf() {
    return leaf;
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public List<ByteString> separators() {
    return separators;
  }

  @Override
  public List<Long> children() {
    return children;
  }

  /** For the root: the next node id to allocate. */
  @Override
  public long nextNodeId() {
    return nextNodeId;
  }

  /** For the root: the tree height (1 when the root is a leaf). */
  @Override
  public int height() {
    return height;
  }

  /** The sequence number of this leaf's first delta record. */
  @Override
  public long deltaSeqBase() {
    return deltaSeqBase;
  }

  /** How many delta records were merged into this view. */
  public int deltaCount() {
    return deltaCount;
  }

  /** The sequence number the next delta record must get; also the base after a fold. */
  public long nextDeltaSeq() {
    return nextDeltaSeq;
  }

  /** Estimated body size in bytes. */
  public int bytes() {
    return bytes;
  }

  /**
   * Where the keys stop ascending strictly: the first index {@code i} whose leaf entry (or inner
   * separator) is not above the one at {@code i - 1}; -1 when they all ascend, as {@link #find} and
   * {@link #childFor} assume.
   */
  private int firstOutOfOrder() {
    if (leaf) {
      for (int i = 1; i < entries.size(); i++) {
        if (ORDER.compare(entries.get(i - 1).sortKey(), entries.get(i).sortKey()) >= 0) {
          return i;
        }
      }
    } else {
      for (int i = 1; i < separators.size(); i++) {
        if (ORDER.compare(separators.get(i - 1), separators.get(i)) >= 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * What is wrong with the order of the node's keys ({@link #firstOutOfOrder}), in the words {@code
   * coffer verify} reports it, or null when nothing is.
   */
  public String orderProblem() {
    int i = firstOutOfOrder();
    if (i < 0) {
      return null;
    }
    return leaf
        ? "The leaf's items are not in ascending sort-key order (at item " + i + ")"
        : "The inner node's separators are not ascending (at separator " + i + ")";
  }

  /** The index of the entry with {@code sortKey}, or {@code -(insertion point) - 1}. */
  public int find(ByteString sortKey) {
    return find(entries, sortKey);
  }

  private static int find(List<Entry> entries, ByteString sortKey) {
    int lo = 0;
    int hi = entries.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = ORDER.compare(entries.get(mid).sortKey(), sortKey);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  /** The child of an inner node whose range holds {@code key}: the number of separators <= key. */
  public int childFor(ByteString key) {
    int lo = 0;
    int hi = separators.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ORDER.compare(separators.get(mid), key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The number of entries whose key is below {@code key} (inclusive: at or below). */
  public int countBelow(ByteString key, boolean inclusive) {
    int i = find(key);
    return i >= 0 ? (inclusive ? i + 1 : i) : -i - 1;
  }

  private static int compareUnsigned(ByteString a, ByteString b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = (a.byteAt(i) & 0xFF) - (b.byteAt(i) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return a.size() - b.size();
  }

  static int entryBytes(Entry e) {
    return e.encodedSize() + ENTRY_OVERHEAD;
  }

  static int leafBytes(List<Entry> entries) {
    int n = PAGE_OVERHEAD;
    for (Entry e : entries) {
      n += entryBytes(e);
    }
    return n;
  }

  static int separatorBytes(ByteString separator) {
    return separator.size() + SEPARATOR_OVERHEAD;
  }

  static int innerBytes(List<ByteString> separators, int children) {
    int n = PAGE_OVERHEAD + children * CHILD_BYTES;
    for (ByteString s : separators) {
      n += separatorBytes(s);
    }
    return n;
  }

  static int childBytes() {
    return CHILD_BYTES;
  }
}
