package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Expressions;
import dev.coffer.KeySchema;
import dev.coffer.Projection;
import dev.coffer.Query;
import dev.coffer.Query.SortCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seam between a DynamoDB request and the engine's expression API ({@link Expressions}): the
 * request's {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues} go into one
 * {@link Expressions.Builder}, which parses every expression of the request together, with
 * DynamoDB's grammar, reserved words, placeholder checks and messages (as the command line does);
 * {@code KeyConditionExpression} becomes the engine's {@link Query}, {@code ProjectionExpression} a
 * {@link Projection} (nested paths included). The legacy, non-expression {@code KeyConditions} map
 * is read here. Stateless.
 */
final class RequestExpressions {
  private RequestExpressions() {}

  private record Condition(String name, SortCondition op, List<AttributeValue> values) {}

  /** A builder holding the request's names and values (either may be absent). */
  static Expressions.Builder builder(DynamoRequest r) {
    Map<String, String> names = null;
    JsonNode n = r.object("ExpressionAttributeNames");
    if (n != null) {
      names = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        names.put(e.getKey(), DynamoRequest.string(e.getValue(), "ExpressionAttributeNames"));
      }
    }
    Map<String, AttributeValue> values = null;
    JsonNode v = r.object("ExpressionAttributeValues");
    if (v != null) {
      values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        values.put(e.getKey(), AttributeJson.value(e.getValue()));
      }
    }
    return Expressions.builder().expressionAttributeNames(names).expressionAttributeValues(values);
  }

  /**
   * DynamoDB's checks of which expression and legacy parameters a request combines: both kinds is
   * {@code Can not use both expression and non-expression parameters in the same request: ...};
   * ExpressionAttributeNames without any expression, or ExpressionAttributeValues without an
   * expression that takes values, are refused with DynamoDB's messages.
   *
   * @param expressions the request's expression parameters, in DynamoDB's order
   * @param legacy its non-expression parameters
   */
  static void checkParameters(DynamoRequest r, List<String> expressions, List<String> legacy) {
    List<String> used = expressions.stream().filter(r::has).toList();
    if (!used.isEmpty()) {
      List<String> old = legacy.stream().filter(r::has).toList();
      if (!old.isEmpty()) {
        throw DynamoError.validation(
            "Can not use both expression and non-expression parameters in the same request:"
                + " Non-expression parameters: {"
                + String.join(", ", old)
                + "} Expression parameters: {"
                + String.join(", ", used)
                + "}");
      }
    }
    if (r.has("ExpressionAttributeNames") && used.isEmpty()) {
      throw DynamoError.validation(
          "ExpressionAttributeNames can only be specified when using expressions");
    }
    List<String> valued =
        expressions.stream().filter(e -> !e.equals("ProjectionExpression")).toList();
    if (!valued.isEmpty()
        && r.has("ExpressionAttributeValues")
        && valued.stream().noneMatch(r::has)) {
      throw DynamoError.validation(
          "ExpressionAttributeValues can only be specified when using expressions: "
              + String.join(" and ", valued)
              + " "
              + (valued.size() > 1 ? "are" : "is")
              + " null");
    }
  }

  /**
   * Refuses a legacy (non-expression) parameter Coffer does not translate, with a
   * ValidationException that names the expression parameter to use instead.
   */
  static void refuseLegacy(DynamoRequest r, String parameter, String instead) {
    if (r.has(parameter)) {
      throw DynamoError.validation(
          "Coffer does not support the legacy "
              + parameter
              + " parameter; use "
              + instead
              + " instead. The request was not run.");
    }
  }

  /** The projection {@code AttributesToGet} names: top-level attributes, taken literally. */
  static Projection attributes(List<String> attributesToGet) {
    return Projection.attributes(attributesToGet.toArray(String[]::new));
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
        throw DynamoError.validation(
            "1 validation error detected: Value null at 'keyConditions."
                + e.getKey()
                + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
      }
      String op = DynamoRequest.string(c.get("ComparisonOperator"), "ComparisonOperator");
      if (op == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at 'keyConditions."
                + e.getKey()
                + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
      }
      List<AttributeValue> values = new ArrayList<>();
      JsonNode list = DynamoRequest.array(c.get("AttributeValueList"));
      if (list != null) {
        for (JsonNode v : list) {
          values.add(AttributeJson.value(v));
        }
      }
      SortCondition sc =
          switch (op) {
            case "EQ" -> SortCondition.EQUALS;
            case "LT" -> SortCondition.LESS_THAN;
            case "LE" -> SortCondition.LESS_THAN_OR_EQUAL;
            case "GT" -> SortCondition.GREATER_THAN;
            case "GE" -> SortCondition.GREATER_THAN_OR_EQUAL;
            case "BETWEEN" -> SortCondition.BETWEEN;
            case "BEGINS_WITH" -> SortCondition.BEGINS_WITH;
            case "NE", "IN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS" ->
                throw DynamoError.validation(
                    "Attempted conditional constraint is not an indexable operation");
            default ->
                throw DynamoError.validation(
                    "1 validation error detected: Value '"
                        + op
                        + "' at 'keyConditions."
                        + e.getKey()
                        + ".member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value"
                        + " set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
          };
      int expected = sc == SortCondition.BETWEEN ? 2 : 1;
      if (values.size() != expected) {
        throw DynamoError.validation(
            "One or more parameter values were invalid: Invalid number of argument(s) for"
                + " the "
                + op
                + " ComparisonOperator");
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
        throw DynamoError.validation(
            "Query condition missed key schema element: " + schema.partitionKeyName());
      }
    }
    if (partition == null) {
      throw DynamoError.validation(
          "Query condition missed key schema element: " + schema.partitionKeyName());
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
      throw DynamoError.validation(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function;"
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
      throw DynamoError.validation(
          "One or more parameter values were invalid: Condition parameter type does not"
              + " match schema type");
    }
  }
}
