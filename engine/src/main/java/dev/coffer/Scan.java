package dev.coffer;

import java.util.Objects;

/**
 * A DynamoDB Scan: every item of a table, a page at a time, in partition-token order (hash order,
 * as in DynamoDB), optionally one segment of a parallel scan.
 *
 * <pre>{@code
 * Page page = table.scan(Scan.all().limit(100).segment(2, 8));
 * }</pre>
 *
 * <p>Segment {@code i} of {@code n} covers the i-th of n equal slices of the token space, so the n
 * segments together return every item exactly once. Immutable and thread-safe; methods check their
 * arguments at once with {@link IllegalArgumentException}.
 */
public final class Scan {
  private static final Scan ALL = new Scan(0, 0, 1, null);

  private final int limit;
  private final int segment;
  private final int totalSegments;
  private final Key exclusiveStartKey;

  private Scan(int limit, int segment, int totalSegments, Key exclusiveStartKey) {
    this.limit = limit;
    this.segment = segment;
    this.totalSegments = totalSegments;
    this.exclusiveStartKey = exclusiveStartKey;
  }

  /** The whole table. */
  public static Scan all() {
    return ALL;
  }

  /** At most {@code limit} items per page; at least 1. */
  public Scan limit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return new Scan(limit, segment, totalSegments, exclusiveStartKey);
  }

  /** Segment {@code segment} (from 0) of {@code totalSegments} (1 to 1,000,000) parallel segments. */
  public Scan segment(int segment, int totalSegments) {
    if (totalSegments < 1 || totalSegments > 1_000_000) {
      throw new IllegalArgumentException("totalSegments must be 1 to 1000000, was " + totalSegments);
    }
    if (segment < 0 || segment >= totalSegments) {
      throw new IllegalArgumentException(
          "segment must be 0 to totalSegments - 1 (" + (totalSegments - 1) + "), was " + segment);
    }
    return new Scan(limit, segment, totalSegments, exclusiveStartKey);
  }

  /** Continue after {@code key}: the previous page's {@link Page#lastEvaluatedKey()}. */
  public Scan exclusiveStartKey(Key key) {
    return new Scan(limit, segment, totalSegments, Objects.requireNonNull(key, "exclusiveStartKey must not be null"));
  }

  /** The page size limit, or 0 for none (pages still stop at 1 MB). */
  public int limit() {
    return limit;
  }

  public int segment() {
    return segment;
  }

  public int totalSegments() {
    return totalSegments;
  }

  /** The key to continue after, or null. */
  public Key exclusiveStartKey() {
    return exclusiveStartKey;
  }

  @Override
  public String toString() {
    return "Scan[" + (limit > 0 ? "limit=" + limit + ", " : "") + "segment " + segment + "/" + totalSegments
        + (exclusiveStartKey == null ? "" : ", after " + exclusiveStartKey) + "]";
  }
}
