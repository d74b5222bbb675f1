package dev.coffer.kms;

/**
 * The ciphertext blob is damaged, or the encryption context differs from the one it was made under.
 * AWS KMS error name: {@code InvalidCiphertextException}.
 */
public class InvalidCiphertextException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public InvalidCiphertextException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public InvalidCiphertextException(String message, String keyId, String action, Throwable cause) {
    super("InvalidCiphertextException", message, keyId, action, cause);
  }
}
