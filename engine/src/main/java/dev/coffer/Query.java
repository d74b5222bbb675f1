package dev.coffer;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB Query: the items of one partition, optionally narrowed by one condition on the sort
 * key, in sort-key order (ascending unless {@link #descending()}), a page at a time.
 *
 * <pre>{@code
 * Page page = table.query(Query.partition("USER#1").sortBeginsWith("ORDER#").limit(25).descending());
 * page.lastEvaluatedKey().ifPresent(next -> ...query.exclusiveStartKey(next)...);
 * }</pre>
 *
 * <p>Immutable and thread-safe (queries with the same parts are equal): every method returns a new
 * query. Methods check their arguments at once ({@link NullPointerException} for a null value,
 * {@link ValidationException} with DynamoDB's message for a limit below 1, {@link
 * IllegalStateException} for a second sort-key condition); the table checks the values against its
 * key schema when the query runs ({@link ValidationException}: a value of the wrong type, an empty
 * or too long key value, a starting key outside the key condition).
 */
public final class Query {
  /** The sort-key conditions of DynamoDB's KeyConditionExpression. */
  public enum SortCondition {
    /** {@code sk = :v} */
    EQUALS("="),
    /** {@code sk < :v} */
    LESS_THAN("<"),
    /** {@code sk <= :v} */
    LESS_THAN_OR_EQUAL("<="),
    /** {@code sk > :v} */
    GREATER_THAN(">"),
    /** {@code sk >= :v} */
    GREATER_THAN_OR_EQUAL(">="),
    /** {@code sk BETWEEN :a AND :b} */
    BETWEEN("BETWEEN"),
    /** {@code begins_with(sk, :prefix)} (S and B only) */
    BEGINS_WITH("begins_with");

    private final String operator;

    SortCondition(String operator) {
      this.operator = operator;
    }

    /** The operator as DynamoDB's expression syntax writes it. */
    public String operator() {
      return operator;
    }
  }

  private final AttributeValue partitionKey;
  private final SortCondition sortCondition;
  private final List<AttributeValue> sortValues;
  private final int limit;
  private final boolean forward;
  private final Key exclusiveStartKey;

  private Query(
      AttributeValue partitionKey,
      SortCondition sortCondition,
      List<AttributeValue> sortValues,
      int limit,
      boolean forward,
      Key exclusiveStartKey) {
    this.partitionKey = partitionKey;
    this.sortCondition = sortCondition;
    this.sortValues = sortValues;
    this.limit = limit;
    this.forward = forward;
    this.exclusiveStartKey = exclusiveStartKey;
  }

  /** The items whose partition key is {@code partitionKey}. */
  public static Query partition(AttributeValue partitionKey) {
    return new Query(require(partitionKey, "partitionKey"), null, List.of(), 0, true, null);
  }

  /** The items whose (string) partition key is {@code partitionKey}. */
  public static Query partition(String partitionKey) {
    return partition(AttributeValue.s(require(partitionKey, "partitionKey")));
  }

  /**
   * The query a DynamoDB KeyConditionExpression describes on a table of {@code schema}, e.g. {@code
   * keyCondition(orders.keySchema(), "customer = :c AND begins_with(orderDate, :y)", null,
   * values)}. The same as {@link Expressions#keyCondition(KeySchema)} for a request with only this
   * expression.
   *
   * @param names ExpressionAttributeNames, or null
   * @param values ExpressionAttributeValues, or null
   * @throws ValidationException with DynamoDB's message for a malformed or unsupported condition
   */
  public static Query keyCondition(
      KeySchema schema,
      String expression,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    return Expressions.builder()
        .keyConditionExpression(expression)
        .expressionAttributeNames(Condition.emptyToNull(names))
        .expressionAttributeValues(Condition.emptyToNull(values))
        .build()
        .keyCondition(schema);
  }

  public Query sortEquals(AttributeValue v) {
    return sort(SortCondition.EQUALS, v);
  }

  public Query sortEquals(String v) {
    return sortEquals(AttributeValue.s(require(v, "value")));
  }

  public Query sortLessThan(AttributeValue v) {
    return sort(SortCondition.LESS_THAN, v);
  }

  public Query sortLessThan(String v) {
    return sortLessThan(AttributeValue.s(require(v, "value")));
  }

  public Query sortLessThanOrEqual(AttributeValue v) {
    return sort(SortCondition.LESS_THAN_OR_EQUAL, v);
  }

  public Query sortLessThanOrEqual(String v) {
    return sortLessThanOrEqual(AttributeValue.s(require(v, "value")));
  }

  public Query sortGreaterThan(AttributeValue v) {
    return sort(SortCondition.GREATER_THAN, v);
  }

  public Query sortGreaterThan(String v) {
    return sortGreaterThan(AttributeValue.s(require(v, "value")));
  }

  public Query sortGreaterThanOrEqual(AttributeValue v) {
    return sort(SortCondition.GREATER_THAN_OR_EQUAL, v);
  }

  public Query sortGreaterThanOrEqual(String v) {
    return sortGreaterThanOrEqual(AttributeValue.s(require(v, "value")));
  }

  /** {@code low <= sk <= high}. */
  public Query sortBetween(AttributeValue low, AttributeValue high) {
    return sort(SortCondition.BETWEEN, require(low, "low"), require(high, "high"));
  }

  public Query sortBetween(String low, String high) {
    return sortBetween(
        AttributeValue.s(require(low, "low")), AttributeValue.s(require(high, "high")));
  }

  /** Sort keys starting with {@code prefix} (S or B sort keys). */
  public Query sortBeginsWith(AttributeValue prefix) {
    return sort(SortCondition.BEGINS_WITH, prefix);
  }

  public Query sortBeginsWith(String prefix) {
    return sortBeginsWith(AttributeValue.s(require(prefix, "prefix")));
  }

  /**
   * At most {@code limit} items per page (DynamoDB's Limit).
   *
   * @throws ValidationException when {@code limit} is below 1
   */
  public Query limit(int limit) {
    Scan.checkLimit(limit);
    return new Query(partitionKey, sortCondition, sortValues, limit, forward, exclusiveStartKey);
  }

  /** Descending sort-key order (DynamoDB's ScanIndexForward = false). */
  public Query descending() {
    return new Query(partitionKey, sortCondition, sortValues, limit, false, exclusiveStartKey);
  }

  /** Ascending sort-key order, the default. */
  public Query ascending() {
    return new Query(partitionKey, sortCondition, sortValues, limit, true, exclusiveStartKey);
  }

  /** Continue after {@code key}: the previous page's {@link Page#lastEvaluatedKey()}. */
  public Query exclusiveStartKey(Key key) {
    return new Query(
        partitionKey, sortCondition, sortValues, limit, forward, require(key, "exclusiveStartKey"));
  }

  public AttributeValue partitionKey() {
    return partitionKey;
  }

  /** The sort-key condition, or null when there is none. */
  public SortCondition sortCondition() {
    return sortCondition;
  }

  /** The condition's operands: one, or two for BETWEEN; empty without a condition. */
  public List<AttributeValue> sortValues() {
    return sortValues;
  }

  /** The page size limit, or 0 for none (pages still stop at 1 MB, as DynamoDB's). */
  public int limit() {
    return limit;
  }

  /** Whether the order is ascending. */
  public boolean isAscending() {
    return forward;
  }

  /** The key to continue after, or null. */
  public Key exclusiveStartKey() {
    return exclusiveStartKey;
  }

  private Query sort(SortCondition condition, AttributeValue... values) {
    for (AttributeValue v : values) {
      require(v, "value");
    }
    if (sortCondition != null) {
      throw new IllegalStateException(
          "A query takes one sort key condition; it already has " + sortCondition.operator());
    }
    return new Query(partitionKey, condition, List.of(values), limit, forward, exclusiveStartKey);
  }

  private static <T> T require(T value, String name) {
    return Objects.requireNonNull(value, () -> name + " must not be null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Query q
        && q.partitionKey.equals(partitionKey)
        && q.sortCondition == sortCondition
        && q.sortValues.equals(sortValues)
        && q.limit == limit
        && q.forward == forward
        && Objects.equals(q.exclusiveStartKey, exclusiveStartKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitionKey, sortCondition, sortValues, limit, forward, exclusiveStartKey);
  }

  @Override
  public String toString() {
    return "Query[partition="
        + partitionKey
        + (sortCondition == null ? "" : ", sort " + sortCondition.operator() + " " + sortValues)
        + (limit > 0 ? ", limit=" + limit : "")
        + (forward ? "" : ", descending")
        + (exclusiveStartKey == null ? "" : ", after " + exclusiveStartKey)
        + "]";
  }
}
