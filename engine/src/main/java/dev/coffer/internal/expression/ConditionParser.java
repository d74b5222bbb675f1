package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import dev.coffer.internal.expression.Issues.Category;
import dev.coffer.internal.expression.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The condition grammar of DynamoDB (ConditionExpression, FilterExpression and
 * KeyConditionExpression use one parser, as in DynamoDB):
 *
 * <pre>
 * condition := or
 * or        := and (OR and)*
 * and       := not (AND not)*
 * not       := NOT not | group
 * group     := '(' or ')' | leaf
 * leaf      := operand comparator operand | operand BETWEEN operand AND operand
 *            | operand IN '(' operand (',' operand)* ')' | function
 * operand   := '(' operand ')' | function | :value | path          (a path may be grouped: (a.b).c)
 * function  := name '(' operand (',' operand)* ')'
 * path      := name ('.' name | '[' digits ']')*                    (name: a word or #placeholder)
 * </pre>
 *
 * Keywords ignore case; function names do not. {@code ((...))} is parsed but reported as redundant,
 * as DynamoDB does. Whether a {@code (} opens a condition or an operand is decided by what follows
 * its matching {@code )}: a comparator, BETWEEN, IN, {@code .} or {@code [} make it an operand. Not
 * thread-safe: one parse.
 */
final class ConditionParser extends ParserSupport {
  static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN");

  private ConditionParser(String text, ExpressionKind kind, Placeholders placeholders) {
    super(text, kind, placeholders, KEYWORDS);
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws ValidationException with DynamoDB's message for the first error DynamoDB would report
   */
  static Cond parse(String text, ExpressionKind kind, Placeholders placeholders) {
    ConditionParser p = new ConditionParser(text, kind, placeholders);
    Cond c = p.parseOr();
    if (!p.in.atEnd()) {
      throw p.in.syntaxError();
    }
    ConditionChecker.check(c, kind, p.issues);
    return c;
  }

  private Cond parseOr() {
    Cond c = parseAnd();
    while (in.peek().isKeyword("OR")) {
      in.next();
      c = new Cond.Or(c, parseAnd());
    }
    return c;
  }

  private Cond parseAnd() {
    Cond c = parseNot();
    while (in.peek().isKeyword("AND")) {
      in.next();
      c = new Cond.And(c, parseNot());
    }
    return c;
  }

  private Cond parseNot() {
    if (in.peek().isKeyword("NOT")) {
      in.next();
      in.enter();
      Cond c = new Cond.Not(parseNot());
      in.leave();
      return c;
    }
    return parseGroup();
  }

  private Cond parseGroup() {
    int open = in.position();
    if (in.peek().is("(") && opensCondition(open)) {
      if (in.isRedundant(open)) {
        issues.add(Category.PARENS, "The expression has redundant parentheses;");
      }
      in.next();
      in.enter();
      Cond c = parseOr();
      in.expect(")");
      in.leave();
      return c;
    }
    return parseLeaf();
  }

  private boolean opensCondition(int open) {
    int close = in.matching(open);
    if (close < 0) {
      return true;
    }
    Token after = in.at(close + 1);
    boolean operand =
        (after.kind() == Kind.PUNCTUATION && Cond.Comparator.of(after.text()) != null)
            || after.isKeyword("BETWEEN")
            || after.isKeyword("IN")
            || after.is(".")
            || after.is("[");
    return !operand;
  }

  private Cond parseLeaf() {
    Expr left = parseOperandParens();
    Token t = in.peek();
    Cond.Comparator op = t.kind() == Kind.PUNCTUATION ? Cond.Comparator.of(t.text()) : null;
    if (op != null) {
      in.next();
      return new Cond.Compare(op, left, parseOperandParens());
    }
    if (t.isKeyword("BETWEEN")) {
      in.next();
      Expr low = parseOperandParens();
      in.expectKeyword("AND");
      return new Cond.Between(left, low, parseOperandParens());
    }
    if (t.isKeyword("IN")) {
      in.next();
      in.expect("(");
      in.enter();
      List<Expr> candidates = parseArguments();
      in.expect(")");
      in.leave();
      return new Cond.In(left, candidates);
    }
    if (left instanceof Expr.Call) {
      return new Cond.Function((Expr.Call) left);
    }
    throw in.syntaxError();
  }

  private Expr parseOperandParens() {
    if (!in.peek().is("(")) {
      return parseOperand();
    }
    int open = in.position();
    in.next();
    in.enter();
    Expr inner;
    if (in.peek().is("(") && in.isRedundant(open) && !isPathAfterGroup(open + 1)) {
      issues.add(Category.PARENS, "The expression has redundant parentheses;");
      in.next();
      inner = parseOperand();
      in.expect(")");
    } else {
      inner = parseOperand();
    }
    in.expect(")");
    in.leave();
    if (inner instanceof Expr.PathRef && (in.peek().is(".") || in.peek().is("["))) {
      Expr.PathRef p = (Expr.PathRef) inner;
      return parseSelectors(p.path(), p.undefinedName());
    }
    return inner;
  }

  /**
   * Whether the group at {@code open} is followed by a path selector (then it is a grouped path).
   */
  private boolean isPathAfterGroup(int open) {
    Token after = in.at(in.matching(open) + 1);
    return after.is(".") || after.is("[");
  }

  private Expr parseOperand() {
    Token t = in.peek();
    if (t.kind() == Kind.NAME && !isKeyword(t) && in.peek(1).is("(")) {
      in.next();
      in.next();
      in.enter();
      List<Expr> args = parseArguments();
      in.expect(")");
      in.leave();
      return new Expr.Call(t.text(), args);
    }
    if (t.kind() == Kind.VALUE_PLACEHOLDER) {
      return parseValue();
    }
    if (t.is("(")) {
      return parseGroupedPath();
    }
    if (atName()) {
      return parsePath();
    }
    throw in.syntaxError();
  }

  /** {@code '(' path ')'} followed by selectors: DynamoDB accepts {@code (a.b).c} in conditions. */
  private Expr.PathRef parseGroupedPath() {
    int open = in.position();
    boolean redundant = in.isRedundant(open);
    if (redundant) {
      issues.add(Category.PARENS, "The expression has redundant parentheses;");
    }
    in.next();
    in.enter();
    Expr.PathRef inner;
    if (redundant) {
      in.next();
      inner = parsePathOrGroup();
      in.expect(")");
    } else {
      inner = parsePathOrGroup();
    }
    in.expect(")");
    in.leave();
    return parseSelectors(inner.path(), inner.undefinedName());
  }

  private Expr.PathRef parsePathOrGroup() {
    if (in.peek().is("(")) {
      return parseGroupedPath();
    }
    if (atName()) {
      return parsePath();
    }
    throw in.syntaxError();
  }

  private List<Expr> parseArguments() {
    List<Expr> args = new ArrayList<>();
    args.add(parseOperandParens());
    while (in.peek().is(",")) {
      in.next();
      args.add(parseOperandParens());
    }
    return args;
  }
}
