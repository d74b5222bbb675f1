package dev.coffer.spi;

/**
 * Service-provider interface: opens a {@link RecordBackend} for one URI scheme. Implementations are
 * listed in {@code META-INF/services/dev.coffer.spi.RecordBackendFactory} and found by {@link
 * RecordBackends}. They must have a public no-argument constructor and must not load heavy
 * dependencies (such as the AWS SDK) before {@link #open} is called.
 */
public interface RecordBackendFactory {
  /** The URI scheme, e.g. {@code "dynamodb"}. */
  String scheme();

  /**
   * A short description of the URI form, for error messages, e.g. {@code
   * "dynamodb:<table>?region=..."}.
   */
  String uriForm();

  /**
   * Opens a backend; the caller closes it.
   *
   * @param location everything after {@code "<scheme>:"} in the URI, as written
   * @throws dev.coffer.ValidationException when the location is malformed
   * @throws dev.coffer.StorageException when the backend cannot be reached or prepared
   */
  RecordBackend open(String location);
}
