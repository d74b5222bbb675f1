package dev.coffer.server.internal.dynamodb;

import dev.coffer.server.internal.json.Snippets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a DynamoDB expression into tokens: names ({@code pk}, {@code #n}), value placeholders
 * ({@code :v}), the comparators {@code = < <= > >= <>}, parentheses, commas, dots and brackets.
 * Copied from the CLI's tokenizer for the key-condition and projection seam of {@link
 * Expressions}; goes away with it. Not thread-safe: a cursor over one expression.
 */
final class ExpressionTokens {
  private final String expression;
  private final String kind;
  private final List<String> tokens = new ArrayList<>();
  private int next;

  ExpressionTokens(String kind, String expression) {
    this.kind = kind;
    this.expression = expression;
    int i = 0;
    while (i < expression.length()) {
      char c = expression.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ',' || c == '=' || c == '.' || c == '[' || c == ']') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '<' || c == '>') {
        boolean two = i + 1 < expression.length()
            && (expression.charAt(i + 1) == '=' || (c == '<' && expression.charAt(i + 1) == '>'));
        tokens.add(expression.substring(i, i + (two ? 2 : 1)));
        i += two ? 2 : 1;
      } else if (c == '#' || c == ':' || Character.isLetterOrDigit(c) || c == '_') {
        int start = i++;
        while (i < expression.length()
            && (Character.isLetterOrDigit(expression.charAt(i)) || expression.charAt(i) == '_')) {
          i++;
        }
        tokens.add(expression.substring(start, i));
      } else {
        throw error("Syntax error; token: \"" + c + "\", near: \"" + near(i) + "\"");
      }
    }
  }

  boolean hasNext() {
    return next < tokens.size();
  }

  String peek() {
    return hasNext() ? tokens.get(next) : null;
  }

  String take() {
    if (!hasNext()) {
      throw error("Syntax error; token: <EOF>, near: \"" + near(expression.length()) + "\"");
    }
    return tokens.get(next++);
  }

  boolean accept(String token) {
    if (hasNext() && tokens.get(next).equalsIgnoreCase(token)) {
      next++;
      return true;
    }
    return false;
  }

  void expect(String token) {
    String t = take();
    if (!t.equalsIgnoreCase(token)) {
      throw error("Syntax error; token: \"" + t + "\", near: \"" + t + "\"");
    }
  }

  String takeValue() {
    String t = take();
    if (!t.startsWith(":") || t.length() < 2) {
      throw error("Syntax error; token: \"" + t + "\", near: \"" + t + "\"");
    }
    return t;
  }

  /** An attribute name or {@code #name}; nested paths are refused (top-level names only, for now). */
  String takeName() {
    String t = take();
    if (t.startsWith(":") || "(),=<>.[]".contains(t) || t.equals("<=") || t.equals(">=") || t.equals("<>")) {
      throw error("Syntax error; token: \"" + t + "\", near: \"" + t + "\"");
    }
    if (".".equals(peek()) || "[".equals(peek())) {
      throw DynamoError.validation("Invalid " + kind + ": Coffer's server supports top-level attribute names only"
          + " here for now; nested paths such as " + Snippets.quote(t, 64) + peek() + "... are not supported yet");
    }
    return t;
  }

  DynamoError error(String reason) {
    return DynamoError.validation("Invalid " + kind + ": " + Snippets.quote(reason, 512));
  }

  private String near(int i) {
    return expression.substring(Math.max(0, i - 10), Math.min(expression.length(), i + 10));
  }
}
