package dev.coffer;

/** The named table does not exist. */
public class ResourceNotFoundException extends CofferException {
  private static final long serialVersionUID = 1L;

  public ResourceNotFoundException(String message) {
    super("ResourceNotFoundException", message);
  }

  public ResourceNotFoundException(String message, Throwable cause) {
    super("ResourceNotFoundException", message, cause);
  }
}
