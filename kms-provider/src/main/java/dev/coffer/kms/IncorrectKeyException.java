package dev.coffer.kms;

/**
 * The ciphertext was made by another key than the one named. AWS KMS error name: {@code
 * IncorrectKeyException}.
 */
public class IncorrectKeyException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public IncorrectKeyException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public IncorrectKeyException(String message, String keyId, String action, Throwable cause) {
    super("IncorrectKeyException", message, keyId, action, cause);
  }
}
