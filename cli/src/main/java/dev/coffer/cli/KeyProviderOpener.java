package dev.coffer.cli;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviders;

/**
 * Opens the key provider a command runs against. The command line uses {@link
 * KeyProviders#open(String, KeyProviderContext)}; tests inject one that hands out views of a shared
 * provider.
 */
@FunctionalInterface
public interface KeyProviderOpener {

  /**
   * Opens a provider.
   *
   * @param uri the URI from {@code --key-provider} or {@code COFFER_KEY_PROVIDER}, never null
   * @param context the principal, environment, clock and audit sink to open it with
   */
  KeyProvider open(String uri, KeyProviderContext context);
}
