package dev.coffer.cli.dynamodb;

import dev.coffer.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a DynamoDB expression into tokens: names ({@code pk}, {@code #n}), value placeholders
 * ({@code :v}), the comparators {@code = < <= > >= <>}, parentheses, commas and dots. Not
 * thread-safe: a cursor over one expression.
 */
final class ExpressionTokens {
  private final String expression;
  private final String kind;
  private final List<String> tokens = new ArrayList<>();
  private int next;

  /**
   * @param kind the expression's parameter name, e.g. {@code KeyConditionExpression}, for errors
   */
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

  /** The next token without taking it, or null at the end. */
  String peek() {
    return hasNext() ? tokens.get(next) : null;
  }

  /** Takes the next token. */
  String take() {
    if (!hasNext()) {
      throw error("Syntax error; token: <EOF>, near: \"" + expression.strip() + "\"");
    }
    return tokens.get(next++);
  }

  /** Takes the next token if it is {@code token} (keywords ignore case). */
  boolean accept(String token) {
    if (hasNext() && tokens.get(next).equalsIgnoreCase(token)) {
      next++;
      return true;
    }
    return false;
  }

  /** Takes the next token, which must be {@code token}. */
  void expect(String token) {
    String t = take();
    if (!t.equalsIgnoreCase(token)) {
      throw error("Syntax error; token: \"" + t + "\", expected: \"" + token + "\"");
    }
  }

  /** Takes a value placeholder {@code :v}. */
  String takeValue() {
    String t = take();
    if (!t.startsWith(":") || t.length() < 2) {
      throw error("Syntax error; token: \"" + t + "\": expected an expression attribute value such as :v"
          + " (write values in --expression-attribute-values)");
    }
    return t;
  }

  /** Takes an attribute name or {@code #name}; nested paths are not supported. */
  String takeName() {
    String t = take();
    if (t.startsWith(":") || t.length() == 0 || "(),=<>.[]".contains(t) || t.equals("<=") || t.equals(">=")) {
      throw error("Syntax error; token: \"" + t + "\": expected an attribute name");
    }
    if (".".equals(peek()) || "[".equals(peek())) {
      throw error("Coffer supports top-level attribute names only; nested paths such as " + t + peek()
          + "... are not supported");
    }
    return t;
  }

  /** A {@link ValidationException} as DynamoDB words it: {@code Invalid <kind>: <reason>}. */
  ValidationException error(String reason) {
    return new ValidationException("Invalid " + kind + ": " + reason);
  }

  private String near(int i) {
    return expression.substring(Math.max(0, i - 10), Math.min(expression.length(), i + 10));
  }
}
