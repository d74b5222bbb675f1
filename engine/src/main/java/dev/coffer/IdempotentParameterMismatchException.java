package dev.coffer;

/**
 * A TransactWriteItems call reused a {@code ClientRequestToken} of the last 10 minutes with a
 * different request. Nothing was changed.
 */
public class IdempotentParameterMismatchException extends CofferException {
  private static final long serialVersionUID = 1L;

  /** The message emulators of DynamoDB use; DynamoDB's own wording was not confirmed. */
  public static final String MESSAGE =
      "The request uses the same client token as a previous, but non-identical request.";

  public IdempotentParameterMismatchException(String message) {
    super("IdempotentParameterMismatchException", message);
  }
}
