package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Prints {@link ConditionModel} conditions as DynamoDB expression text, varying what DynamoDB lets
 * vary: placeholders or bare names, placeholder names, whitespace, keyword case, parentheses around
 * leaves and operands. Independent of the production printer. Not thread-safe.
 */
final class ModelPrinter {
  /** Names that must go through placeholders: a reserved word and a name with a dot. */
  private static final Set<String> UNSAFE = Set.of("status", "x.y");

  final Map<String, String> names = new LinkedHashMap<>();
  final Map<String, AttributeValue> values = new LinkedHashMap<>();
  private final Random rnd;

  ModelPrinter(Random rnd) {
    this.rnd = rnd;
  }

  String print(C c) {
    return pad() + cond(c, 0) + pad();
  }

  private String pad() {
    return List.of("", "", " ", "  ", "\t", "\n").get(rnd.nextInt(6));
  }

  private String sp() {
    return List.of(" ", " ", "  ", "\t", " \n ").get(rnd.nextInt(5));
  }

  private String keyword(String k) {
    switch (rnd.nextInt(3)) {
      case 0:
        return k;
      case 1:
        return k.toLowerCase();
      default:
        return k.charAt(0) + k.substring(1).toLowerCase();
    }
  }

  private String cond(C c, int min) {
    if (c instanceof Or o) {
      return wrap(cond(o.l(), 1) + sp() + keyword("OR") + sp() + cond(o.r(), 2), 1, min);
    }
    if (c instanceof And a) {
      return wrap(cond(a.l(), 2) + sp() + keyword("AND") + sp() + cond(a.r(), 3), 2, min);
    }
    if (c instanceof Not n) {
      return wrap(keyword("NOT") + sp() + cond(n.c(), 3), 3, min);
    }
    String leaf = leaf(c);
    return rnd.nextInt(5) == 0 ? "(" + pad() + leaf + pad() + ")" : leaf;
  }

  private static String wrap(String s, int precedence, int min) {
    return precedence < min ? "(" + s + ")" : s;
  }

  private String leaf(C c) {
    if (c instanceof Cmp cmp) {
      return operand(cmp.l())
          + (rnd.nextBoolean() ? sp() : "")
          + cmp.op()
          + (rnd.nextBoolean() ? sp() : "")
          + operand(cmp.r());
    }
    if (c instanceof Btw b) {
      return operand(b.x())
          + sp()
          + keyword("BETWEEN")
          + sp()
          + operand(b.lo())
          + sp()
          + keyword("AND")
          + sp()
          + operand(b.hi());
    }
    if (c instanceof InList in) {
      StringBuilder sb =
          new StringBuilder(operand(in.x()))
              .append(sp())
              .append(keyword("IN"))
              .append(sp())
              .append('(');
      for (int i = 0; i < in.candidates().size(); i++) {
        sb.append(i == 0 ? "" : "," + pad()).append(operand(in.candidates().get(i)));
      }
      return sb.append(')').toString();
    }
    Fn f = (Fn) c;
    return call(f.name(), f.args());
  }

  private String call(String name, List<O> args) {
    StringBuilder sb = new StringBuilder(name).append(rnd.nextInt(4) == 0 ? " " : "").append('(');
    for (int i = 0; i < args.size(); i++) {
      sb.append(i == 0 ? "" : "," + pad()).append(operand(args.get(i)));
    }
    return sb.append(')').toString();
  }

  private String operand(O o) {
    String s;
    if (o instanceof V v) {
      String placeholder =
          ":" + (rnd.nextBoolean() ? "v" : "V_") + values.size() + (rnd.nextBoolean() ? "x" : "");
      values.put(placeholder, v.value());
      s = placeholder;
    } else if (o instanceof Size size) {
      s = call("size", List.of(size.arg()));
    } else {
      s = path((P) o);
    }
    return rnd.nextInt(8) == 0 ? "(" + s + ")" : s;
  }

  private String path(P p) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < p.elements().size(); i++) {
      Object e = p.elements().get(i);
      if (e instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        sb.append(i == 0 ? "" : ".").append(name((String) e));
      }
    }
    return sb.toString();
  }

  private String name(String name) {
    if (!UNSAFE.contains(name) && rnd.nextBoolean()) {
      return name;
    }
    String placeholder = "#" + (rnd.nextBoolean() ? "n" : "N_") + names.size();
    names.put(placeholder, name);
    return placeholder;
  }
}
