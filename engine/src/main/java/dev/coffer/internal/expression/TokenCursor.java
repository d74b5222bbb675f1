package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import dev.coffer.internal.expression.Token.Kind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A cursor over the tokens of one expression, shared by the three parsers: peeking, matching
 * parentheses, DynamoDB's syntax-error message, and a bound on nesting so that parsing and
 * evaluation never recurse deeper than {@link #MAX_DEPTH}. Not thread-safe.
 */
final class TokenCursor {
  /**
   * The deepest nesting of parentheses, NOT and function calls accepted. DynamoDB's own bound is
   * not documented (its 4 KB expression limit bounds it); this one keeps recursion shallow.
   */
  static final int MAX_DEPTH = 200;

  final String text;
  final ExpressionKind kind;
  private final List<Token> tokens;
  private final int[] matching;
  private int pos;
  private int depth;

  TokenCursor(String text, ExpressionKind kind) {
    this.text = text;
    this.kind = kind;
    this.tokens = Lexer.tokenize(text);
    this.matching = matchParentheses(tokens);
  }

  private static int[] matchParentheses(List<Token> tokens) {
    int[] match = new int[tokens.size()];
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < tokens.size(); i++) {
      match[i] = -1;
      Token t = tokens.get(i);
      if (t.is("(")) {
        open.push(i);
      } else if (t.is(")") && !open.isEmpty()) {
        int o = open.pop();
        match[o] = i;
        match[i] = o;
      }
    }
    return match;
  }

  Token peek() {
    return tokens.get(pos);
  }

  /** The token {@code ahead} places after the current one (the end token when past the end). */
  Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.END) {
      pos++;
    }
    return t;
  }

  int position() {
    return pos;
  }

  boolean atEnd() {
    return peek().kind() == Kind.END;
  }

  /** Consumes the punctuation {@code p} or fails on the current token. */
  void expect(String p) {
    if (!peek().is(p)) {
      throw syntaxError();
    }
    pos++;
  }

  /** Consumes the keyword {@code keyword} or fails on the current token. */
  void expectKeyword(String keyword) {
    if (!peek().isKeyword(keyword)) {
      throw syntaxError();
    }
    pos++;
  }

  /** The index of the parenthesis matching the one at {@code index}, or -1. */
  int matching(int index) {
    return matching[index];
  }

  /** The token at absolute {@code index}. */
  Token at(int index) {
    return tokens.get(Math.min(index, tokens.size() - 1));
  }

  /**
   * Whether the {@code (} at {@code index} directly encloses another parenthesized group and
   * nothing else, {@code ((...))}: DynamoDB rejects that as redundant.
   */
  boolean isRedundant(int index) {
    int close = matching[index];
    return close > 0 && at(index + 1).is("(") && matching[index + 1] == close - 1;
  }

  void enter() {
    if (++depth > MAX_DEPTH) {
      throw kind.invalid("The expression is nested too deeply; maximum depth: " + MAX_DEPTH);
    }
  }

  void leave() {
    depth--;
  }

  /** DynamoDB's syntax error at the current token. */
  ValidationException syntaxError() {
    return syntaxErrorAt(pos);
  }

  /**
   * {@code Invalid <kind>: Syntax error; token: "<token>", near: "<text>"}, where the text runs
   * from the token before the bad one to the token after it, as DynamoDB quotes it.
   */
  ValidationException syntaxErrorAt(int index) {
    Token bad = tokens.get(index);
    int from = index > 0 ? tokens.get(index - 1).start() : bad.start();
    int to =
        bad.kind() == Kind.END
            ? text.length()
            : index + 1 < tokens.size() - 1 ? tokens.get(index + 1).end() : bad.end();
    return kind.invalid(
        "Syntax error; token: \""
            + bad.display()
            + "\", near: \""
            + text.substring(from, to)
            + "\"");
  }
}
