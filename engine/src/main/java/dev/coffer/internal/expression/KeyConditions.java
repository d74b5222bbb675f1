package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.KeySchema;
import dev.coffer.Query;
import dev.coffer.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed KeyConditionExpression into a {@link Query}, with DynamoDB's checks and messages
 * in its order: first the shape (only AND; one comparison, BETWEEN or begins_with per key, each
 * naming one top-level attribute), then the value types, then the table's key schema. Where
 * DynamoDB's message does not say what is wrong ({@code Query key condition not supported}, {@code
 * Condition parameter type does not match schema type}) Coffer adds the attribute and the operator
 * after a semicolon, keeping DynamoDB's text first. Stateless.
 */
public final class KeyConditions {
  private KeyConditions() {}

  /** One key's condition: operator and values, the key on the left. */
  private record KeyCondition(String attribute, String operator, List<AttributeValue> values) {}

  /**
   * The query that {@code c} describes on a table of {@code schema}.
   *
   * @throws ValidationException with DynamoDB's message when the condition is not a valid key
   *     condition for the table
   */
  public static Query toQuery(Cond c, KeySchema schema) {
    Map<String, KeyCondition> conditions = new LinkedHashMap<>();
    collect(c, conditions);
    for (KeyCondition k : conditions.values()) {
      checkValueTypes(k);
    }
    if (conditions.size() > 2) {
      throw new ValidationException("Conditions can be of length 1 or 2 only");
    }
    String pk = schema.partitionKeyName();
    KeyCondition partition = conditions.get(pk);
    if (!schema.hasSortKey() && conditions.size() > 1) {
      List<String> others = new ArrayList<>(conditions.keySet());
      others.remove(pk);
      throw new ValidationException(
          "Query key condition not supported; the table's only key attribute is "
              + pk
              + ", but the condition also names "
              + String.join(", ", others));
    }
    if (partition == null) {
      throw new ValidationException("Query condition missed key schema element: " + pk);
    }
    checkSchemaType(partition, schema.partitionKeyType());
    if (!partition.operator().equals("=")) {
      throw new ValidationException(
          "Query key condition not supported; the partition key "
              + pk
              + " takes only =, not "
              + partition.operator());
    }
    Query q = Query.partition(partition.values().get(0));
    if (!schema.hasSortKey()) {
      return q;
    }
    KeyCondition sort = conditions.get(schema.sortKeyName());
    if (sort == null) {
      if (conditions.size() > 1) {
        throw new ValidationException(
            "Query condition missed key schema element: " + schema.sortKeyName());
      }
      return q;
    }
    checkSchemaType(sort, schema.sortKeyType());
    List<AttributeValue> v = sort.values();
    switch (sort.operator()) {
      case "=":
        return q.sortEquals(v.get(0));
      case "<":
        return q.sortLessThan(v.get(0));
      case "<=":
        return q.sortLessThanOrEqual(v.get(0));
      case ">":
        return q.sortGreaterThan(v.get(0));
      case ">=":
        return q.sortGreaterThanOrEqual(v.get(0));
      case "BETWEEN":
        return q.sortBetween(v.get(0), v.get(1));
      default:
        return q.sortBeginsWith(v.get(0));
    }
  }

