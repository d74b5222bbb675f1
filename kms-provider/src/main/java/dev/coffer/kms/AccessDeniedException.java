package dev.coffer.kms;

/**
 * The principal is not allowed the action on the key by its key policy. AWS KMS error name: {@code
 * AccessDeniedException}.
 */
public class AccessDeniedException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public AccessDeniedException(String message, String keyId, String action, Throwable cause) {
    super("AccessDeniedException", message, keyId, action, cause);
  }
}
