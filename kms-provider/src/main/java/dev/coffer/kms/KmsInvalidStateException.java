package dev.coffer.kms;

/**
 * The key's state does not allow the action (for example, it is pending deletion). AWS KMS error
 * name: {@code KMSInvalidStateException}.
 */
public class KmsInvalidStateException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public KmsInvalidStateException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public KmsInvalidStateException(String message, String keyId, String action, Throwable cause) {
    super("KMSInvalidStateException", message, keyId, action, cause);
  }
}
