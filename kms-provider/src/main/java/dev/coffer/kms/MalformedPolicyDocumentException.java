package dev.coffer.kms;

/**
 * A key policy is not valid JSON, uses what the provider does not support, or would lock the caller
 * out. AWS KMS error name: {@code MalformedPolicyDocumentException}.
 */
public class MalformedPolicyDocumentException extends KeyProviderException {
  private static final long serialVersionUID = 1L;

  public MalformedPolicyDocumentException(String message, String keyId, String action) {
    this(message, keyId, action, null);
  }

  public MalformedPolicyDocumentException(
      String message, String keyId, String action, Throwable cause) {
    super("MalformedPolicyDocumentException", message, keyId, action, cause);
  }
}
