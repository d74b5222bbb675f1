package dev.coffer.internal.expression;

import dev.coffer.ValidationException;
import java.nio.charset.StandardCharsets;

/**
 * The five expression parameters of DynamoDB's item API. Each names itself in error messages as
 * DynamoDB does ({@code Invalid ConditionExpression: ...}).
 */
public enum ExpressionKind {
  /** {@code ConditionExpression} of PutItem, UpdateItem, DeleteItem and ConditionCheck. */
  CONDITION("ConditionExpression"),
  /** {@code FilterExpression} of Query and Scan. */
  FILTER("FilterExpression"),
  /** {@code KeyConditionExpression} of Query. */
  KEY_CONDITION("KeyConditionExpression"),
  /** {@code UpdateExpression} of UpdateItem. */
  UPDATE("UpdateExpression"),
  /** {@code ProjectionExpression} of GetItem, Query, Scan and TransactGetItems. */
  PROJECTION("ProjectionExpression");

  /** DynamoDB's limit on the length of one expression string, in UTF-8 bytes. */
  public static final int MAX_EXPRESSION_BYTES = 4096;

  private final String parameter;

  ExpressionKind(String parameter) {
    this.parameter = parameter;
  }

  /** The request parameter's name, e.g. {@code ConditionExpression}. */
  public String parameter() {
    return parameter;
  }

  /** {@code Invalid <parameter>: <reason>}. */
  public ValidationException invalid(String reason) {
    return new ValidationException("Invalid " + parameter + ": " + reason);
  }

  /**
   * Checks what DynamoDB checks before parsing: the expression is not empty and not longer than 4
   * KB (UTF-8). Condition and filter expressions also report their size, as DynamoDB does.
   */
  public void checkLength(String expression) {
    if (expression.isEmpty()) {
      throw invalid("The expression can not be empty;");
    }
    int bytes = expression.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_EXPRESSION_BYTES) {
      String suffix = this == CONDITION || this == FILTER ? " expression size: " + bytes : "";
      throw invalid("Expression size has exceeded the maximum allowed size;" + suffix);
    }
  }
}
