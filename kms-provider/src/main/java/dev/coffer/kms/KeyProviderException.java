package dev.coffer.kms;

/**
 * The one unchecked exception family of key providers. Each subclass carries the AWS KMS error name
 * users know ({@link #errorCode()}), the key and action involved where known, and whether a retry
 * may succeed ({@link #retryable()}).
 */
public class KeyProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;
  private final String keyId;
  private final String action;

  /**
   * @param errorCode the AWS KMS error name, e.g. {@code "AccessDeniedException"}
   * @param message a message for people; never key material
   * @param keyId the key involved, or null
   * @param action the action, e.g. {@code "kms:Decrypt"}, or null
   * @param cause the cause, or null
   */
  public KeyProviderException(
      String errorCode, String message, String keyId, String action, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.keyId = keyId;
    this.action = action;
  }

  /** The AWS KMS error name, e.g. {@code "KMSInvalidStateException"}. */
  public String errorCode() {
    return errorCode;
  }

  /** The key id or ARN involved, or null when not known. */
  public String keyId() {
    return keyId;
  }

  /** The action, e.g. {@code "kms:Decrypt"}, or null when not known. */
  public String action() {
    return action;
  }

  /** Whether the same call may succeed later without any change. False unless overridden. */
  public boolean retryable() {
    return false;
  }
}
