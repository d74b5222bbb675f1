package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.record.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable content of a node while the tree is rebuilt: leaf entries, or separators and
 * children. Splits into pieces no bigger than the target (an entry bigger than the target gets a
 * piece of its own) and concatenates with a sibling.
 */
final class Content {
  final boolean leaf;
  final List<Entry> entries;
  final List<ByteString> separators;
  final List<Long> children;

  private Content(
      boolean leaf, List<Entry> entries, List<ByteString> separators, List<Long> children) {
    this.leaf = leaf;
    this.entries = entries;
    this.separators = separators;
    this.children = children;
  }

  static Content leaf(List<Entry> entries) {
    return new Content(true, new ArrayList<>(entries), List.of(), List.of());
  }

  static Content inner(List<ByteString> separators, List<Long> children) {
    return new Content(false, List.of(), new ArrayList<>(separators), new ArrayList<>(children));
  }

  static Content of(Node n) {
    return n.isLeaf() ? leaf(n.entries()) : inner(n.separators(), n.children());
  }

  boolean isEmpty() {
    return leaf ? entries.isEmpty() : children.isEmpty();
  }

  int bytes() {
    return leaf ? Node.leafBytes(entries) : Node.innerBytes(separators, children.size());
  }

  /** {@code left ++ right}; for inner nodes the parent's separator between them moves down. */
  static Content concat(Content left, ByteString separatorBetween, Content right) {
    if (left.isEmpty()) {
      return right;
    }
    if (right.isEmpty()) {
      return left;
    }
    if (left.leaf) {
      List<Entry> all = new ArrayList<>(left.entries);
      all.addAll(right.entries);
      return leaf(all);
    }
    List<ByteString> seps = new ArrayList<>(left.separators);
    seps.add(separatorBetween);
    seps.addAll(right.separators);
    List<Long> kids = new ArrayList<>(left.children);
    kids.addAll(right.children);
    return inner(seps, kids);
  }

  /** A piece after a split: its content and the lowest key of its range (null for the first). */
  record Piece(ByteString lowKey, Content content) {}

  /** Splits into pieces of at most {@code target} bytes each (fewer pieces when it fits). */
  List<Piece> split(int target) {
    List<Piece> pieces = new ArrayList<>();
    if (isEmpty()) {
      return pieces;
    }
    int total = bytes();
    if (total <= target) {
      pieces.add(new Piece(null, this));
      return pieces;
    }
    int count = (total + target - 1) / target;
    if (!leaf && children.size() < 4) {
      pieces.add(new Piece(null, this));
      return pieces;
    }
    if (!leaf) {
      return splitInner(target, count);
    }
    int fewest = fewestLeafPieces(target);
    List<Piece> balanced = splitLeaf(target, fewest);
    // balancing can cost a piece when entries differ in size (10, 60, 40, 30, 50 under a
    // target of 100 bytes of entries: three filled pieces, four balanced ones); fill instead
    return balanced.size() <= fewest ? balanced : splitLeaf(target, 1);
  }

  /** How many pieces the entries need at least: filled one after another up to the target. */
  private int fewestLeafPieces(int target) {
    int fixed = Node.leafBytes(List.of());
    int pieces = 0;
    int currentBytes = fixed;
    boolean open = false;
    for (Entry e : entries) {
      int size = Node.entryBytes(e);
      if (open && currentBytes + size > target) {
        pieces++;
        currentBytes = fixed;
      }
      currentBytes += size;
      open = true;
    }
    return pieces + 1;
  }

  /**
   * The size a piece should stop at: the node's fixed bytes (which every piece has) plus an equal
   * share of what is left to place among the pieces left to fill, never above the target. Each
   * piece counts the fixed bytes once; a goal that shares them out (the whole node's size over the
   * count) made every piece of a full leaf of large entries one entry short, so a leaf of four 1
   * KiB items split into four leaves instead of two.
   */
  private static int goal(int fixed, int contentLeft, int piecesLeft, int target) {
    int pieces = Math.max(piecesLeft, 1);
    int share = (contentLeft + pieces - 1) / pieces;
    return Math.min(fixed + share, target);
  }

