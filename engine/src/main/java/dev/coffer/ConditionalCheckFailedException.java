package dev.coffer;

/** A condition on a write did not hold. Nothing was changed. */
public class ConditionalCheckFailedException extends CofferException {
  private static final long serialVersionUID = 1L;

  public ConditionalCheckFailedException(String message) {
    super("ConditionalCheckFailedException", message);
  }

  public ConditionalCheckFailedException(String message, Throwable cause) {
    super("ConditionalCheckFailedException", message, cause);
  }
}
