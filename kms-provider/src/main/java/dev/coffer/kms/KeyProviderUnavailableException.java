package dev.coffer.kms;

/**
 * The provider cannot be reached or cannot serve now (network failure, keystore locked). AWS KMS
 * error name: {@code KeyUnavailableException}.
 */
public class KeyProviderUnavailableException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public KeyProviderUnavailableException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public KeyProviderUnavailableException(
      String message, String keyId, String action, Throwable cause) {
    super("KeyUnavailableException", message, keyId, action, cause);
  }

  /** Always true: the same call may succeed later. */
  @Override
  public boolean retryable() {
    return true;
  }
}
