package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.util.Map;

/**
 * Evaluates a checked condition against an item, with DynamoDB's typing rules: an operand that does
 * not exist (a missing attribute, or {@code size} of a type without a size) makes {@code =}, the
 * ordering comparisons, BETWEEN and IN false and {@code <>} true; values of different types are
 * never equal and never ordered; the ordering comparisons and BETWEEN hold only for S, N and B.
 * Never throws for data: bad operand types in the expression itself were refused when it was
 * checked. Stateless.
 */
public final class ConditionEvaluator {
  private ConditionEvaluator() {}

  /** Whether {@code c} holds for {@code item} (null or empty when there is no item). */
  public static boolean matches(Cond c, Item item) {
    return holds(c, item == null ? Map.of() : item.attributes());
  }

  static boolean holds(Cond c, Map<String, AttributeValue> item) {
    if (c instanceof Cond.And) {
      Cond.And a = (Cond.And) c;
      return holds(a.left(), item) && holds(a.right(), item);
    }
    if (c instanceof Cond.Or) {
      Cond.Or o = (Cond.Or) c;
      return holds(o.left(), item) || holds(o.right(), item);
    }
    if (c instanceof Cond.Not) {
      return !holds(((Cond.Not) c).operand(), item);
    }
    if (c instanceof Cond.Compare) {
      Cond.Compare cmp = (Cond.Compare) c;
      return compare(cmp.op(), value(cmp.left(), item), value(cmp.right(), item));
    }
    if (c instanceof Cond.Between) {
      Cond.Between b = (Cond.Between) c;
      AttributeValue v = value(b.subject(), item);
      return compare(Cond.Comparator.GE, v, value(b.low(), item))
          && compare(Cond.Comparator.LE, v, value(b.high(), item));
    }
    if (c instanceof Cond.In) {
      Cond.In in = (Cond.In) c;
      AttributeValue v = value(in.subject(), item);
      if (v == null) {
        return false;
      }
      for (Expr candidate : in.candidates()) {
        if (v.equals(value(candidate, item))) {
          return true;
        }
      }
      return false;
    }
    return function(((Cond.Function) c).call(), item);
  }

  private static boolean compare(Cond.Comparator op, AttributeValue a, AttributeValue b) {
    if (op == Cond.Comparator.EQ) {
      return a != null && a.equals(b);
    }
    if (op == Cond.Comparator.NE) {
      return a == null || !a.equals(b);
    }
    if (a == null || b == null || a.type() != b.type() || !Values.isOrderable(a.type())) {
      return false;
    }
    int r = Values.compare(a, b);
    switch (op) {
      case LT:
        return r < 0;
      case LE:
        return r <= 0;
      case GT:
        return r > 0;
      default:
        return r >= 0;
    }
  }

  private static boolean function(Expr.Call call, Map<String, AttributeValue> item) {
    switch (call.name()) {
      case "attribute_exists":
        return value(call.args().get(0), item) != null;
      case "attribute_not_exists":
        return value(call.args().get(0), item) == null;
      case "attribute_type":
        {
          AttributeValue v = value(call.args().get(0), item);
          AttributeValue type = value(call.args().get(1), item);
          return v != null && v.type().name().equals(type.s());
        }
      case "begins_with":
        {
          AttributeValue v = value(call.args().get(0), item);
          AttributeValue prefix = value(call.args().get(1), item);
          return v != null && prefix != null && Values.beginsWith(v, prefix);
        }
      case "contains":
        {
          AttributeValue v = value(call.args().get(0), item);
          AttributeValue operand = value(call.args().get(1), item);
          return v != null && operand != null && Values.contains(v, operand);
        }
      default:
        throw new IllegalStateException("not a condition function: " + call.name());
    }
  }

  /** The value of an operand, or null when it has none. */
  static AttributeValue value(Expr e, Map<String, AttributeValue> item) {
    if (e instanceof Expr.PathRef) {
      return Values.resolve(item, ((Expr.PathRef) e).path());
    }
    if (e instanceof Expr.Value) {
      return ((Expr.Value) e).value();
    }
    Expr.Call call = (Expr.Call) e;
    if (!call.name().equals("size")) {
      throw new IllegalStateException("not an operand function: " + call.name());
    }
    AttributeValue v = value(call.args().get(0), item);
    return v == null ? null : Values.size(v);
  }
}
