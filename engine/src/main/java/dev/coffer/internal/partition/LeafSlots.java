package dev.coffer.internal.partition;

/**
 * What the write path knows about some leaves without reading them, packed in one array (two longs
 * per leaf): the number the leaf's next delta record gets, and what is known of its size.
 *
 * <ul>
 *   <li>{@link #UNKNOWN}: nothing; this state has not appended to the leaf;
 *   <li>{@link #COLD}: this state appended {@code pending} delta records numbered from its epoch
 *       without having read the leaf ({@code bytes}: their entries' bytes); how many the leaf had
 *       before is not known;
 *   <li>{@link #EXACT}: the leaf was read or written by this state: {@code pending} delta records
 *       are stored after its page, its body is at most {@code bytes} (appended entries counted as
 *       additions), it has at least {@code entries} entries.
 * </ul>
 *
 * Mutated only under the partition's write lock; not thread-safe.
 */
final class LeafSlots {
  static final int UNKNOWN = 0;
  static final int COLD = 1;
  static final int EXACT = 2;

  private static final int MAX_PENDING = (1 << 14) - 1;
  private static final int MAX_ENTRIES = (1 << 16) - 1;

  private final long[] words;

  LeafSlots(int leaves) {
    this.words = new long[2 * leaves];
  }

  int size() {
    return words.length / 2;
  }

  /** Bytes this object occupies (header and array). */
  int weight() {
    return 16 + 16 + 8 * words.length;
  }

  int kind(int i) {
    return (int) (words[2 * i + 1] >>> 62);
  }

  long nextSeq(int i) {
    return words[2 * i];
  }

  int pending(int i) {
    return (int) ((words[2 * i + 1] >>> 48) & MAX_PENDING);
  }

  int entries(int i) {
    return (int) ((words[2 * i + 1] >>> 32) & MAX_ENTRIES);
  }

  int bytes(int i) {
    return (int) words[2 * i + 1];
  }

  void set(int i, int kind, long nextSeq, int pending, int entries, int bytes) {
    words[2 * i] = nextSeq;
    words[2 * i + 1] =
        ((long) kind << 62)
            | ((long) Math.min(pending, MAX_PENDING) << 48)
            | ((long) Math.min(entries, MAX_ENTRIES) << 32)
            | (Math.max(bytes, 0) & 0xFFFFFFFFL);
  }

  /** Leaf {@code i} as {@code leaf} says (read or just written): exact. */
  void exact(int i, Node leaf) {
    set(i, EXACT, leaf.nextDeltaSeq(), leaf.deltaCount(), leaf.entries().size(), leaf.bytes());
  }

  /** Copies slot {@code from} of {@code other} into slot {@code i}. */
  void copy(int i, LeafSlots other, int from) {
    words[2 * i] = other.words[2 * from];
    words[2 * i + 1] = other.words[2 * from + 1];
  }
}
