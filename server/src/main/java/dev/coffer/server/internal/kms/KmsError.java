package dev.coffer.server.internal.kms;

import dev.coffer.kms.KeyProviderException;

/**
 * An error the endpoint answers with: KMS's error name ({@code __type}), message and HTTP status.
 * Thrown by the request pipeline below the HTTP handler; never leaves the endpoint.
 */
final class KmsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final int status;

  KmsError(String type, String message, int status) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
  }

  static KmsError validation(String message) {
    return new KmsError("ValidationException", message, 400);
  }

  static KmsError serialization(String message) {
    return new KmsError("SerializationException", message, 400);
  }

  static KmsError unsupported(String message) {
    return new KmsError("UnsupportedOperationException", message, 400);
  }

  /** The answer for a provider failure: its KMS error name; 500 for KMS's server-side errors. */
  static KmsError of(KeyProviderException e) {
    String type =
        e.errorCode() == null || e.errorCode().isEmpty() ? "KMSInternalException" : e.errorCode();
    int status =
        switch (type) {
          case "KeyUnavailableException", "KMSInternalException", "DependencyTimeoutException" ->
              500;
          default -> 400;
        };
    return new KmsError(type, e.getMessage(), status);
  }

  /** KMS's error name, e.g. {@code NotFoundException}. */
  String type() {
    return type;
  }

  /** The HTTP status. */
  int status() {
    return status;
  }
}
