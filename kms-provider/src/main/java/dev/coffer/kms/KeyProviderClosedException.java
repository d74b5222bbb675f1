package dev.coffer.kms;

/**
 * The provider was closed: its keystore key is wiped and it serves no more calls. Not retryable.
 * Error code: {@code KeyProviderClosedException} (Coffer's own).
 */
public class KeyProviderClosedException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public KeyProviderClosedException(String message, String keyId, String action) {
    super("KeyProviderClosedException", message, keyId, action, null);
  }
}
