package dev.coffer.cli.dynamodb;

import dev.coffer.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ProjectionExpression}: top-level attribute names, plain or {@code #placeholders},
 * separated by commas. Nested paths ({@code a.b}, {@code a[0]}) are not supported. Stateless.
 */
final class ProjectionExpression {
  private ProjectionExpression() {}

  /**
   * The attribute names of {@code expression}.
   *
   * @throws ValidationException when it is malformed or has a nested path
   */
  static List<String> parse(String expression, ExpressionAttributes attributes) {
    ExpressionTokens tokens = new ExpressionTokens("ProjectionExpression", expression);
    List<String> names = new ArrayList<>();
    do {
      names.add(attributes.name(tokens.takeName()));
    } while (tokens.accept(","));
    if (tokens.hasNext()) {
      throw tokens.error("Syntax error; token: \"" + tokens.take() + "\"");
    }
    return names;
  }
}
