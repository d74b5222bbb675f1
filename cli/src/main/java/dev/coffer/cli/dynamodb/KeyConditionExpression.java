package dev.coffer.cli.dynamodb;

import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Query;
import dev.coffer.Query.SortCondition;
import dev.coffer.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Query's {@code KeyConditionExpression}, parsed into the engine's {@link Query}: {@code pk = :v},
 * optionally {@code AND} one sort-key condition {@code sk = :v}, {@code <}, {@code <=}, {@code >},
 * {@code >=}, {@code sk BETWEEN :a AND :b} or {@code begins_with(sk, :p)}, in either order, names
 * written plainly or as {@code #placeholders}. Keywords ignore case; a condition may be wrapped in
 * parentheses. Everything else (OR, NOT, functions other than begins_with, nested paths) fails
 * with DynamoDB's {@link ValidationException}. Stateless.
 */
final class KeyConditionExpression {
  private static final String KIND = "KeyConditionExpression";

  private KeyConditionExpression() {}

  /** One comparison: attribute, operator, operands. */
  private record Condition(String name, SortCondition op, List<AttributeValue> values) {}

  /**
   * The query of {@code expression} on a table of {@code schema}.
   *
   * @throws ValidationException when the expression is malformed, does not fix the partition key
   *     with {@code =}, or names an attribute that is not a key
   */
  static Query parse(String expression, ExpressionAttributes attributes, KeySchema schema) {
    ExpressionTokens tokens = new ExpressionTokens(KIND, expression);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(tokens, attributes));
    if (tokens.accept("AND")) {
      conditions.add(condition(tokens, attributes));
    }
    if (tokens.hasNext()) {
      String t = tokens.take();
      if (t.equalsIgnoreCase("OR") || t.equalsIgnoreCase("AND")) {
        throw tokens.error("Coffer's key conditions take the partition key and at most one sort key condition,"
            + " joined by AND; OR and more conditions are not supported (token: \"" + t + "\")");
      }
      throw tokens.error("Syntax error; token: \"" + t + "\"");
    }
    Condition partition = null;
    Condition sort = null;
    for (Condition c : conditions) {
      if (c.name().equals(schema.partitionKeyName()) && partition == null) {
        if (c.op() != SortCondition.EQUALS) {
          throw new ValidationException("Query key condition not supported");
        }
        partition = c;
      } else if (schema.hasSortKey() && c.name().equals(schema.sortKeyName()) && sort == null) {
        sort = c;
      } else {
        throw new ValidationException("Query key condition not supported");
      }
    }
    if (partition == null) {
      throw new ValidationException("Query condition missed key schema element: " + schema.partitionKeyName());
    }
    Query q = Query.partition(partition.values().get(0));
    if (sort == null) {
      return q;
    }
    List<AttributeValue> v = sort.values();
    return switch (sort.op()) {
      case EQUALS -> q.sortEquals(v.get(0));
      case LESS_THAN -> q.sortLessThan(v.get(0));
      case LESS_THAN_OR_EQUAL -> q.sortLessThanOrEqual(v.get(0));
      case GREATER_THAN -> q.sortGreaterThan(v.get(0));
      case GREATER_THAN_OR_EQUAL -> q.sortGreaterThanOrEqual(v.get(0));
      case BETWEEN -> q.sortBetween(v.get(0), v.get(1));
      case BEGINS_WITH -> q.sortBeginsWith(v.get(0));
    };
  }

  private static Condition condition(ExpressionTokens tokens, ExpressionAttributes attributes) {
    if (tokens.accept("(")) {
      Condition c = condition(tokens, attributes);
      tokens.expect(")");
      return c;
    }
    if ("begins_with".equalsIgnoreCase(tokens.peek())) {
      tokens.take();
      tokens.expect("(");
      String name = attributes.name(tokens.takeName());
      tokens.expect(",");
      AttributeValue prefix = attributes.value(tokens.takeValue());
      tokens.expect(")");
      return new Condition(name, SortCondition.BEGINS_WITH, List.of(prefix));
    }
    String name = attributes.name(tokens.takeName());
    String op = tokens.take();
    if (op.equalsIgnoreCase("BETWEEN")) {
      AttributeValue low = attributes.value(tokens.takeValue());
      tokens.expect("AND");
      AttributeValue high = attributes.value(tokens.takeValue());
      return new Condition(name, SortCondition.BETWEEN, List.of(low, high));
    }
    SortCondition sc = switch (op) {
      case "=" -> SortCondition.EQUALS;
      case "<" -> SortCondition.LESS_THAN;
      case "<=" -> SortCondition.LESS_THAN_OR_EQUAL;
      case ">" -> SortCondition.GREATER_THAN;
      case ">=" -> SortCondition.GREATER_THAN_OR_EQUAL;
      case "<>" -> throw new ValidationException("Invalid operator used in KeyConditionExpression: <>");
      default -> throw tokens.error("Syntax error; token: \"" + op + "\", expected a comparator"
          + " (=, <, <=, >, >=, BETWEEN) after " + name);
    };
    return new Condition(name, sc, List.of(attributes.value(tokens.takeValue())));
  }
}
