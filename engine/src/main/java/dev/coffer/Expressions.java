package dev.coffer;

import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.ExpressionKind;
import dev.coffer.internal.expression.ExpressionParser;
import dev.coffer.internal.expression.KeyConditions;
import dev.coffer.internal.expression.Placeholders;
import dev.coffer.internal.expression.Printer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The expression parameters of one DynamoDB request, parsed together as DynamoDB does: one
 * ExpressionAttributeNames and one ExpressionAttributeValues shared by all the request's
 * expressions, every placeholder defined and every definition used by some expression. For code and
 * tools that already speak DynamoDB's request shape (the command line does):
 *
 * <pre>{@code
 * Expressions e = Expressions.builder()
 *     .keyConditionExpression("#c = :c AND begins_with(orderDate, :y)")
 *     .projectionExpression("#c, orderDate, amount")
 *     .expressionAttributeNames(Map.of("#c", "customer"))
 *     .expressionAttributeValues(Map.of(":c", AttributeValue.s("USER#1"), ":y", AttributeValue.s("2026-")))
 *     .build();
 * Query q = e.keyCondition(orders.keySchema());
 * Projection p = e.projectionExpression().orElseThrow();
 * }</pre>
 *
 * {@link Builder#build()} checks in DynamoDB's order and throws DynamoDB's {@link
 * ValidationException}: names without any expression, the maps' keys and values, then each
 * expression (UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression,
 * ProjectionExpression), then unused names and unused values. Checks that need the table's key
 * schema run in {@link #keyCondition(KeySchema)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Expressions {
  private final Condition condition;
  private final Condition filter;
  private final Cond keyCondition;
  private final Update update;
  private final Projection projection;

  private Expressions(Builder b, Placeholders p) {
    this.update = b.update == null ? null : Update.of(ExpressionParser.update(b.update, p));
    this.condition =
        b.condition == null
            ? null
            : Condition.of(ExpressionParser.condition(b.condition, ExpressionKind.CONDITION, p));
    this.keyCondition =
        b.keyCondition == null
            ? null
            : ExpressionParser.condition(b.keyCondition, ExpressionKind.KEY_CONDITION, p);
    this.filter =
        b.filter == null
            ? null
            : Condition.of(ExpressionParser.condition(b.filter, ExpressionKind.FILTER, p));
    this.projection =
        b.projection == null
            ? null
            : Projection.of(ExpressionParser.projection(b.projection, p), true);
    p.checkAllUsed();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The ConditionExpression, if the request has one. */
  public Optional<Condition> conditionExpression() {
    return Optional.ofNullable(condition);
  }

  /** The FilterExpression, if the request has one. */
  public Optional<Condition> filterExpression() {
    return Optional.ofNullable(filter);
  }

  /** The UpdateExpression, if the request has one. */
  public Optional<Update> updateExpression() {
    return Optional.ofNullable(update);
  }

  /** The ProjectionExpression, if the request has one. */
  public Optional<Projection> projectionExpression() {
    return Optional.ofNullable(projection);
  }

  /** Whether the request has a KeyConditionExpression. */
  public boolean hasKeyCondition() {
    return keyCondition != null;
  }

  /**
   * The Query the KeyConditionExpression describes on a table of {@code schema}: the partition key
   * with {@code =}, optionally one sort-key condition ({@code = < <= > >=}, BETWEEN, begins_with),
   * joined by AND in either order. Add the limit, order and start key to the query it returns.
   *
   * @throws ValidationException with DynamoDB's message when there is no key condition or it is not
   *     a valid one for the table (e.g. {@code Query condition missed key schema element: pk},
   *     {@code Invalid operator used in KeyConditionExpression: OR}); where DynamoDB's message does
   *     not say which attribute or operator is wrong, Coffer adds them after a semicolon
   */
  public Query keyCondition(KeySchema schema) {
    if (keyCondition == null) {
      throw new ValidationException(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    }
    return KeyConditions.toQuery(keyCondition, Objects.requireNonNull(schema, "schema"));
  }

  /** {@code expression} followed by its names and values, for the expression types' toString. */
  static String describe(Printer.Printed p) {
    StringBuilder sb = new StringBuilder(p.expression());
    if (!p.names().isEmpty()) {
      sb.append(" names=").append(new TreeMap<>(p.names()));
    }
    if (!p.values().isEmpty()) {
      sb.append(" values=").append(new TreeMap<>(p.values()));
    }
    return sb.toString();
  }

  /**
   * Builds {@link Expressions}. Parameters left unset (or set to null) are absent from the request;
   * an empty map is an error, as in DynamoDB. Not thread-safe.
   */
  public static final class Builder {
    private String condition;
    private String filter;
    private String keyCondition;
    private String update;
    private String projection;
    private Map<String, String> names;
    private Map<String, AttributeValue> values;

    private Builder() {}

    /** ConditionExpression (PutItem, UpdateItem, DeleteItem, ConditionCheck). */
    public Builder conditionExpression(String expression) {
      this.condition = expression;
      return this;
    }

    /** FilterExpression (Query, Scan). */
    public Builder filterExpression(String expression) {
      this.filter = expression;
      return this;
    }

    /** KeyConditionExpression (Query). */
    public Builder keyConditionExpression(String expression) {
      this.keyCondition = expression;
      return this;
    }

    /** UpdateExpression (UpdateItem). */
    public Builder updateExpression(String expression) {
      this.update = expression;
      return this;
    }

    /** ProjectionExpression (GetItem, Query, Scan, TransactGetItems). */
    public Builder projectionExpression(String expression) {
      this.projection = expression;
      return this;
    }

    /** ExpressionAttributeNames: {@code #name} to attribute name. */
    public Builder expressionAttributeNames(Map<String, String> names) {
      this.names = names == null ? null : new LinkedHashMap<>(names);
      return this;
    }

    /** ExpressionAttributeValues: {@code :value} to value. */
    public Builder expressionAttributeValues(Map<String, AttributeValue> values) {
      this.values = values == null ? null : new LinkedHashMap<>(values);
      return this;
    }

    /**
     * Parses and checks every expression.
     *
     * @throws ValidationException with DynamoDB's message for the first problem DynamoDB would
     *     report
     */
    public Expressions build() {
      boolean any =
          condition != null
              || filter != null
              || keyCondition != null
              || update != null
              || projection != null;
      if (names != null && !any) {
        throw new ValidationException(
            "ExpressionAttributeNames can only be specified when using expressions");
      }
      return new Expressions(this, Placeholders.of(names, values));
    }
  }
}
