package dev.coffer.kms;

/**
 * A tag cannot be added or removed: a reserved key ({@code aws:}), or a tag AWS KMS refuses. AWS
 * KMS error name: {@code TagException}. Not retryable.
 */
public class TagException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public TagException(String message, String keyId, String action) {
    super("TagException", message, keyId, action, null);
  }
}
