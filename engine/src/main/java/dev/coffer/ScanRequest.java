package dev.coffer;

import java.util.Objects;

/**
 * A Scan request ({@link Table#scan(ScanRequest)}): the {@link Scan} (Limit, segment,
 * ExclusiveStartKey; the whole table by default), and optionally a filter (FilterExpression: a
 * {@link Condition}, on any attribute), a projection and a {@link Select}. Limit, Count,
 * ScannedCount, the 1 MB page and LastEvaluatedKey behave as for {@link QueryRequest}. Immutable
 * and thread-safe.
 */
public final class ScanRequest {
  private final Scan scan;
  private final Condition filter;
  private final Projection projection;
  private final Select select;
  private final boolean consistentRead;

  private ScanRequest(Builder b) {
    this.scan = b.scan == null ? Scan.all() : b.scan;
    this.filter = b.filter;
    this.projection = b.projection;
    this.select = b.select;
    this.consistentRead = b.consistentRead;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .scan(scan)
        .filter(filter)
        .projection(projection)
        .select(select)
        .consistentRead(consistentRead);
  }

  /** Limit, segment and ExclusiveStartKey. */
  public Scan scan() {
    return scan;
  }

  /** The FilterExpression, or null for none. */
  public Condition filter() {
    return filter;
  }

  /** The ProjectionExpression, or null for whole items. */
  public Projection projection() {
    return projection;
  }

  /** The Select, or null: SPECIFIC_ATTRIBUTES with a projection, ALL_ATTRIBUTES without. */
  public Select select() {
    return select;
  }

  /** Whether a strongly consistent read was asked for (every read is). */
  public boolean consistentRead() {
    return consistentRead;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScanRequest r
        && r.scan.equals(scan)
        && Objects.equals(r.filter, filter)
        && Objects.equals(r.projection, projection)
        && r.select == select
        && r.consistentRead == consistentRead;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scan, filter, projection, select, consistentRead);
  }

  @Override
  public String toString() {
    return "ScanRequest["
        + scan
        + (filter == null ? "" : ", filter=" + filter)
        + (projection == null ? "" : ", projection=" + projection)
        + (select == null ? "" : ", select=" + select)
        + "]";
  }

  /** Builds a {@link ScanRequest}. Not thread-safe. */
  public static final class Builder {
    private Scan scan;
    private Condition filter;
    private Projection projection;
    private Select select;
    private boolean consistentRead;

    private Builder() {}

    /** Limit, segment and ExclusiveStartKey (null: the whole table, {@link Scan#all()}). */
    public Builder scan(Scan scan) {
      this.scan = scan;
      return this;
    }

    /** The FilterExpression (null: none). */
    public Builder filter(Condition filter) {
      this.filter = filter;
      return this;
    }

    /** The ProjectionExpression (null: whole items). */
    public Builder projection(Projection projection) {
      this.projection = projection;
      return this;
    }

    public Builder select(Select select) {
      this.select = select;
      return this;
    }

    /** Accepted; every read is strongly consistent. */
    public Builder consistentRead(boolean consistentRead) {
      this.consistentRead = consistentRead;
      return this;
    }

    public ScanRequest build() {
      return new ScanRequest(this);
    }
  }
}
