package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import dev.coffer.internal.expression.Issues.Category;
import dev.coffer.internal.expression.Token.Kind;
import dev.coffer.internal.expression.UpdateAst.Section;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The update grammar of DynamoDB:
 *
 * <pre>
 * update   := clause+                       (each of SET, REMOVE, ADD, DELETE at most once)
 * clause   := SET set (',' set)* | REMOVE path (',' path)* | ADD path :value (',' ...)* | DELETE ...
 * set      := path '=' value | path '=' '(' value ')'
 * value    := operand | operand '+' operand | operand '-' operand
 * operand  := '(' term ')' | term
 * term     := function | :value | path
 * function := name '(' operand (',' operand)* ')'
 * path     := name ('.' name | '[' digits ']')*
 * </pre>
 *
 * Clause keywords ignore case; function names do not. Not thread-safe: one parse.
 */
final class UpdateParser extends ParserSupport {
  static final Set<String> KEYWORDS = Set.of("SET", "REMOVE", "ADD", "DELETE");

  private UpdateParser(String text, Placeholders placeholders) {
    super(text, ExpressionKind.UPDATE, placeholders, KEYWORDS);
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws ValidationException with DynamoDB's message for the first error DynamoDB would report
   */
  static UpdateAst parse(String text, Placeholders placeholders) {
    UpdateParser p = new UpdateParser(text, placeholders);
    UpdateAst ast = p.parseClauses();
    UpdateChecker.check(ast, p.issues);
    return ast;
  }

  private UpdateAst parseClauses() {
    List<UpdateAst.Action> actions = new ArrayList<>();
    Set<Section> seen = EnumSet.noneOf(Section.class);
    do {
      Token t = in.peek();
      Section section =
          t.kind() == Kind.NAME && isKeyword(t)
              ? Section.valueOf(t.text().toUpperCase(Locale.ROOT))
              : null;
      if (section == null) {
        throw in.syntaxError();
      }
      in.next();
      if (!seen.add(section)) {
        issues.add(
            Category.SECTION,
            "The \"" + section + "\" section can only be used once in an update expression;");
      }
      actions.add(parseAction(section));
      while (in.peek().is(",")) {
        in.next();
        actions.add(parseAction(section));
      }
    } while (!in.atEnd());
    return new UpdateAst(actions);
  }

  private UpdateAst.Action parseAction(Section section) {
    Expr.PathRef path = parsePath();
    switch (section) {
      case SET:
        in.expect("=");
        return new UpdateAst.Set(path, parseSetValueParens());
      case REMOVE:
        return new UpdateAst.Remove(path);
      case ADD:
        return new UpdateAst.Add(path, parseValue());
      default:
        return new UpdateAst.Delete(path, parseValue());
    }
  }

  /** {@code '(' value ')'} when the parenthesis closes the whole value, else a value. */
  private UpdateAst.SetValue parseSetValueParens() {
    int open = in.position();
    if (in.peek().is("(")) {
      Token after = in.at(in.matching(open) + 1);
      if (in.matching(open) < 0 || after.is(",") || after.kind() == Kind.END || isKeyword(after)) {
        in.next();
        in.enter();
        UpdateAst.SetValue v = parseSetValue();
        in.expect(")");
        in.leave();
        return v;
      }
    }
    return parseSetValue();
  }

  private UpdateAst.SetValue parseSetValue() {
    Expr left = parseOperandParens();
    if (in.peek().is("+") || in.peek().is("-")) {
      char op = in.next().text().charAt(0);
      return new UpdateAst.SetValue(left, op, parseOperandParens());
    }
    return UpdateAst.SetValue.of(left);
  }

  private Expr parseOperandParens() {
    if (in.peek().is("(")) {
      in.next();
      in.enter();
      Expr e = parseOperand();
      in.expect(")");
      in.leave();
      return e;
    }
    return parseOperand();
  }

  private Expr parseOperand() {
    Token t = in.peek();
    if (t.kind() == Kind.NAME && !isKeyword(t) && in.peek(1).is("(")) {
      in.next();
      in.next();
      in.enter();
      List<Expr> args = new ArrayList<>();
      args.add(parseOperandParens());
      while (in.peek().is(",")) {
        in.next();
        args.add(parseOperandParens());
      }
      in.expect(")");
      in.leave();
      return new Expr.Call(t.text(), args);
    }
    if (t.kind() == Kind.VALUE_PLACEHOLDER) {
      return parseValue();
    }
    if (atName()) {
      return parsePath();
    }
    throw in.syntaxError();
  }
}
