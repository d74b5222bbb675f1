package dev.coffer.spi;

import dev.coffer.ValidationException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds and opens record backends by URI through {@link ServiceLoader}: {@code
 * dynamodb:<table>?region=...&endpoint=...} when {@code coffer-store-dynamodb} is on the class
 * path. Thread-safe (stateless).
 */
public final class RecordBackends {
  private RecordBackends() {}

  /**
   * Opens the backend for {@code uri}; the caller closes it.
   *
   * @throws ValidationException for a malformed URI or an unknown scheme (the message lists the
   *     known ones, or says that none is on the class path)
   */
  public static RecordBackend open(String uri) {
    String scheme = scheme(uri);
    RecordBackendFactory factory = factories().get(scheme);
    if (factory == null) {
      throw new ValidationException(
          "Unknown record backend scheme '" + scheme + "' in '" + uri + "'. " + known());
    }
    return factory.open(uri.substring(scheme.length() + 1));
  }

  /** The schemes of every backend on the class path, sorted, each with its URI form. */
  public static Map<String, String> knownSchemes() {
    Map<String, String> out = new TreeMap<>();
    factories().forEach((scheme, f) -> out.put(scheme, f.uriForm()));
    return out;
  }

  private static Map<String, RecordBackendFactory> factories() {
    Map<String, RecordBackendFactory> out = new TreeMap<>();
    for (RecordBackendFactory f :
        ServiceLoader.load(RecordBackendFactory.class, RecordBackends.class.getClassLoader())) {
      out.putIfAbsent(f.scheme(), f);
    }
    return out;
  }

  private static String known() {
    Map<String, String> known = knownSchemes();
    return known.isEmpty()
        ? "No record backend is on the class path (add coffer-store-dynamodb for dynamodb:)"
        : "Known: " + String.join(", ", known.values());
  }

  private static String scheme(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new ValidationException(
          "A record backend URI is required, e.g. dynamodb:my-table?region=us-east-1");
    }
    int colon = uri.indexOf(':');
    if (colon < 1 || !uri.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*")) {
      throw new ValidationException("Record backend URI '" + uri + "' has no scheme. " + known());
    }
    return uri.substring(0, colon);
  }
}
