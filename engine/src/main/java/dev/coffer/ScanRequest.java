package dev.coffer;

/**
 * A Scan request ({@link Table#scan(ScanRequest)}): the {@link Scan} (Limit, segment,
 * ExclusiveStartKey; the whole table by default), and optionally a filter (FilterExpression: a
 * {@link Condition}, on any attribute), a projection and a {@link Select}. Limit, Count,
 * ScannedCount, the 1 MB page and LastEvaluatedKey behave as for {@link QueryRequest}. Immutable
 * and thread-safe.
 */
public final class ScanRequest extends ReadRequest {
  private final Scan scan;

  private ScanRequest(Builder b) {
    super(b);
    this.scan = b.scan == null ? Scan.all() : b.scan;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().scan(scan).readOptionsOf(this);
  }

  /** Limit, segment and ExclusiveStartKey. */
  public Scan scan() {
    return scan;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScanRequest r && r.scan.equals(scan) && sameReadOptions(r);
  }

  @Override
  public int hashCode() {
    return hashWith(scan);
  }

  @Override
  public String toString() {
    return toString("ScanRequest", scan);
  }

  /**
   * Builds a {@link ScanRequest}: the scan, and the filter, projection, Select and ConsistentRead
   * as for a {@link QueryRequest}. Not thread-safe.
   */
  public static final class Builder extends ReadRequest.Builder<Builder> {
    private Scan scan;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Limit, segment and ExclusiveStartKey (null: the whole table, {@link Scan#all()}). */
    public Builder scan(Scan scan) {
      this.scan = scan;
      return this;
    }

    public ScanRequest build() {
      return new ScanRequest(this);
    }
  }
}
