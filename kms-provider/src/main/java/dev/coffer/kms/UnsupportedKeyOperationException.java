package dev.coffer.kms;

/**
 * The provider does not support the operation. AWS KMS error name: {@code
 * UnsupportedOperationException}.
 */
public class UnsupportedKeyOperationException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public UnsupportedKeyOperationException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public UnsupportedKeyOperationException(
      String message, String keyId, String action, Throwable cause) {
    super("UnsupportedOperationException", message, keyId, action, cause);
  }
}
