package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * What a page holds, as the record layer writes it ({@code PageBody}): a leaf's entries in
 * ascending sort-key order, or an inner node's separators and children ({@code separators().size()
 * == children().size() - 1}); the root also carries the partition's next node id and tree height; a
 * leaf the sequence number of its first delta record.
 */
public interface PageContent {
  /** Whether this is a leaf. */
  boolean isLeaf();

  /** A leaf's entries (empty for inner nodes). */
  List<Entry> entries();

  /** An inner node's separators (empty for leaves). */
  List<ByteString> separators();

  /** An inner node's child node ids (empty for leaves). */
  List<Long> children();

  /** For the root: the next node id to allocate; 0 for other nodes. */
  long nextNodeId();

  /** For the root: the tree height (1 when the root is a leaf); 0 for other nodes. */
  int height();

  /** The sequence number of the first delta record that applies to this page. */
  long deltaSeqBase();
}
