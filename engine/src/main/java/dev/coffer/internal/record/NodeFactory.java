package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * Builds the caller's view of an opened node (the B+tree's node), so that the record layer hands
 * over the decoded lists without an intermediate copy. The lists are the caller's to keep; they
 * must not be changed.
 *
 * @param <N> the node type
 */
public interface NodeFactory<N> {
  /**
   * A leaf: its page's entries and, in order, the delta records appended to it (opened, not yet
   * applied).
   *
   * @param nextDeltaSeq the number the leaf's next delta record gets ({@link DeltaSequence}): the
   *     last record's plus one, or {@code deltaSeqBase} when there is none
   * @throws IllegalArgumentException when the parts do not make a node (reported as corruption)
   */
  N leaf(
      List<Entry> entries,
      long nextNodeId,
      int height,
      long deltaSeqBase,
      List<DeltaChange> deltas,
      long nextDeltaSeq);

  /**
   * An inner node.
   *
   * @throws IllegalArgumentException when the parts do not make a node (reported as corruption)
   */
  N inner(
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase);
}
