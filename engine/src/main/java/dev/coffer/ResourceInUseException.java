package dev.coffer;

/** A table of that name already exists, or the table is being deleted. */
public class ResourceInUseException extends CofferException {
  private static final long serialVersionUID = 1L;

  public ResourceInUseException(String message) {
    super("ResourceInUseException", message);
  }

  public ResourceInUseException(String message, Throwable cause) {
    super("ResourceInUseException", message, cause);
  }
}
