package dev.coffer.kms;

/** The key is disabled. AWS KMS error name: {@code DisabledException}. */
public class DisabledException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public DisabledException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public DisabledException(String message, String keyId, String action, Throwable cause) {
    super("DisabledException", message, keyId, action, cause);
  }
}
