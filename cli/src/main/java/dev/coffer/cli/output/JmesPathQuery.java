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

  private final String text;
  private final Expression<JsonNode> expression;

  private JmesPathQuery(String text, Expression<JsonNode> expression) {
    this.text = text;
    this.expression = expression;
  }

  /**
   * Compiles {@code text}.
   *
   * @throws CliInputException when it is not a valid JMESPath expression (bad usage), or nests too
   *     deeply for the library's recursive parser (e.g. a thousand parentheses)
   */
  public static JmesPathQuery compile(String text) {
    try {
      return new JmesPathQuery(text, RUNTIME.compile(text));
    } catch (JmesPathException e) {
      throw new CliInputException(
          "Bad value for --query "
              + Excerpt.of(text)
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())),
          e);
    } catch (StackOverflowError e) { // the library parses and walks the expression recursively
      throw tooDeep(text);
    }
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
