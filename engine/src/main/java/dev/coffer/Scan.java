package dev.coffer;

import java.util.ArrayList;
import java.util.List;
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
 * arguments at once with {@link ValidationException} in DynamoDB's words.
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

  /**
   * At most {@code limit} items per page (DynamoDB's Limit).
   *
   * @throws ValidationException when {@code limit} is below 1
   */
  public Scan limit(int limit) {
    checkLimit(limit);
    return new Scan(limit, segment, totalSegments, exclusiveStartKey);
  }

  /** DynamoDB's check of Limit, for Query and Scan. */
  static void checkLimit(int limit) {
    if (limit < 1) {
      throw new ValidationException(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy"
              + " constraint: Member must have value greater than or equal to 1");
    }
  }

  /**
   * Segment {@code segment} (0 to 999,999) of {@code totalSegments} (1 to 1,000,000) parallel
   * segments.
   *
   * @throws ValidationException as DynamoDB words it, when either is out of its range or {@code
   *     segment} is not below {@code totalSegments}
   */
  public Scan segment(int segment, int totalSegments) {
    List<String> errors = new ArrayList<>();
    if (segment < 0) {
      errors.add(constraint(segment, "segment", "greater than or equal to 0"));
    } else if (segment > 999_999) {
      errors.add(constraint(segment, "segment", "less than or equal to 999999"));
    }
    if (totalSegments < 1) {
      errors.add(constraint(totalSegments, "totalSegments", "greater than or equal to 1"));
    } else if (totalSegments > 1_000_000) {
      errors.add(constraint(totalSegments, "totalSegments", "less than or equal to 1000000"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(
          errors.size()
              + " validation error"
              + (errors.size() > 1 ? "s" : "")
              + " detected: "
              + String.join("; ", errors));
    }
    if (segment >= totalSegments) {
      throw new ValidationException(
          "The Segment parameter is zero-based and must be less than parameter"
              + " TotalSegments: Segment: "
              + segment
              + " is not less than TotalSegments: "
              + totalSegments);
    }
    return new Scan(limit, segment, totalSegments, exclusiveStartKey);
  }

  private static String constraint(int value, String member, String rule) {
    return "Value '"
        + value
        + "' at '"
        + member
        + "' failed to satisfy constraint: Member must have value "
        + rule;
  }

  /** Continue after {@code key}: the previous page's {@link Page#lastEvaluatedKey()}. */
  public Scan exclusiveStartKey(Key key) {
    return new Scan(
        limit,
        segment,
        totalSegments,
        Objects.requireNonNull(key, "exclusiveStartKey must not be null"));
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
  public boolean equals(Object o) {
    return o instanceof Scan s
        && s.limit == limit
        && s.segment == segment
        && s.totalSegments == totalSegments
        && Objects.equals(s.exclusiveStartKey, exclusiveStartKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limit, segment, totalSegments, exclusiveStartKey);
  }

  @Override
  public String toString() {
    return "Scan["
        + (limit > 0 ? "limit=" + limit + ", " : "")
        + "segment "
        + segment
        + "/"
        + totalSegments
        + (exclusiveStartKey == null ? "" : ", after " + exclusiveStartKey)
        + "]";
  }
}
