package dev.coffer.kms;

/**
 * A limit was exceeded (for example, too many keys or aliases). AWS KMS error name: {@code
 * LimitExceededException}.
 */
public class LimitExceededException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public LimitExceededException(String message, String keyId, String action, Throwable cause) {
    super("LimitExceededException", message, keyId, action, cause);
  }
}
