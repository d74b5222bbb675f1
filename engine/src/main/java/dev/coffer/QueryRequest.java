package dev.coffer;

import java.util.Objects;

/**
 * A Query request ({@link Table#query(QueryRequest)}): the {@link Query} (key condition, Limit,
 * order, ExclusiveStartKey), and optionally a filter (FilterExpression, a {@link Condition} on
 * non-key attributes), a projection and a {@link Select}.
 *
 * <pre>{@code
 * Page page = orders.query(QueryRequest.builder()
 *     .query(Query.partition("USER#1").limit(50))
 *     .filter(Condition.path("amount").gt(AttributeValue.n(100)))
 *     .projection(Projection.attributes("orderDate", "amount"))
 *     .build());
 * }</pre>
 *
 * <p>As in DynamoDB, {@link Query#limit(int) Limit} counts the items read, before the filter:
 * {@link Page#scannedCount()} is the number read, {@link Page#count()} the number that passed the
 * filter; a page also stops after 1 MB of items read. {@link Page#lastEvaluatedKey()} is the key of
 * the last item read whenever the page stopped at the limit or at 1 MB (even when nothing follows),
 * and absent when the partition's range was read to its end. Immutable and thread-safe; {@link
 * Builder#build()} requires the query.
 */
public final class QueryRequest extends ReadRequest {
  private final Query query;

  private QueryRequest(Builder b) {
    super(b);
    this.query = Objects.requireNonNull(b.query, "query");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().query(query).readOptionsOf(this);
  }

  /** The key condition, Limit, order and ExclusiveStartKey. */
  public Query query() {
    return query;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryRequest r && r.query.equals(query) && sameReadOptions(r);
  }

  @Override
  public int hashCode() {
    return hashWith(query);
  }

  @Override
  public String toString() {
    return toString("QueryRequest", query);
  }

  /**
   * Builds a {@link QueryRequest}: the query, and the filter, projection, Select and ConsistentRead
   * as for a {@link ScanRequest}. Not thread-safe.
   */
  public static final class Builder extends ReadRequest.Builder<Builder> {
    private Query query;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The key condition, Limit, order and ExclusiveStartKey (required). */
    public Builder query(Query query) {
      this.query = query;
      return this;
    }

    /**
     * @throws NullPointerException without a query
     */
    public QueryRequest build() {
      return new QueryRequest(this);
    }
  }
}
