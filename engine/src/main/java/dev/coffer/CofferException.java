package dev.coffer;

/**
 * The one unchecked exception family of the Coffer engine. Each subclass carries the name DynamoDB
 * uses for the same condition ({@link #errorCode()}). Key-provider failures are not wrapped: they
 * reach the caller as {@link dev.coffer.kms.KeyProviderException}s, which name the key, the action
 * and the principal.
 */
public class CofferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;

  public CofferException(String errorCode, String message) {
    this(errorCode, message, null);
  }

  public CofferException(String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** DynamoDB's name for the error, e.g. {@code ValidationException}. */
  public String errorCode() {
    return errorCode;
  }
}
