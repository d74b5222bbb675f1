package dev.coffer.kms;

/**
 * A keystore is older than one already seen: its generation is below the highest this process has
 * read or written, below the generation recorded beside it, or below one a caller required (for
 * example the generation a store recorded in its header). Refused because an older keystore can
 * re-enable disabled keys, restore revoked grants and bring back deleted keys. Not retryable. Error
 * code: {@code InvalidKeystoreException}.
 */
public class KeystoreRollbackException extends InvalidKeystoreException {
  private static final long serialVersionUID = 1L;

  public KeystoreRollbackException(String message) {
    super(message);
  }
}
