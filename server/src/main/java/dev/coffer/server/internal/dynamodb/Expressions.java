package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Query;
import dev.coffer.Query.SortCondition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seam between the DynamoDB protocol and expression parsing: key conditions (the expression
 * form and the legacy {@code KeyConditions} form) become the engine's {@link Query}, projections a
 * list of top-level attribute names.
 *
 * <p>Until the engine has its own expression parser (issue 11, moving the CLI's key-condition
 * parser into {@code dev.coffer}), the expression forms here are the CLI's parser, copied: {@code
 * pk = :v} optionally AND one sort-key condition, top-level names only. When the engine's lands,
 * the bodies of {@link #keyCondition} and {@link #projection} call it and {@link ExpressionTokens}
 * goes; callers do not change. Stateless.
 */
final class Expressions {
  private static final String KCE = "KeyConditionExpression";
  private static final String PE = "ProjectionExpression";

  private Expressions() {}

  private record Condition(String name, SortCondition op, List<AttributeValue> values) {}

  /** A {@code KeyConditionExpression} on a table of {@code schema}. */
  static Query keyCondition(String expression, ExpressionAttributes attributes, KeySchema schema) {
    if (expression.isBlank()) {
      throw DynamoError.validation("Invalid KeyConditionExpression: The expression can not be empty;");
    }
    ExpressionTokens tokens = new ExpressionTokens(KCE, expression);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(tokens, attributes));
    if (tokens.accept("AND")) {
      conditions.add(condition(tokens, attributes));
    }
    if (tokens.hasNext()) {
      String t = tokens.take();
      if (t.equalsIgnoreCase("OR") || t.equalsIgnoreCase("NOT")) {
        throw DynamoError.validation("Invalid operator used in KeyConditionExpression: " + t.toUpperCase());
      }
      if (t.equalsIgnoreCase("AND")) {
        throw DynamoError.validation("KeyConditionExpressions must only contain one condition per key");
      }
      throw tokens.error("Syntax error; token: \"" + t + "\", near: \"" + t + "\"");
    }
    Condition partition = null;
    Condition sort = null;
    for (Condition c : conditions) {
      if (c.name().equals(schema.partitionKeyName())) {
        if (partition != null) {
          throw DynamoError.validation("KeyConditionExpressions must only contain one condition per key");
        }
        if (c.op() != SortCondition.EQUALS) {
          throw DynamoError.validation("Query key condition not supported");
        }
        partition = c;
      } else if (schema.hasSortKey() && c.name().equals(schema.sortKeyName())) {
        if (sort != null) {
          throw DynamoError.validation("KeyConditionExpressions must only contain one condition per key");
        }
        sort = c;
      } else {
        throw DynamoError.validation("Query condition missed key schema element: "
            + (partition == null && !c.name().equals(schema.partitionKeyName()) ? schema.partitionKeyName()
                : c.name()));
      }
    }
    if (partition == null) {
      throw DynamoError.validation("Query condition missed key schema element: " + schema.partitionKeyName());
    }
    return query(schema, partition, sort);
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
      AttributeValue prefix = attributes.value(tokens.takeValue(), KCE);
      tokens.expect(")");
      return new Condition(name, SortCondition.BEGINS_WITH, List.of(prefix));
    }
    String name = attributes.name(tokens.takeName());
    String op = tokens.take();
    if (op.equalsIgnoreCase("BETWEEN")) {
      AttributeValue low = attributes.value(tokens.takeValue(), KCE);
      tokens.expect("AND");
      AttributeValue high = attributes.value(tokens.takeValue(), KCE);
      return new Condition(name, SortCondition.BETWEEN, List.of(low, high));
    }
    SortCondition sc = switch (op) {
      case "=" -> SortCondition.EQUALS;
      case "<" -> SortCondition.LESS_THAN;
      case "<=" -> SortCondition.LESS_THAN_OR_EQUAL;
      case ">" -> SortCondition.GREATER_THAN;
      case ">=" -> SortCondition.GREATER_THAN_OR_EQUAL;
      case "<>" -> throw DynamoError.validation("Invalid operator used in KeyConditionExpression: <>");
      default -> throw tokens.error("Syntax error; token: \"" + op + "\", near: \"" + name + " " + op + "\"");
    };
    return new Condition(name, sc, List.of(attributes.value(tokens.takeValue(), KCE)));
  }

  /**
   * The legacy {@code KeyConditions} map: {@code {"attr": {"ComparisonOperator": "EQ",
   * "AttributeValueList": [...]}}}.
   */
  static Query keyConditions(JsonNode map, KeySchema schema) {
    if (map.size() > 2) {
      throw DynamoError.validation("Conditions can be of length 1 or 2 only");
    }
    Condition partition = null;
    Condition sort = null;
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      JsonNode c = DynamoRequest.object(e.getValue());
      if (c == null) {
        throw DynamoError.validation("1 validation error detected: Value null at 'keyConditions." + e.getKey()
            + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
      }
      String op = DynamoRequest.string(c.get("ComparisonOperator"), "ComparisonOperator");
      if (op == null) {
        throw DynamoError.validation("1 validation error detected: Value null at 'keyConditions." + e.getKey()
            + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
      }
      List<AttributeValue> values = new ArrayList<>();
      JsonNode list = DynamoRequest.array(c.get("AttributeValueList"));
      if (list != null) {
        for (JsonNode v : list) {
          values.add(AttributeJson.value(v));
        }
      }
      SortCondition sc = switch (op) {
        case "EQ" -> SortCondition.EQUALS;
        case "LT" -> SortCondition.LESS_THAN;
        case "LE" -> SortCondition.LESS_THAN_OR_EQUAL;
        case "GT" -> SortCondition.GREATER_THAN;
        case "GE" -> SortCondition.GREATER_THAN_OR_EQUAL;
        case "BETWEEN" -> SortCondition.BETWEEN;
        case "BEGINS_WITH" -> SortCondition.BEGINS_WITH;
        case "NE", "IN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS" ->
            throw DynamoError.validation("Attempted conditional constraint is not an indexable operation");
        default -> throw DynamoError.validation("1 validation error detected: Value '" + op + "' at 'keyConditions."
            + e.getKey() + ".member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value"
            + " set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
      };
      int expected = sc == SortCondition.BETWEEN ? 2 : 1;
      if (values.size() != expected) {
        throw DynamoError.validation("One or more parameter values were invalid: Invalid number of argument(s) for"
            + " the " + op + " ComparisonOperator");
      }
      Condition cond = new Condition(e.getKey(), sc, values);
      if (e.getKey().equals(schema.partitionKeyName())) {
        if (sc != SortCondition.EQUALS) {
          throw DynamoError.validation("Query key condition not supported");
        }
        partition = cond;
      } else if (schema.hasSortKey() && e.getKey().equals(schema.sortKeyName())) {
        sort = cond;
      } else {
        throw DynamoError.validation("Query condition missed key schema element: " + schema.partitionKeyName());
      }
    }
    if (partition == null) {
      throw DynamoError.validation("Query condition missed key schema element: " + schema.partitionKeyName());
    }
    return query(schema, partition, sort);
  }

  private static Query query(KeySchema schema, Condition partition, Condition sort) {
    AttributeValue pk = partition.values().get(0);
    checkType(pk, schema.partitionKeyType());
    Query q = Query.partition(pk);
    if (sort == null) {
      return q;
    }
    List<AttributeValue> v = sort.values();
    for (AttributeValue a : v) {
      checkType(a, schema.sortKeyType());
    }
    if (sort.op() == SortCondition.BEGINS_WITH && schema.sortKeyType() == AttributeType.N) {
      throw DynamoError.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function;"
          + " operator or function: begins_with, operand type: N");
    }
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

  private static void checkType(AttributeValue v, AttributeType expected) {
    if (v.type() != expected) {
      throw DynamoError.validation("One or more parameter values were invalid: Condition parameter type does not"
          + " match schema type");
    }
  }

  /** A {@code ProjectionExpression} of top-level names: the names, in order, without duplicates. */
  static List<String> projection(String expression, ExpressionAttributes attributes) {
    if (expression.isBlank()) {
      throw DynamoError.validation("Invalid ProjectionExpression: The expression can not be empty;");
    }
    ExpressionTokens tokens = new ExpressionTokens(PE, expression);
    Set<String> names = new LinkedHashSet<>();
    do {
      String name = attributes.name(tokens.takeName());
      if (!names.add(name)) {
        throw DynamoError.validation("Invalid ProjectionExpression: Two document paths overlap with each other; must"
            + " remove or rewrite one of these paths; path one: [" + name + "], path two: [" + name + "]");
      }
    } while (tokens.accept(","));
    if (tokens.hasNext()) {
      String t = tokens.take();
      throw tokens.error("Syntax error; token: \"" + t + "\", near: \"" + t + "\"");
    }
    return List.copyOf(names);
  }
}
