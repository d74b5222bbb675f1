package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.internal.expression.Issues.Category;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's semantic checks of an update expression, in its order: reserved word, unknown
 * function, misused function, repeated clause, undefined name, undefined value, overlapping paths,
 * conflicting paths, ADD/DELETE operand type, function operands. Used for parsed updates and the
 * typed builder's. Stateless.
 */
final class UpdateChecker {
  private static final List<Category> ORDER =
      List.of(
          Category.RESERVED,
          Category.UNKNOWN_FUNCTION,
          Category.MISUSED_FUNCTION,
          Category.SECTION,
          Category.ATTR_NAME,
          Category.ATTR_VALUE,
          Category.PATH_OVERLAP,
          Category.PATH_CONFLICT,
          Category.OPERAND,
          Category.FUNCTION);

  private final Issues issues;
  private final List<DocPath> paths = new ArrayList<>();

  private UpdateChecker(Issues issues) {
    this.issues = issues;
  }

  /** Checks {@code ast}; throws DynamoDB's error for it, if any. */
  static void check(UpdateAst ast, Issues parseIssues) {
    UpdateChecker checker = new UpdateChecker(parseIssues);
    for (UpdateAst.Action a : ast.actions()) {
      checker.visit(a);
    }
    String error = parseIssues.first(ORDER);
    if (error != null) {
      throw ExpressionKind.UPDATE.invalid(error);
    }
  }

  /** Checks an update built without a parser. */
  static void check(UpdateAst ast) {
    check(ast, new Issues());
  }

  private void visit(UpdateAst.Action a) {
    visit(a.path());
    if (a instanceof UpdateAst.Set) {
      UpdateAst.SetValue v = ((UpdateAst.Set) a).value();
      visit(v.left());
      if (v.isArithmetic()) {
        visit(v.right());
        checkFunction(String.valueOf(v.op()), List.of(v.left(), v.right()));
      }
    } else if (a instanceof UpdateAst.Add) {
      visit(((UpdateAst.Add) a).value());
    } else if (a instanceof UpdateAst.Delete) {
      visit(((UpdateAst.Delete) a).value());
    }
    checkPath(a.path());
    if (a instanceof UpdateAst.Add) {
      checkOperand("ADD", ((UpdateAst.Add) a).value());
    } else if (a instanceof UpdateAst.Delete) {
      checkOperand("DELETE", ((UpdateAst.Delete) a).value());
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
            Category.ATTR_VALUE,
            "An expression attribute value used in expression is not defined; attribute value: "
                + undefined);
      }
    } else {
      Expr.Call call = (Expr.Call) e;
      call.args().forEach(this::visit);
      checkFunction(call.name(), call.args());
    }
  }

  private void checkPath(Expr.PathRef ref) {
    if (ref.undefinedName() != null) {
      return;
    }
    DocPath path = ref.path();
    for (DocPath earlier : paths) {
      DocPath.Relation r = earlier.relationTo(path);
      if (r == DocPath.Relation.OVERLAP) {
        issues.add(
            Category.PATH_OVERLAP,
            "Two document paths overlap with each other; must remove or rewrite one of"
                + " these paths; path one: "
                + earlier
                + ", path two: "
                + path);
        return;
      }
      if (r == DocPath.Relation.CONFLICT) {
        issues.add(
            Category.PATH_CONFLICT,
            "Two document paths conflict with each other; must remove or rewrite one"
                + " of these paths; path one: "
                + earlier
                + ", path two: "
                + path);
      }
    }
    paths.add(path);
  }

  private void checkOperand(String operator, Expr.Value v) {
    AttributeValue value = v.value();
    if (value == null) {
      return;
    }
    AttributeType t = value.type();
    boolean set = t == AttributeType.SS || t == AttributeType.NS || t == AttributeType.BS;
    if (!set && !(operator.equals("ADD") && t == AttributeType.N)) {
      issues.add(
          Category.OPERAND,
          "Incorrect operand type for operator or function; operator: "
              + operator
              + ", operand type: "
              + typeWord(t));
    }
  }

  private static String typeWord(AttributeType t) {
    switch (t) {
      case S:
        return "STRING";
      case N:
        return "NUMBER";
      case B:
        return "BINARY";
      case BOOL:
        return "BOOLEAN";
      case L:
        return "LIST";
      case M:
        return "MAP";
      default:
        return t.name();
    }
  }

  private void checkFunction(String name, List<Expr> args) {
    boolean arithmetic = name.equals("+") || name.equals("-");
    if (!arithmetic && !ConditionChecker.UPDATE_FUNCTIONS.contains(name)) {
      if (ConditionChecker.CONDITION_FUNCTIONS.contains(name)) {
        issues.add(
            Category.MISUSED_FUNCTION,
            "The function is not allowed to be used this way in an expression; function: " + name);
      } else {
        issues.add(Category.UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
      }
      return;
    }
    if (issues.has(Category.FUNCTION)) {
      return;
    }
    if (args.size() != 2) {
      issues.add(
          Category.FUNCTION,
          "Incorrect number of operands for operator or function; operator or function: "
              + name
              + ", number of operands: "
              + args.size());
      return;
    }
    if (name.equals("if_not_exists")) {
      if (!(args.get(0) instanceof Expr.PathRef)) {
        issues.add(
            Category.FUNCTION,
            "Operator or function requires a document path; operator or function: " + name);
      }
      return;
    }
    if (name.equals("list_append")) {
      for (Expr a : args) {
        if (a instanceof Expr.Call && ((Expr.Call) a).name().equals("list_append")) {
          issues.add(
              Category.MISUSED_FUNCTION,
              "The function is not allowed to be used this way in an expression; function: list_append");
          return;
        }
      }
    }
    AttributeType wanted = arithmetic ? AttributeType.N : AttributeType.L;
    for (Expr a : args) {
      if (a instanceof Expr.Value && ((Expr.Value) a).value() != null) {
        AttributeType t = ((Expr.Value) a).value().type();
        if (t != wanted) {
          issues.add(
              Category.FUNCTION,
              "Incorrect operand type for operator or function; operator or function: "
                  + name
                  + ", operand type: "
                  + t);
          return;
        }
      }
    }
  }
}
