package dev.coffer.kms;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds and opens key providers by URI through {@link java.util.ServiceLoader}: {@code
 * local:<keystore path>}, {@code memory:}, {@code aws-kms:<key ARN or alias ARN>} (when the AWS
 * provider is on the class path).
 */
public final class KeyProviders {
  private KeyProviders() {}

  /** Opens the provider for {@code uri} with default settings. */
  public static KeyProvider open(String uri) {
    return open(uri, KeyProviderContext.defaults());
  }

  /**
   * Opens the provider for {@code uri}.
   *
   * @throws KmsValidationException for a malformed URI or an unknown scheme (the message lists the
   *     known ones)
   */
  public static KeyProvider open(String uri, KeyProviderContext context) {
    String scheme = scheme(uri);
    KeyProviderFactory factory = factories().get(scheme);
    if (factory == null) {
      throw new KmsValidationException(
          "Unknown key provider scheme '" + scheme + "' in '" + uri + "'. Known: " + knownForms(),
          null,
          null);
    }
    return factory.create(uri.substring(scheme.length() + 1), context);
  }

  /** The schemes of every provider on the class path, sorted, each with its URI form. */
  public static Map<String, String> knownSchemes() {
    Map<String, String> out = new TreeMap<>();
    factories().forEach((scheme, f) -> out.put(scheme, f.uriForm()));
    return out;
  }

  private static Map<String, KeyProviderFactory> factories() {
    Map<String, KeyProviderFactory> out = new TreeMap<>();
    for (KeyProviderFactory f :
        ServiceLoader.load(KeyProviderFactory.class, KeyProviders.class.getClassLoader())) {
      out.putIfAbsent(f.scheme(), f);
    }
    return out;
  }

  private static String knownForms() {
    return String.join(", ", knownSchemes().values());
  }

  private static String scheme(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new KmsValidationException(
          "A key provider URI is required, e.g. local:/path/keystore or memory:", null, null);
    }
    int colon = uri.indexOf(':');
    if (colon < 1 || !uri.substring(0, colon).matches("[a-zA-Z][a-zA-Z0-9+.-]*")) {
      throw new KmsValidationException(
          "Key provider URI '" + uri + "' has no scheme. Known: " + knownForms(), null, null);
    }
    return uri.substring(0, colon);
  }
}
