package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import dev.coffer.internal.expression.Issues.Category;
import dev.coffer.internal.expression.Token.Kind;
import java.util.Locale;
import java.util.Set;

/**
 * What the condition, update and projection parsers share: names (with the reserved-word check),
 * placeholders, document paths and list indexes. Undefined placeholders do not stop parsing: they
 * are kept in the tree ({@link Expr.PathRef#undefinedName()}, {@link Expr.Value#undefinedName()})
 * so that the checkers can report them in DynamoDB's order. Not thread-safe.
 */
abstract class ParserSupport {
  final TokenCursor in;
  final Placeholders placeholders;
  final Issues issues = new Issues();
  private final Set<String> keywords;

  /**
   * @param keywords the words this grammar reserves for itself (upper case), which can be neither
   *     names nor function names
   */
  ParserSupport(String text, ExpressionKind kind, Placeholders placeholders, Set<String> keywords) {
    kind.checkLength(text);
    this.in = new TokenCursor(text, kind);
    this.placeholders = placeholders;
    this.keywords = keywords;
  }

  boolean isKeyword(Token t) {
    return t.kind() == Kind.NAME && keywords.contains(t.text().toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the current token starts a path element name: a non-keyword name or a {@code #name}.
   */
  boolean atName() {
    Token t = in.peek();
    return (t.kind() == Kind.NAME && !isKeyword(t)) || t.kind() == Kind.NAME_PLACEHOLDER;
  }

  /** The current token as a {@code :value} (resolved, or marked undefined). */
  Expr.Value parseValue() {
    Token t = in.peek();
    if (t.kind() != Kind.VALUE_PLACEHOLDER) {
      throw in.syntaxError();
    }
    in.next();
    AttributeValue v = placeholders.value(t.text());
    return new Expr.Value(v, v == null ? t.text() : null);
  }

  /**
   * A path that starts with a name: {@code name ( . name | [ index ] )*}. Subclasses parse grouped
   * paths themselves and continue with {@link #parseSelectors}.
   */
  Expr.PathRef parsePath() {
    String[] undefined = new String[1];
    DocPath path = DocPath.of(parseName(undefined));
    return parseSelectors(path, undefined[0]);
  }

  /** The {@code .name} and {@code [index]} selectors after {@code path}. */
  Expr.PathRef parseSelectors(DocPath path, String undefinedSoFar) {
    String[] undefined = {undefinedSoFar};
    while (true) {
      if (in.peek().is(".")) {
        in.next();
        path = path.child(parseName(undefined));
      } else if (in.peek().is("[")) {
        in.next();
        Token number = in.peek();
        if (number.kind() != Kind.NUMBER) {
          throw in.syntaxError();
        }
        int index;
        try {
          index = Integer.parseInt(number.text());
        } catch (NumberFormatException e) {
          throw in.syntaxError();
        }
        in.next();
        in.expect("]");
        path = path.child(index);
      } else {
        return new Expr.PathRef(path, undefined[0]);
      }
    }
  }

  /** One name element; notes a bare reserved word and the first undefined placeholder. */
  private String parseName(String[] undefined) {
    Token t = in.peek();
    if (t.kind() == Kind.NAME && !isKeyword(t)) {
      in.next();
      if (ReservedWords.isReserved(t.text())) {
        issues.add(
            Category.RESERVED,
            "Attribute name is a reserved keyword; reserved keyword: " + t.text());
      }
      return t.text();
    }
    if (t.kind() == Kind.NAME_PLACEHOLDER) {
      in.next();
      String name = placeholders.name(t.text());
      if (name == null) {
        if (undefined[0] == null) {
          undefined[0] = t.text();
        }
        return t.text();
      }
      return name;
    }
    throw in.syntaxError();
  }
}
