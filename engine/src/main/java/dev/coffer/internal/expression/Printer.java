package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes an expression tree back as DynamoDB expression text with ExpressionAttributeNames and
 * ExpressionAttributeValues: parsing the text with the maps gives the same tree. Values always
 * become {@code :v0, :v1, ...}; a name becomes {@code #n0, ...} unless it can be written bare (a
 * plain word that is neither reserved nor a keyword) and {@code inline} accepts it. Parentheses are
 * written only where the tree needs them. Not thread-safe: one printout.
 */
public final class Printer {
  /** Expression text and the placeholders it uses. */
  public record Printed(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

  private final Predicate<String> inline;
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, String> placeholderOfName = new LinkedHashMap<>();
  private final Map<String, AttributeValue> values = new LinkedHashMap<>();

  private Printer(Predicate<String> inline) {
    this.inline = inline;
  }

  /** A condition. */
  public static Printed condition(Cond c, Predicate<String> inline) {
    Printer p = new Printer(inline);
    return p.done(p.cond(c, 0));
  }

  /** An update, clauses in the order they first appear. */
  public static Printed update(UpdateAst u, Predicate<String> inline) {
    Printer p = new Printer(inline);
    StringBuilder sb = new StringBuilder();
    UpdateAst.Section section = null;
    for (UpdateAst.Action a : u.actions()) {
      if (a.section() != section) {
        section = a.section();
        sb.append(sb.length() == 0 ? "" : " ").append(section).append(' ');
      } else {
        sb.append(", ");
      }
      sb.append(p.path(a.path().path()));
      if (a instanceof UpdateAst.Set) {
        UpdateAst.SetValue v = ((UpdateAst.Set) a).value();
        sb.append(" = ").append(p.operand(v.left()));
        if (v.isArithmetic()) {
          sb.append(' ').append(v.op()).append(' ').append(p.operand(v.right()));
        }
      } else if (a instanceof UpdateAst.Add) {
        sb.append(' ').append(p.operand(((UpdateAst.Add) a).value()));
      } else if (a instanceof UpdateAst.Delete) {
        sb.append(' ').append(p.operand(((UpdateAst.Delete) a).value()));
      }
    }
    return p.done(sb.toString());
  }

  /** A projection. */
  public static Printed projection(List<DocPath> paths, Predicate<String> inline) {
    Printer p = new Printer(inline);
    StringBuilder sb = new StringBuilder();
    for (DocPath path : paths) {
      sb.append(sb.length() == 0 ? "" : ", ").append(p.path(path));
    }
    return p.done(sb.toString());
  }

  private Printed done(String expression) {
    return new Printed(expression, Map.copyOf(names), Map.copyOf(values));
  }

  /** Precedence: OR 1, AND 2, NOT 3, leaves 4; {@code min} is what the context requires. */
  private String cond(Cond c, int min) {
    if (c instanceof Cond.Or) {
      Cond.Or o = (Cond.Or) c;
      return wrap(cond(o.left(), 1) + " OR " + cond(o.right(), 2), 1, min);
    }
    if (c instanceof Cond.And) {
      Cond.And a = (Cond.And) c;
      return wrap(cond(a.left(), 2) + " AND " + cond(a.right(), 3), 2, min);
    }
    if (c instanceof Cond.Not) {
      return wrap("NOT " + cond(((Cond.Not) c).operand(), 3), 3, min);
    }
    if (c instanceof Cond.Compare) {
      Cond.Compare cmp = (Cond.Compare) c;
      return operand(cmp.left()) + " " + cmp.op().symbol() + " " + operand(cmp.right());
    }
    if (c instanceof Cond.Between) {
      Cond.Between b = (Cond.Between) c;
      return operand(b.subject()) + " BETWEEN " + operand(b.low()) + " AND " + operand(b.high());
    }
    if (c instanceof Cond.In) {
      Cond.In in = (Cond.In) c;
      StringBuilder sb = new StringBuilder(operand(in.subject())).append(" IN (");
      for (int i = 0; i < in.candidates().size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(operand(in.candidates().get(i)));
      }
      return sb.append(')').toString();
    }
    return operand(((Cond.Function) c).call());
  }

  private static String wrap(String s, int precedence, int min) {
    return precedence < min ? "(" + s + ")" : s;
  }

  private String operand(Expr e) {
    if (e instanceof Expr.Value) {
      String placeholder = ":v" + values.size();
      values.put(placeholder, ((Expr.Value) e).value());
      return placeholder;
    }
    if (e instanceof Expr.PathRef) {
      return path(((Expr.PathRef) e).path());
    }
    Expr.Call call = (Expr.Call) e;
    StringBuilder sb = new StringBuilder(call.name()).append('(');
    for (int i = 0; i < call.args().size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(operand(call.args().get(i)));
    }
    return sb.append(')').toString();
  }

  private String path(DocPath path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      if (path.isIndex(i)) {
        sb.append('[').append(path.index(i)).append(']');
      } else {
        sb.append(i == 0 ? "" : ".").append(name(path.name(i)));
      }
    }
    return sb.toString();
  }

  private String name(String name) {
    if (canBeBare(name) && inline.test(name)) {
      return name;
    }
    return placeholderOfName.computeIfAbsent(
        name,
        n -> {
          String placeholder = "#n" + names.size();
          names.put(placeholder, n);
          return placeholder;
        });
  }

  /** Whether {@code name} can be written without a placeholder in any expression. */
  public static boolean canBeBare(String name) {
    return Lexer.isPlainName(name)
        && !ReservedWords.isReserved(name)
        && !ConditionParser.KEYWORDS.contains(name.toUpperCase(Locale.ROOT))
        && !UpdateParser.KEYWORDS.contains(name.toUpperCase(Locale.ROOT));
  }
}
