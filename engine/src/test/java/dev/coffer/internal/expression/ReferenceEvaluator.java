package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.internal.expression.ConditionModel.And;
import dev.coffer.internal.expression.ConditionModel.Btw;
import dev.coffer.internal.expression.ConditionModel.C;
import dev.coffer.internal.expression.ConditionModel.Cmp;
import dev.coffer.internal.expression.ConditionModel.Fn;
import dev.coffer.internal.expression.ConditionModel.InList;
import dev.coffer.internal.expression.ConditionModel.Not;
import dev.coffer.internal.expression.ConditionModel.O;
import dev.coffer.internal.expression.ConditionModel.Or;
import dev.coffer.internal.expression.ConditionModel.P;
import dev.coffer.internal.expression.ConditionModel.Size;
import dev.coffer.internal.expression.ConditionModel.V;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A small evaluator of {@link ConditionModel} conditions written from DynamoDB's documentation
 * alone: a missing operand is never equal, never ordered and always {@code <>}; values of different
 * types are never equal or ordered; S orders by UTF-8 bytes, N numerically, B by unsigned bytes.
 */
final class ReferenceEvaluator {
  private ReferenceEvaluator() {}

  static boolean eval(C c, Item item) {
    if (c instanceof And a) {
      return eval(a.l(), item) && eval(a.r(), item);
    }
    if (c instanceof Or o) {
      return eval(o.l(), item) || eval(o.r(), item);
    }
    if (c instanceof Not n) {
      return !eval(n.c(), item);
    }
    if (c instanceof Cmp cmp) {
      AttributeValue l = value(cmp.l(), item);
      AttributeValue r = value(cmp.r(), item);
      switch (cmp.op()) {
        case "=":
          return l != null && r != null && l.equals(r);
        case "<>":
          return l == null || r == null || !l.equals(r);
        default:
          Integer order = order(l, r);
          if (order == null) {
            return false;
          }
          switch (cmp.op()) {
            case "<":
              return order < 0;
            case "<=":
              return order <= 0;
            case ">":
              return order > 0;
            default:
              return order >= 0;
          }
      }
    }
    if (c instanceof Btw b) {
      AttributeValue x = value(b.x(), item);
      Integer lo = order(x, value(b.lo(), item));
      Integer hi = order(x, value(b.hi(), item));
      return lo != null && hi != null && lo >= 0 && hi <= 0;
    }
    if (c instanceof InList in) {
      AttributeValue x = value(in.x(), item);
      if (x == null) {
        return false;
      }
      for (O o : in.candidates()) {
        if (x.equals(value(o, item))) {
          return true;
        }
      }
      return false;
    }
    Fn f = (Fn) c;
    AttributeValue a = value(f.args().get(0), item);
    switch (f.name()) {
      case "attribute_exists":
        return a != null;
      case "attribute_not_exists":
        return a == null;
      case "attribute_type":
        return a != null && a.type().name().equals(value(f.args().get(1), item).s());
      case "begins_with":
        {
          AttributeValue b = value(f.args().get(1), item);
          if (a == null || b == null || a.type() != b.type()) {
            return false;
          }
          if (a.type() == AttributeType.S) {
            return startsWith(utf8(a.s()), utf8(b.s()));
          }
          return a.type() == AttributeType.B && startsWith(a.b(), b.b());
        }
      default:
        {
          AttributeValue b = value(f.args().get(1), item);
          return a != null && b != null && contains(a, b);
        }
    }
  }

  private static boolean contains(AttributeValue a, AttributeValue b) {
    switch (a.type()) {
      case S:
        return b.type() == AttributeType.S && a.s().indexOf(b.s()) >= 0;
      case B:
        if (b.type() != AttributeType.B) {
          return false;
        }
        for (int i = 0; i + b.b().length <= a.b().length; i++) {
          if (startsWith(Arrays.copyOfRange(a.b(), i, a.b().length), b.b())) {
            return true;
          }
        }
        return false;
      case SS:
        return b.type() == AttributeType.S && a.ss().contains(b.s());
      case NS:
        if (b.type() != AttributeType.N) {
          return false;
        }
        for (String n : a.ns()) {
          if (new BigDecimal(n).compareTo(b.numberValue()) == 0) {
            return true;
          }
        }
        return false;
      case BS:
        if (b.type() != AttributeType.B) {
          return false;
        }
        for (byte[] m : a.bs()) {
          if (Arrays.equals(m, b.b())) {
            return true;
          }
        }
        return false;
      case L:
        for (AttributeValue e : a.l()) {
          if (e.equals(b)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  /** The order of two values of one orderable type, or null. */
  private static Integer order(AttributeValue a, AttributeValue b) {
    if (a == null || b == null || a.type() != b.type()) {
      return null;
    }
    switch (a.type()) {
      case N:
        return Integer.signum(a.numberValue().compareTo(b.numberValue()));
      case S:
        return Integer.signum(compareUnsigned(utf8(a.s()), utf8(b.s())));
      case B:
        return Integer.signum(compareUnsigned(a.b(), b.b()));
      default:
        return null;
    }
  }

  static AttributeValue value(O o, Item item) {
    if (o instanceof V v) {
      return v.value();
    }
    if (o instanceof Size s) {
      AttributeValue v = value(s.arg(), item);
      if (v == null) {
        return null;
      }
      switch (v.type()) {
        case S:
          return AttributeValue.n(utf8(v.s()).length);
        case B:
          return AttributeValue.n(v.b().length);
        case SS:
          return AttributeValue.n(v.ss().size());
        case NS:
          return AttributeValue.n(v.ns().size());
        case BS:
          return AttributeValue.n(v.bs().size());
        case L:
          return AttributeValue.n(v.l().size());
        case M:
          return AttributeValue.n(v.m().size());
        default:
          return null;
      }
    }
    List<Object> elements = ((P) o).elements();
    AttributeValue v = item.get((String) elements.get(0));
    for (int i = 1; i < elements.size() && v != null; i++) {
      Object e = elements.get(i);
      if (e instanceof Integer index) {
        v = v.type() == AttributeType.L && index < v.l().size() ? v.l().get(index) : null;
      } else {
        Map<String, AttributeValue> m = v.type() == AttributeType.M ? v.m() : Map.of();
        v = m.get((String) e);
      }
    }
    return v;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    if (prefix.length > a.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int compareUnsigned(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int d = (a[i] & 0xff) - (b[i] & 0xff);
      if (d != 0) {
        return d;
      }
    }
    return a.length - b.length;
  }
}
