package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.coffer.internal.record.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** How a node's content splits when it outgrows the page target. */
class ContentSplitPropertiesTest {

  private static List<Entry> entries(List<Integer> sizes) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      ByteString key = ByteString.copyFrom(ByteBuffer.allocate(4).putInt(i).array());
      entries.add(Entry.ofEncoded(key, ByteString.copyFrom(new byte[sizes.get(i)])));
    }
    return entries;
  }

  @Property
  void piecesKeepEveryEntryInOrderAndStayWithinTheTarget(
      @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 1, max = 6000) Integer> sizes,
      @ForAll @IntRange(min = 256, max = 16384) int target) {
    List<Entry> entries = entries(sizes);
    List<Content.Piece> pieces = Content.leaf(entries).split(target);

    List<Entry> joined = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Content content = pieces.get(i).content();
      assertThat(content.entries).isNotEmpty();
      if (content.entries.size() > 1) {
        assertThat(content.bytes()).isLessThanOrEqualTo(target);
      }
      assertThat(pieces.get(i).lowKey())
          .isEqualTo(i == 0 ? null : content.entries.get(0).sortKey());
      joined.addAll(content.entries);
    }
    assertThat(joined).containsExactlyElementsOf(entries);
    if (Content.leaf(entries).bytes() > target) {
      assertThat(pieces).hasSize(filledPieces(entries, target));
    }
  }

  /** The fewest pieces: each filled up to the target before the next starts. */
  private static int filledPieces(List<Entry> entries, int target) {
    int fixed = Node.leafBytes(List.of());
    int pieces = 1;
    int bytes = fixed;
    for (int i = 0; i < entries.size(); i++) {
      int size = Node.entryBytes(entries.get(i));
      if (i > 0 && bytes + size > target) {
        pieces++;
        bytes = fixed;
      }
      bytes += size;
    }
    return pieces;
  }

  /** Balanced pieces that would need one piece more than filled ones are not used. */
  @Example
  void entriesOfUnequalSizeSplitIntoNoMorePiecesThanFillingNeeds() {
    int fixed = Node.leafBytes(List.of());
    List<Entry> entries = entries(List.of(10, 60, 40, 30, 50));
    int entryOverhead = Node.entryBytes(entries.get(0)) - 10;
    int target = fixed + 100 + 2 * entryOverhead;

    assertThat(Content.leaf(entries).split(target)).hasSize(filledPieces(entries, target));
  }

  /**
   * Equal entries split into as few pieces as can hold them (each piece pays the node's fixed bytes
   * once). Before, the goal shared the fixed bytes out over the pieces, so each piece stopped one
   * entry early: four 1 KiB entries under a 4 KiB target became four leaves instead of two.
   */
  @Property
  void equalEntriesSplitIntoTheFewestPiecesThatHoldThem(
      @ForAll @IntRange(min = 2, max = 300) int count,
      @ForAll @IntRange(min = 16, max = 2000) int encodedSize,
      @ForAll @IntRange(min = 512, max = 16384) int target) {
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sizes.add(encodedSize);
    }
    Content content = Content.leaf(entries(sizes));
    int entryBytes = Node.entryBytes(content.entries.get(0));
    int fixed = Node.leafBytes(List.of());
    int perPiece = (target - fixed) / entryBytes;
    if (perPiece < 1 || content.bytes() <= target) {
      return;
    }
    int fewest = (count + perPiece - 1) / perPiece;

    List<Content.Piece> pieces = content.split(target);

    assertThat(pieces).hasSize(fewest);
    for (Content.Piece piece : pieces) {
      // balanced: no piece more than one entry smaller than another
      assertThat(piece.content().entries.size())
          .isBetween(count / fewest, (count + fewest - 1) / fewest);
    }
  }

  @Property
  void innerNodesKeepEveryChildAndSeparatorAndTwoChildrenAPiece(
      @ForAll @IntRange(min = 4, max = 400) int children,
      @ForAll @IntRange(min = 4, max = 300) int separatorSize,
      @ForAll @IntRange(min = 256, max = 8192) int target) {
    List<ByteString> separators = new ArrayList<>();
    List<Long> kids = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      kids.add((long) i + 1);
      if (i > 0) {
        byte[] sep = new byte[separatorSize];
        ByteBuffer.wrap(sep).putInt(0, i);
        separators.add(ByteString.copyFrom(sep));
      }
    }
    List<Content.Piece> pieces = Content.inner(separators, kids).split(target);

    List<Long> allKids = new ArrayList<>();
    List<ByteString> allSeparators = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      Content piece = pieces.get(i).content();
      if (pieces.size() > 1) {
        assertThat(piece.children).hasSizeGreaterThanOrEqualTo(2);
      }
      assertThat(piece.separators).hasSize(piece.children.size() - 1);
      if (i > 0) {
        allSeparators.add(pieces.get(i).lowKey());
      }
      allSeparators.addAll(piece.separators);
      allKids.addAll(piece.children);
    }
    assertThat(allKids).containsExactlyElementsOf(kids);
    assertThat(allSeparators).containsExactlyElementsOf(separators);
  }
}
