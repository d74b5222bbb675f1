package dev.coffer.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;

/** A compiled {@code --query} expression (JMESPath, as the AWS CLI). Immutable and thread-safe. */
public final class JmesPathQuery {
  private static final JmesPath<JsonNode> RUNTIME = new JacksonRuntime();

  /**
   * The deepest nesting accepted: brackets, braces and parentheses open at once, plus negations in
   * a row, plus pipes. Checked before parsing, because whether the library's recursive parser
   * overflows the stack at a given depth depends on the thread's stack and on what the JIT has
   * compiled; far beyond any real query.
   */
  static final int MAX_NESTING = 256;

  private final String text;
  private final Expression<JsonNode> expression;

  private JmesPathQuery(String text, Expression<JsonNode> expression) {
    this.text = text;
    this.expression = expression;
  }

  /**
   * Compiles {@code text}.
   *
   * @throws CliInputException when it is not a valid JMESPath expression (bad usage), nests too
   *     deeply for the library's recursive parser (e.g. a thousand parentheses), or holds an index
   *     or slice bound that does not fit in 32 bits (the library parses them with {@code
   *     Integer.parseInt} and would throw {@link NumberFormatException})
   */
  public static JmesPathQuery compile(String text) {
    if (nesting(text) > MAX_NESTING) {
      throw tooDeep(text);
    }
    try {
      return new JmesPathQuery(text, RUNTIME.compile(text));
    } catch (JmesPathException e) {
      throw new CliInputException(
          "Bad value for --query "
              + Excerpt.of(text)
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())),
          e);
    } catch (NumberFormatException e) { // an index or slice bound beyond 32 bits: [99999999999]
      throw new CliInputException(
          "Bad value for --query "
              + Excerpt.of(text)
              + ": an index or slice bound is out of range (at most "
              + Integer.MAX_VALUE
              + " either way)",
          e);
    } catch (StackOverflowError e) { // the library parses and walks the expression recursively
      throw tooDeep(text);
    }
  }

  /**
   * How deeply {@code text} nests: the most brackets, braces and parentheses open at once plus the
   * negations in a row before that point, plus every pipe; quoted identifiers, raw strings and
   * literals are skipped.
   */
  static int nesting(String text) {
    int open = 0;
    int deepest = 0;
    int negations = 0;
    int pipes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = closing(text, i, c);
        negations = 0;
        continue;
      }
      switch (c) {
        case '(', '[', '{' -> open++;
        case ')', ']', '}' -> open = Math.max(0, open - 1);
        case '|' -> pipes++;
        default -> {}
      }
      if (c == '!') {
        negations++;
      } else if (!Character.isWhitespace(c)) {
        negations = c == '(' ? negations : 0;
      }
      deepest = Math.max(deepest, open + negations);
    }
    return deepest + pipes;
  }

  /** The index of the quote closing the one at {@code start} (or the end), skipping escapes. */
  private static int closing(String text, int start, char quote) {
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == quote) {
        return i;
      }
    }
    return text.length();
  }

  private static CliInputException tooDeep(String text) {
    return new CliInputException(
        "Bad value for --query "
            + Excerpt.of(text)
            + ": the expression is nested too deeply (parentheses, brackets, negations or pipes)");
  }

  /**
   * Applies the expression to a response.
   *
   * @throws CliInputException when the expression fails on this response (e.g. a function applied
   *     to the wrong type), or nests too deeply to evaluate
   */
  public JsonNode apply(JsonNode response) {
    try {
      return expression.search(response);
    } catch (JmesPathException e) {
      throw new CliInputException(
          "Bad value for --query "
              + Excerpt.of(text)
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())),
          e);
    } catch (StackOverflowError e) {
      throw tooDeep(text);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
