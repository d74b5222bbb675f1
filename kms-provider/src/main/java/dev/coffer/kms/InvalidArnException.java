package dev.coffer.kms;

/** A key id, ARN or alias is malformed. AWS KMS error name: {@code InvalidArnException}. */
public class InvalidArnException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public InvalidArnException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public InvalidArnException(String message, String keyId, String action, Throwable cause) {
    super("InvalidArnException", message, keyId, action, cause);
  }
}
