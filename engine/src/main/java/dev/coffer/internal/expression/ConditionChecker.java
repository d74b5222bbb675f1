package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.internal.expression.Issues.Category;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DynamoDB's semantic checks of a condition, in its order. The tree is walked as DynamoDB's parser
 * builds it (operands before the operator that holds them, left to right); each leaf condition
 * commits the first of its undefined-placeholder, operand-count, distinct-operand and type errors,
 * and the error reported is the first of: redundant parentheses, unknown function, misused
 * function, reserved word, that committed leaf error. Used for parsed conditions and for the typed
 * builder's (which have no placeholders and no reserved words). Stateless.
 */
final class ConditionChecker {
  /** The functions of conditions, with their operand counts. */
  static final Set<String> CONDITION_FUNCTIONS =
      Set.of(
          "attribute_exists",
          "attribute_not_exists",
          "attribute_type",
          "begins_with",
          "contains",
          "size");

  /** The functions of update expressions. */
  static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");

  /** The most operands IN takes, the one before IN included. */
  static final int MAX_IN_OPERANDS = 100;

  private static final List<Category> ORDER =
      List.of(
          Category.PARENS,
          Category.UNKNOWN_FUNCTION,
          Category.MISUSED_FUNCTION,
          Category.RESERVED,
          Category.CONDITION);
  private static final List<Category> LEAF_ORDER =
      List.of(Category.ATTR_NAME, Category.OPERAND, Category.DISTINCT, Category.FUNCTION);
  private static final String TYPE_NAMES = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
  private static final String VALID_TYPES = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}";

  private final Issues issues;

  private ConditionChecker(Issues issues) {
    this.issues = issues;
  }

  /** Checks {@code c}; throws DynamoDB's error for it, if any. */
  static void check(Cond c, ExpressionKind kind, Issues parseIssues) {
    ConditionChecker checker = new ConditionChecker(parseIssues);
    checker.visit(c);
    checker.misusedSize(c);
    String error = parseIssues.first(ORDER);
    if (error != null) {
      throw kind.invalid(error);
    }
  }

  /** Checks a condition built without a parser. */
  static void check(Cond c, ExpressionKind kind) {
    check(c, kind, new Issues());
  }

  private void visit(Cond c) {
    if (c instanceof Cond.And) {
      Cond.And a = (Cond.And) c;
      visit(a.left());
      visit(a.right());
      misusedSize(a.left());
      misusedSize(a.right());
    } else if (c instanceof Cond.Or) {
      Cond.Or o = (Cond.Or) c;
      visit(o.left());
      visit(o.right());
      misusedSize(o.left());
      misusedSize(o.right());
    } else if (c instanceof Cond.Not) {
      Cond.Not n = (Cond.Not) c;
      visit(n.operand());
      misusedSize(n.operand());
    } else if (c instanceof Cond.Compare) {
      Cond.Compare cmp = (Cond.Compare) c;
      List<Expr> operands = List.of(cmp.left(), cmp.right());
      operands.forEach(this::visit);
      misusedFunctions(operands);
      distinct(cmp.op().symbol(), operands);
      if (cmp.op().isOrdering()) {
        orderable(cmp.op().symbol(), operands);
      }
      commitLeaf();
    } else if (c instanceof Cond.Between) {
      Cond.Between b = (Cond.Between) c;
      List<Expr> operands = List.of(b.subject(), b.low(), b.high());
      operands.forEach(this::visit);
      misusedFunctions(operands);
      distinct("BETWEEN", operands);
      orderable("BETWEEN", operands);
      betweenBounds(b.low(), b.high());
      commitLeaf();
    } else if (c instanceof Cond.In) {
      Cond.In in = (Cond.In) c;
      List<Expr> operands = new ArrayList<>();
      operands.add(in.subject());
      operands.addAll(in.candidates());
      operands.forEach(this::visit);
      misusedFunctions(operands);
      if (operands.size() > MAX_IN_OPERANDS) {
        issues.add(
            Category.OPERAND,
            "The IN operator is provided with too many operands; number of operands: "
                + operands.size());
      }
      distinct("IN", operands);
      commitLeaf();
    } else {
      visit(((Cond.Function) c).call());
      commitLeaf();
    }
  }

  private void visit(Expr e) {
    if (e instanceof Expr.PathRef) {
      String undefined = ((Expr.PathRef) e).undefinedName();
      if (undefined != null) {
        issues.add(
            Category.ATTR_NAME,
            "An expression attribute name used in the document path is not defined; attribute name: "
                + undefined);
      }
    } else if (e instanceof Expr.Value) {
      String undefined = ((Expr.Value) e).undefinedName();
      if (undefined != null) {
        issues.add(
            Category.ATTR_NAME,
            "An expression attribute value used in expression is not defined; attribute value: "
                + undefined);
      }
    } else {
      Expr.Call call = (Expr.Call) e;
      call.args().forEach(this::visit);
      misusedFunctions(call.args());
      checkFunction(call);
    }
  }

  private void commitLeaf() {
    if (!issues.has(Category.CONDITION)) {
      String e = issues.first(LEAF_ORDER);
      if (e != null) {
        issues.add(Category.CONDITION, e);
      }
    }
  }

  /** A function other than size used as an operand. */
  private void misusedFunctions(List<Expr> operands) {
    for (Expr e : operands) {
      if (e instanceof Expr.Call && !((Expr.Call) e).name().equals("size")) {
        misused(((Expr.Call) e).name());
        return;
      }
    }
  }

  /** size used as a condition. */
  private void misusedSize(Cond c) {
    if (c instanceof Cond.Function && ((Cond.Function) c).call().name().equals("size")) {
      misused("size");
    }
  }

  private void misused(String function) {
    issues.add(
        Category.MISUSED_FUNCTION,
        "The function is not allowed to be used this way in an expression; function: " + function);
  }

  private void checkFunction(Expr.Call call) {
    String name = call.name();
    List<Expr> args = call.args();
    if (!CONDITION_FUNCTIONS.contains(name)) {
      if (UPDATE_FUNCTIONS.contains(name)) {
        misused(name);
      } else {
        issues.add(Category.UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
      }
      return;
    }
    int expected =
        name.equals("attribute_exists")
                || name.equals("attribute_not_exists")
                || name.equals("size")
            ? 1
            : 2;
    if (args.size() != expected) {
      issues.add(
          Category.OPERAND,
          "Incorrect number of operands for operator or function; operator or function: "
              + name
              + ", number of operands: "
              + args.size());
      return;
    }
    distinct(name, args);
    switch (name) {
      case "attribute_exists":
      case "attribute_not_exists":
        if (!(args.get(0) instanceof Expr.PathRef)) {
          issues.add(
              Category.FUNCTION,
              "Operator or function requires a document path; operator or function: " + name);
        }
        break;
      case "begins_with":
        for (Expr a : args) {
          String type = staticType(a);
          if (type != null && !type.equals("S") && !type.equals("B")) {
            operandType(name, type);
            break;
          }
        }
        break;
      case "attribute_type":
        {
          String type = staticType(args.get(1));
          if (!"S".equals(type)) {
            operandType(name, type == null ? TYPE_NAMES : type);
          } else {
            String typeName = ((Expr.Value) args.get(1)).value().s();
            if (!isTypeName(typeName)) {
              issues.add(
                  Category.FUNCTION,
                  "Invalid attribute type name found; type: "
                      + typeName
                      + ", valid types: "
                      + VALID_TYPES);
            }
          }
          break;
        }
      case "size":
        {
          String type = staticType(args.get(0));
          if ("N".equals(type) || "BOOL".equals(type) || "NULL".equals(type)) {
            operandType(name, type);
          }
          break;
        }
      default:
        break;
    }
  }

  private void operandType(String function, String type) {
    issues.add(
        Category.FUNCTION,
        "Incorrect operand type for operator or function; operator or function: "
            + function
            + ", operand type: "
            + type);
  }

  /** Ordering comparisons and BETWEEN take only S, N and B values. */
  private void orderable(String operator, List<Expr> operands) {
    for (Expr e : operands) {
      if (e instanceof Expr.Value && ((Expr.Value) e).value() != null) {
        AttributeType t = ((Expr.Value) e).value().type();
        if (t != AttributeType.S && t != AttributeType.N && t != AttributeType.B) {
          operandType(operator, t.name());
          return;
        }
      }
    }
  }

  /**
   * The first operand must differ from the others when both are paths: {@code a = a} is refused.
   */
  private void distinct(String operator, List<Expr> operands) {
    if (!(operands.get(0) instanceof Expr.PathRef)) {
      return;
    }
    DocPath first = ((Expr.PathRef) operands.get(0)).path();
    for (int i = 1; i < operands.size(); i++) {
      if (operands.get(i) instanceof Expr.PathRef
          && ((Expr.PathRef) operands.get(i)).path().equals(first)) {
        issues.add(
            Category.DISTINCT,
            "The first operand must be distinct from the remaining operands for this"
                + " operator or function; operator: "
                + operator
                + ", first operand: "
                + first);
        return;
      }
    }
  }

  /** BETWEEN's value bounds: the same type, low not above high. */
  private void betweenBounds(Expr low, Expr high) {
    if (!(low instanceof Expr.Value) || !(high instanceof Expr.Value)) {
      return;
    }
    AttributeValue lo = ((Expr.Value) low).value();
    AttributeValue hi = ((Expr.Value) high).value();
    if (lo == null || hi == null) {
      return;
    }
    String bounds =
        "lower bound operand: AttributeValue: {"
            + Values.brief(lo)
            + "}, upper bound operand:"
            + " AttributeValue: {"
            + Values.brief(hi)
            + "}";
    if (lo.type() != hi.type()) {
      issues.add(
          Category.FUNCTION,
          "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    } else if (Values.isOrderable(lo.type()) && Values.compare(lo, hi) > 0) {
      issues.add(
          Category.FUNCTION,
          "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
              + bounds);
    }
  }

  /** The type an operand is known to have before evaluation: a value's, or N for size(). */
  static String staticType(Expr e) {
    if (e instanceof Expr.Value) {
      AttributeValue v = ((Expr.Value) e).value();
      return v == null ? null : v.type().name();
    }
    if (e instanceof Expr.Call) {
      String name = ((Expr.Call) e).name();
      if (name.equals("size")) {
        return "N";
      }
      if (name.equals("begins_with") || name.equals("contains") || name.equals("attribute_type")) {
        return "BOOL";
      }
    }
    return null;
  }

  private static boolean isTypeName(String name) {
    for (AttributeType t : AttributeType.values()) {
      if (t.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
