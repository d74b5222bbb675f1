package dev.coffer.spi;

import dev.coffer.CofferException;

/**
 * A {@link RecordBackend} write or delete did not take effect because its {@link WriteCondition}
 * did not hold (DynamoDB's {@code ConditionalCheckFailedException}). The engine catches it: it
 * means another writer came first, and the engine reads again and retries. It never reaches a user
 * of {@code dev.coffer.Coffer}.
 */
public class ConditionFailedException extends CofferException {
  private static final long serialVersionUID = 1L;

  public ConditionFailedException(String message) {
    super("ConditionalCheckFailedException", message);
  }

  public ConditionFailedException(String message, Throwable cause) {
    super("ConditionalCheckFailedException", message, cause);
  }
}