  private static void collect(Cond c, Map<String, KeyCondition> out) {
    if (c instanceof Cond.And) {
      collect(((Cond.And) c).left(), out);
      collect(((Cond.And) c).right(), out);
      return;
    }
    if (c instanceof Cond.Or) {
      throw invalidOperator("OR");
    }
    if (c instanceof Cond.Not) {
      throw invalidOperator("NOT");
    }
    if (c instanceof Cond.In) {
      throw invalidOperator("IN");
    }
    List<Expr> operands;
    String operator;
    if (c instanceof Cond.Compare) {
      Cond.Compare cmp = (Cond.Compare) c;
      if (cmp.op() == Cond.Comparator.NE) {
        throw invalidOperator("<>");
      }
      operands = List.of(cmp.left(), cmp.right());
      operator = cmp.op().symbol();
    } else if (c instanceof Cond.Between) {
      Cond.Between b = (Cond.Between) c;
      if (!(b.subject() instanceof Expr.PathRef)) {
        throw new ValidationException(
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key"
                + " attribute as its first operand");
      }
      operands = List.of(b.subject(), b.low(), b.high());
      operator = "BETWEEN";
    } else {
      Expr.Call call = ((Cond.Function) c).call();
      if (!call.name().equals("begins_with")) {
        throw invalidOperator(call.name());
      }
      if (!(call.args().get(0) instanceof Expr.PathRef)) {
        throw new ValidationException(
            "Invalid condition in KeyConditionExpression: begins_with operator must have the"
                + " key attribute as its first operand");
      }
      operands = call.args();
      operator = "begins_with";
    }
    String attribute = null;
    int keyAt = 0;
    List<AttributeValue> values = new ArrayList<>();
    for (int i = 0; i < operands.size(); i++) {
      Expr e = operands.get(i);
      if (e instanceof Expr.PathRef) {
        DocPath path = ((Expr.PathRef) e).path();
        if (attribute != null) {
          throw new ValidationException(
              "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
        if (path.length() > 1) {
          throw new ValidationException(
              "KeyConditionExpressions cannot have conditions on nested attributes");
        }
        attribute = path.head();
        keyAt = i;
      } else if (e instanceof Expr.Call) {
        Expr.Call call = (Expr.Call) e;
        if (call.name().equals("size")) {
          throw new ValidationException("KeyConditionExpressions cannot contain nested operations");
        }
        throw invalidOperator(call.name());
      } else {
        values.add(((Expr.Value) e).value());
      }
    }
    if (attribute == null) {
      throw new ValidationException(
          "Invalid condition in KeyConditionExpression: No key attribute specified");
    }
    if (out.containsKey(attribute)) {
      throw new ValidationException(
          "KeyConditionExpressions must only contain one condition per key");
    }
    if (keyAt != 0) {
      operator = Cond.Comparator.of(operator).flip().symbol();
    }
    out.put(attribute, new KeyCondition(attribute, operator, values));
  }

  private static ValidationException invalidOperator(String operator) {
    return new ValidationException("Invalid operator used in KeyConditionExpression: " + operator);
  }

  /** The value types each operator takes, as DynamoDB's KeyConditions. */
  private static void checkValueTypes(KeyCondition k) {
    for (AttributeValue v : k.values()) {
      AttributeType t = v.type();
      boolean ok =
          k.operator().equals("=")
              ? t.isKeyType()
                  || t == AttributeType.SS
                  || t == AttributeType.NS
                  || t == AttributeType.BS
              : k.operator().equals("begins_with")
                  ? t == AttributeType.S || t == AttributeType.B
                  : t.isKeyType();
      if (!ok) {
        throw new ValidationException(
            "One or more parameter values were invalid: ComparisonOperator "
                + comparisonOperator(k.operator())
                + " is not valid for "
                + t
                + " AttributeValue type");
      }
    }
  }

  private static String comparisonOperator(String operator) {
    switch (operator) {
      case "=":
        return "EQ";
      case "<":
        return "LT";
      case "<=":
        return "LE";
      case ">":
        return "GT";
      case ">=":
        return "GE";
      case "BETWEEN":
        return "BETWEEN";
      default:
        return "BEGINS_WITH";
    }
  }

  private static void checkSchemaType(KeyCondition k, AttributeType schemaType) {
    for (AttributeValue v : k.values()) {
      if (v.type() != schemaType) {
        throw new ValidationException(
            "One or more parameter values were invalid: Condition parameter type does not"
                + " match schema type; key: "
                + k.attribute()
                + ", schema type: "
                + schemaType
                + ", value type: "
                + v.type()
                + ", operator: "
                + k.operator());
      }
    }
  }
}
