package dev.coffer.kms;

/** No key or alias of that name exists. AWS KMS error name: {@code NotFoundException}. */
public class NotFoundException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public NotFoundException(String message, String keyId, String action, Throwable cause) {
    super("NotFoundException", message, keyId, action, cause);
  }
}
