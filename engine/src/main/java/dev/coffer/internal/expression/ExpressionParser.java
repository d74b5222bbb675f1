package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import java.util.List;

/**
 * The entry points of the expression package: parse DynamoDB expression text with the request's
 * placeholders, or check a tree built by the typed builders. Every method throws {@link
 * ValidationException} with DynamoDB's message for the first error DynamoDB would report. Stateless
 * and thread-safe (a {@link Placeholders} is not: one per request).
 */
public final class ExpressionParser {
  private ExpressionParser() {}

  /** A ConditionExpression, FilterExpression or KeyConditionExpression. */
  public static Cond condition(String text, ExpressionKind kind, Placeholders placeholders) {
    if (kind != ExpressionKind.CONDITION
        && kind != ExpressionKind.FILTER
        && kind != ExpressionKind.KEY_CONDITION) {
      throw new IllegalArgumentException("not a condition kind: " + kind);
    }
    return ConditionParser.parse(text, kind, placeholders);
  }

  /** An UpdateExpression. */
  public static UpdateAst update(String text, Placeholders placeholders) {
    return UpdateParser.parse(text, placeholders);
  }

  /** A ProjectionExpression: its paths in order. */
  public static List<DocPath> projection(String text, Placeholders placeholders) {
    return ProjectionParser.parse(text, placeholders);
  }

  /** Checks a condition built in code, as a {@code kind}. */
  public static void check(Cond c, ExpressionKind kind) {
    ConditionChecker.check(c, kind);
  }

  /** Checks an update built in code. */
  public static void check(UpdateAst update) {
    if (update.actions().isEmpty()) {
      throw ExpressionKind.UPDATE.invalid("The expression can not be empty;");
    }
    UpdateChecker.check(update);
  }

  /** Checks projection paths given in code. */
  public static void checkProjection(List<DocPath> paths) {
    if (paths.isEmpty()) {
      throw ExpressionKind.PROJECTION.invalid("The expression can not be empty;");
    }
    ProjectionParser.check(paths);
  }
}
