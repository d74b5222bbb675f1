package dev.coffer.kms;

/**
 * The provider refused the call because of its request rate. AWS KMS error name: {@code
 * ThrottlingException}.
 */
public class ThrottlingException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public ThrottlingException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public ThrottlingException(String message, String keyId, String action, Throwable cause) {
    super("ThrottlingException", message, keyId, action, cause);
  }

  /** Always true: the same call may succeed later. */
  @Override
  public boolean retryable() {
    return true;
  }
}
