package dev.coffer;

/** The request is not valid: bad item, key, name, limit or expression. Nothing was changed. */
public class ValidationException extends CofferException {
  private static final long serialVersionUID = 1L;

  public ValidationException(String message) {
    super("ValidationException", message);
  }

  public ValidationException(String message, Throwable cause) {
    super("ValidationException", message, cause);
  }
}
