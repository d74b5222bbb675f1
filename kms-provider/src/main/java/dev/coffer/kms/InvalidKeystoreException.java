package dev.coffer.kms;

/**
 * A keystore file cannot be opened: the passphrase or key is wrong, the file was modified,
 * truncated or is not a keystore, or it was opened with the wrong kind of secret. The message is
 * one sentence naming the file; it never carries key material or a parser's stack trace. Not
 * retryable: the same call fails again until the secret or the file changes. Error code: {@code
 * InvalidKeystoreException} (Coffer's own; AWS KMS has no keystore file).
 */
public class InvalidKeystoreException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public InvalidKeystoreException(String message) {
    this(message, null);
  }

  public InvalidKeystoreException(String message, Throwable cause) {
    super("InvalidKeystoreException", message, null, null, cause);
  }
}
