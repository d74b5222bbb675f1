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
public final class QueryRequest {
  private final Query query;
  private final Condition filter;
  private final Projection projection;
  private final Select select;
  private final boolean consistentRead;

  private QueryRequest(Builder b) {
    this.query = Objects.requireNonNull(b.query, "query");
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
        .query(query)
        .filter(filter)
        .projection(projection)
        .select(select)
        .consistentRead(consistentRead);
  }

  /** The key condition, Limit, order and ExclusiveStartKey. */
  public Query query() {
    return query;
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
    return o instanceof QueryRequest r
        && r.query.equals(query)
        && Objects.equals(r.filter, filter)
        && Objects.equals(r.projection, projection)
        && r.select == select
        && r.consistentRead == consistentRead;
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, filter, projection, select, consistentRead);
  }

  @Override
  public String toString() {
    return "QueryRequest["
        + query
        + (filter == null ? "" : ", filter=" + filter)
        + (projection == null ? "" : ", projection=" + projection)
        + (select == null ? "" : ", select=" + select)
        + "]";
  }

  /** Builds a {@link QueryRequest}. Not thread-safe. */
  public static final class Builder {
    private Query query;
    private Condition filter;
    private Projection projection;
    private Select select;
    private boolean consistentRead;

    private Builder() {}

    public Builder query(Query query) {
      this.query = query;
      return this;
    }

    /** The FilterExpression (null: none). It may not name the partition or the sort key. */
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

    /**
     * @throws NullPointerException without a query
     */
    public QueryRequest build() {
      return new QueryRequest(this);
    }
  }
}
