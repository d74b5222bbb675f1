package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.coffer.proto.InnerPage;
import dev.coffer.proto.LeafEntry;
import dev.coffer.proto.PageBody;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One B+tree node as the engine sees it, immutable: a leaf (entries sorted by encoded sort key,
 * with its delta records already merged in) or an inner node (separators and child ids). Node 0,
 * the root, also carries the partition's next node id and tree height. {@link #bytes()} estimates
 * the serialized body size, for split decisions and the cache weigher. Leaf entries stay encoded
 * ({@link Entry}): a leaf is written by concatenating them, and read without decoding its items.
 */
public final class Node {
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
  private final int bytes;

  private Node(boolean leaf, List<Entry> entries, List<ByteString> separators, List<Long> children,
      long nextNodeId, int height, long deltaSeqBase, int deltaCount) {
    this.leaf = leaf;
    this.entries = entries;
    this.separators = separators;
    this.children = children;
    this.nextNodeId = nextNodeId;
    this.height = height;
    this.deltaSeqBase = deltaSeqBase;
    this.deltaCount = deltaCount;
    this.bytes = leaf ? leafBytes(entries) : innerBytes(separators, children.size());
  }

  private Node(List<Entry> entries, long nextNodeId, int height, long deltaSeqBase, int deltaCount, int bytes) {
    this.leaf = true;
    this.entries = entries;
    this.separators = List.of();
    this.children = List.of();
    this.nextNodeId = nextNodeId;
    this.height = height;
    this.deltaSeqBase = deltaSeqBase;
    this.deltaCount = deltaCount;
    this.bytes = bytes;
  }

  /**
   * A leaf over {@code entries} whose {@link #leafBytes} the caller already knows; the list is
   * wrapped, not copied, so the caller must not keep or change it.
   */
  static Node leafOwning(List<Entry> entries, long nextNodeId, int height, long deltaSeqBase, int deltaCount,
      int bytes) {
    return new Node(java.util.Collections.unmodifiableList(entries), nextNodeId, height, deltaSeqBase, deltaCount,
        bytes);
  }

  /** A leaf; {@code entries} must be sorted, distinct and not changed afterwards. */
  public static Node leaf(List<Entry> entries, long nextNodeId, int height, long deltaSeqBase, int deltaCount) {
    return new Node(true, List.copyOf(entries), List.of(), List.of(), nextNodeId, height, deltaSeqBase, deltaCount);
  }

  /** An inner node; {@code separators.size() == children.size() - 1}. */
  public static Node inner(List<ByteString> separators, List<Long> children, long nextNodeId, int height, long deltaSeqBase) {
    if (separators.size() != children.size() - 1) {
      throw new IllegalArgumentException(separators.size() + " separators for " + children.size() + " children");
    }
    return new Node(false, List.of(), List.copyOf(separators), List.copyOf(children), nextNodeId, height, deltaSeqBase, 0);
  }

  /** The node a page body describes, before its delta records are applied. */
  static Node fromBody(PageBody body) {
    if (body.hasInner()) {
      return inner(body.getInner().getSeparatorsList(), body.getInner().getChildrenList(), body.getNextNodeId(),
          body.getHeight(), body.getDeltaSeqBase());
    }
    List<Entry> entries = new ArrayList<>(body.getLeaf().getEntriesCount());
    for (LeafEntry e : body.getLeaf().getEntriesList()) {
      entries.add(Entry.of(e));
    }
    return leaf(entries, body.getNextNodeId(), body.getHeight(), body.getDeltaSeqBase(), 0);
  }

  /** The page body of this node with its delta records folded in, starting deltas at {@code base}. */
  PageBody toBody(long base) {
    try {
      return PageBody.parseFrom(encode(base));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a page body failed to round-trip", e);
    }
  }

  private static final int BODY_FORMAT_VERSION = 1;
  private static final int FIELD_FORMAT = 1;
  private static final int FIELD_LEAF = 2;
  private static final int FIELD_NEXT_NODE_ID = 4;
  private static final int FIELD_HEIGHT = 5;
  private static final int FIELD_DELTA_SEQ_BASE = 6;
  private static final int FIELD_LEAF_ENTRIES = 1;

  /**
   * The encoded {@code PageBody} of this node with its delta records folded in, starting deltas
   * at {@code base}: exactly the bytes protobuf would write for it (fields in number order, zero
   * values omitted), but leaf entries are copied as they are, not re-encoded.
   */
  byte[] encode(long base) {
    if (!leaf) {
      return PageBody.newBuilder().setFormatVersion(BODY_FORMAT_VERSION).setNextNodeId(nextNodeId).setHeight(height)
          .setDeltaSeqBase(base)
          .setInner(InnerPage.newBuilder().addAllSeparators(separators).addAllChildren(children))
          .build().toByteArray();
    }
    int leafSize = 0;
    for (Entry e : entries) {
      leafSize += e.fieldSize(FIELD_LEAF_ENTRIES);
    }
    int size = CodedOutputStream.computeUInt32Size(FIELD_FORMAT, BODY_FORMAT_VERSION)
        + CodedOutputStream.computeTagSize(FIELD_LEAF) + CodedOutputStream.computeUInt32SizeNoTag(leafSize) + leafSize
        + (nextNodeId != 0 ? CodedOutputStream.computeFixed64Size(FIELD_NEXT_NODE_ID, nextNodeId) : 0)
        + (height != 0 ? CodedOutputStream.computeUInt32Size(FIELD_HEIGHT, height) : 0)
        + (base != 0 ? CodedOutputStream.computeUInt64Size(FIELD_DELTA_SEQ_BASE, base) : 0);
    byte[] out = new byte[size];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeUInt32(FIELD_FORMAT, BODY_FORMAT_VERSION);
      cos.writeTag(FIELD_LEAF, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      cos.writeUInt32NoTag(leafSize);
      for (Entry e : entries) {
        cos.writeBytes(FIELD_LEAF_ENTRIES, e.encoded());
      }
      if (nextNodeId != 0) {
        cos.writeFixed64(FIELD_NEXT_NODE_ID, nextNodeId);
      }
      if (height != 0) {
        cos.writeUInt32(FIELD_HEIGHT, height);
      }
      if (base != 0) {
        cos.writeUInt64(FIELD_DELTA_SEQ_BASE, base);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("page body size miscomputed", e);
    }
    return out;
  }

  public boolean isLeaf() {
    return leaf;
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<ByteString> separators() {
    return separators;
  }

  public List<Long> children() {
    return children;
  }

  /** For the root: the next node id to allocate. */
  public long nextNodeId() {
    return nextNodeId;
  }

  /** For the root: the tree height (1 when the root is a leaf). */
  public int height() {
    return height;
  }

  /** The sequence number of this leaf's first delta record. */
  public long deltaSeqBase() {
    return deltaSeqBase;
  }

  /** How many delta records were merged into this view. */
  public int deltaCount() {
    return deltaCount;
  }

  /** The sequence number the next delta record must get; also the base after a fold. */
  public long nextDeltaSeq() {
    return deltaSeqBase + deltaCount;
  }

  /** Estimated body size in bytes. */
  public int bytes() {
    return bytes;
  }

  /** The index of the entry with {@code sortKey}, or {@code -(insertion point) - 1}. */
  public int find(ByteString sortKey) {
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
