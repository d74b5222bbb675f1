package dev.coffer.server.internal.auth;

/**
 * A request whose SigV4 authentication fails: AWS's error name ({@code
 * MissingAuthenticationTokenException}, {@code IncompleteSignatureException}, {@code
 * UnrecognizedClientException}, {@code InvalidSignatureException}) and AWS's message. Each protocol
 * writes it in its own error shape. Carries no stack trace.
 */
public final class SigV4Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorType;

  SigV4Exception(String errorType, String message) {
    super(message, null, false, false);
    this.errorType = errorType;
  }

  /** AWS's error name, e.g. {@code InvalidSignatureException}. */
  public String errorType() {
    return errorType;
  }
}