  private List<Piece> splitLeaf(int target, int count) {
    List<Piece> pieces = new ArrayList<>();
    List<Entry> current = new ArrayList<>();
    int fixed = Node.leafBytes(List.of());
    int left = bytes() - fixed;
    int goal = goal(fixed, left, count, target);
    int currentBytes = fixed;
    for (Entry e : entries) {
      int size = Node.entryBytes(e);
      if (!current.isEmpty() && (currentBytes + size > goal || size > target)) {
        pieces.add(new Piece(pieces.isEmpty() ? null : current.get(0).sortKey(), leaf(current)));
        left -= currentBytes - fixed;
        goal = goal(fixed, left, count - pieces.size(), target);
        current = new ArrayList<>();
        currentBytes = fixed;
      }
      current.add(e);
      currentBytes += size;
      if (size > target) {
        pieces.add(new Piece(pieces.isEmpty() ? null : current.get(0).sortKey(), leaf(current)));
        left -= currentBytes - fixed;
        goal = goal(fixed, left, count - pieces.size(), target);
        current = new ArrayList<>();
        currentBytes = fixed;
      }
    }
    if (!current.isEmpty()) {
      pieces.add(new Piece(pieces.isEmpty() ? null : current.get(0).sortKey(), leaf(current)));
    }
    return pieces;
  }

  private List<Piece> splitInner(int target, int count) {
    List<Piece> pieces = new ArrayList<>();
    ByteString low = null;
    List<ByteString> seps = new ArrayList<>();
    List<Long> kids = new ArrayList<>();
    int fixed = Node.innerBytes(List.of(), 0);
    int left = bytes() - fixed;
    int goal = goal(fixed, left, count, target);
    int currentBytes = fixed;
    for (int i = 0; i < children.size(); i++) {
      int size = Node.childBytes() + (i > 0 ? Node.separatorBytes(separators.get(i - 1)) : 0);
      // every piece keeps at least two children, so long separators cannot make a chain of
      // single-child nodes (an inner node may exceed the target instead)
      if (kids.size() >= 2 && children.size() - i >= 2 && currentBytes + size > goal) {
        pieces.add(new Piece(low, inner(seps, kids)));
        // the separator moving up into the parent leaves this level's bytes
        left -= currentBytes - fixed + Node.separatorBytes(separators.get(i - 1));
        goal = goal(fixed, left, count - pieces.size(), target);
        low = separators.get(i - 1);
        seps = new ArrayList<>();
        kids = new ArrayList<>();
        currentBytes = fixed;
        size = Node.childBytes();
      } else if (!kids.isEmpty()) {
        seps.add(separators.get(i - 1));
      }
      kids.add(children.get(i));
      currentBytes += size;
    }
    pieces.add(new Piece(low, inner(seps, kids)));
    return pieces;
  }

  /**
   * This inner content with children {@code a..b} replaced by {@code ids}, whose ranges start at
   * {@code lowKeys} (the first one unused: the range keeps its lower bound).
   */
  Content replace(int a, int b, List<ByteString> lowKeys, List<Long> ids) {
    List<Long> kids = new ArrayList<>(children.subList(0, a));
    kids.addAll(ids);
    kids.addAll(children.subList(b + 1, children.size()));
    List<ByteString> seps;
    if (!ids.isEmpty()) {
      seps = new ArrayList<>(separators.subList(0, a));
      seps.addAll(lowKeys.subList(1, lowKeys.size()));
      seps.addAll(separators.subList(b, separators.size()));
    } else if (a > 0) {
      seps = new ArrayList<>(separators.subList(0, a - 1));
      seps.addAll(separators.subList(b, separators.size()));
    } else {
      seps =
          new ArrayList<>(
              separators.subList(Math.min(b + 1, separators.size()), separators.size()));
    }
    return inner(seps, kids);
  }
}
