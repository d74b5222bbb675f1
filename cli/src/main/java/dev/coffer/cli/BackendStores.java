package dev.coffer.cli;

import dev.coffer.CofferException;
import dev.coffer.StorageException;
import dev.coffer.ValidationException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.RecordBackends;
import dev.coffer.spi.ScanPage;

/**
 * Opens the record backend a {@code --backend} URI names, through the engine's {@link
 * RecordBackends} ({@code dynamodb:} comes from {@code coffer-store-dynamodb}, bundled with the
 * command line), and turns what can go wrong into the command line's errors: a malformed URI or an
 * unknown scheme is bad usage ({@link CliInputException}, exit 2); an unreachable or failing
 * backend, or a backend that holds no store when the command creates none, is a failed operation
 * ({@link StorageException}, exit 1). Stateless.
 */
final class BackendStores {
  /** The one backend whose table the command line may keep from being created. */
  private static final String DYNAMODB = "dynamodb:";

  private BackendStores() {}

  /**
   * Opens the backend of {@code location}; the caller closes it after the store.
   *
   * @param createIfMissing whether the command creates a store when there is none (create-table,
   *     serve): otherwise a missing DynamoDB table is not created (unless the URI says {@code
   *     create=}) and a backend without a store is refused
   * @throws CliInputException when the URI is malformed or its scheme unknown
   * @throws StorageException when the backend cannot be reached or holds no store
   */
  static RecordBackend open(StoreLocation location, boolean createIfMissing) {
    String uri = location.backendUri();
    String opened = createIfMissing ? uri : withoutTableCreation(uri);
    RecordBackend backend;
    try {
      backend = RecordBackends.open(opened);
    } catch (ValidationException | IllegalArgumentException e) {
      throw new CliInputException(parsingError(location) + e.getMessage());
    } catch (CofferException e) {
      throw new StorageException(cannotOpen(uri) + e.getMessage(), e);
    } catch (RuntimeException e) {
      // the backend's library, before the backend could wrap it (e.g. no region configured)
      throw new StorageException(cannotOpen(uri) + brief(e), e);
    }
    if (createIfMissing) {
      return backend;
    }
    ScanPage first;
    try {
      first = backend.scan(0, 1, null, 1);
    } catch (RuntimeException e) {
      closeQuietly(backend, e);
      throw new StorageException(
          cannotOpen(uri) + (e instanceof CofferException ? e.getMessage() : brief(e)), e);
    }
    if (first.records().isEmpty()) {
      StorageException e =
          new StorageException(
              "No Coffer store in "
                  + backend.location()
                  + ": it holds no record (only create-table and serve create a store)");
      closeQuietly(backend, e);
      throw e;
    }
    return backend;
  }

  private static void closeQuietly(RecordBackend backend, RuntimeException failure) {
    try {
      backend.close();
    } catch (RuntimeException suppressed) {
      failure.addSuppressed(suppressed);
    }
  }

  /**
   * {@code uri} with {@code create=false} for {@code dynamodb:} when the URI does not choose: a
   * mistyped table name in a command that only reads creates no DynamoDB table.
   */
  static String withoutTableCreation(String uri) {
    if (!uri.startsWith(DYNAMODB)) {
      return uri;
    }
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri + "?create=false";
    }
    for (String param : uri.substring(q + 1).split("&")) {
      if (param.equals("create") || param.startsWith("create=")) {
        return uri;
      }
    }
    return uri + (uri.endsWith("?") || uri.endsWith("&") ? "" : "&") + "create=false";
  }

  private static String parsingError(StoreLocation location) {
    return location.source().startsWith("--")
        ? "Error parsing parameter '" + location.source() + "': "
        : "Error parsing the environment variable " + location.source() + ": ";
  }

  private static String cannotOpen(String uri) {
    return "Cannot open the store in " + uri + ": ";
  }

  /** A library's message up to its first detail list, with its type when it has no message. */
  private static String brief(RuntimeException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int cut = m.indexOf(": [");
    return (cut > 0 ? m.substring(0, cut) : m).strip();
  }
}
