package dev.coffer.kms;

/**
 * The request is malformed (for example, a plaintext over 4096 bytes, a bad waiting period). AWS
 * KMS error name: {@code ValidationException}.
 */
public class KmsValidationException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public KmsValidationException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public KmsValidationException(String message, String keyId, String action, Throwable cause) {
    super("ValidationException", message, keyId, action, cause);
  }
}
