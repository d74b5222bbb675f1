package dev.coffer.kms;

/**
 * Service-provider interface: creates a {@link KeyProvider} for one URI scheme. Implementations are
 * listed in {@code META-INF/services/dev.coffer.kms.KeyProviderFactory} and found by {@link
 * KeyProviders}. They must have a public no-argument constructor and must not load heavy
 * dependencies (such as the AWS SDK) before {@link #create} is called.
 */
public interface KeyProviderFactory {

  /** The URI scheme, e.g. {@code "local"}. */
  String scheme();

  /**
   * A short description of the URI form, for error messages, e.g. {@code "local:<keystore path>"}.
   */
  String uriForm();

  /**
   * Creates a provider.
   *
   * @param location everything after {@code "<scheme>:"} in the URI, as written (a file path for
   *     {@code local:}, which may contain spaces; empty for {@code memory:})
   * @throws KeyProviderException when the location is malformed or the provider cannot be opened
   */
  KeyProvider create(String location, KeyProviderContext context);
}
