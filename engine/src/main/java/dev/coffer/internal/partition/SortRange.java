package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;

/**
 * A range of encoded sort keys: optional low and high bounds, each inclusive or exclusive.
 * Immutable.
 */
public final class SortRange {
  private static final SortRange ALL = new SortRange(null, true, null, true);

  private final ByteString low;
  private final boolean lowInclusive;
  private final ByteString high;
  private final boolean highInclusive;

  private SortRange(ByteString low, boolean lowInclusive, ByteString high, boolean highInclusive) {
    this.low = low;
    this.lowInclusive = lowInclusive;
    this.high = high;
    this.highInclusive = highInclusive;
  }

  /** Every key. */
  public static SortRange all() {
    return ALL;
  }

  /** A range; a null bound means unbounded on that side. */
  public static SortRange of(
      ByteString low, boolean lowInclusive, ByteString high, boolean highInclusive) {
    return new SortRange(low, lowInclusive, high, highInclusive);
  }

  /** This range with its low bound raised to {@code key} (exclusive), if that is higher. */
  public SortRange after(ByteString key) {
    if (low != null && Node.ORDER.compare(key, low) < 0) {
      return this;
    }
    return new SortRange(key, false, high, highInclusive);
  }

  /** This range with its high bound lowered to {@code key} (exclusive), if that is lower. */
  public SortRange before(ByteString key) {
    if (high != null && Node.ORDER.compare(key, high) > 0) {
      return this;
    }
    return new SortRange(low, lowInclusive, key, false);
  }

  public ByteString low() {
    return low;
  }

  public boolean lowInclusive() {
    return lowInclusive;
  }

  public ByteString high() {
    return high;
  }

  public boolean highInclusive() {
    return highInclusive;
  }

  /** Whether no key can lie in the range. */
  public boolean isEmpty() {
    if (low == null || high == null) {
      return false;
    }
    int c = Node.ORDER.compare(low, high);
    return c > 0 || (c == 0 && !(lowInclusive && highInclusive));
  }

  /** Whether {@code key} lies above the high bound. */
  public boolean aboveHigh(ByteString key) {
    if (high == null) {
      return false;
    }
    int c = Node.ORDER.compare(key, high);
    return c > 0 || (c == 0 && !highInclusive);
  }

  /** Whether {@code key} lies below the low bound. */
  public boolean belowLow(ByteString key) {
    if (low == null) {
      return false;
    }
    int c = Node.ORDER.compare(key, low);
    return c < 0 || (c == 0 && !lowInclusive);
  }
}
