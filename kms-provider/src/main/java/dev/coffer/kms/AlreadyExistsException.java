package dev.coffer.kms;

/**
 * A key or alias of that name already exists. AWS KMS error name: {@code AlreadyExistsException}.
 */
public class AlreadyExistsException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public AlreadyExistsException(String message, String keyId, String action, Throwable cause) {
    super("AlreadyExistsException", message, keyId, action, cause);
  }
}
