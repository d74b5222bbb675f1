package dev.coffer.kms.memory;

import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderFactory;
import dev.coffer.kms.KmsValidationException;

/** Creates a new, empty {@link InMemoryKeyProvider} for the URI {@code memory:}. */
public final class InMemoryKeyProviderFactory implements KeyProviderFactory {
  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public String uriForm() {
    return "memory:";
  }

  @Override
  public KeyProvider create(String location, KeyProviderContext context) {
    if (!location.isEmpty()) {
      throw new KmsValidationException(
          "The in-memory provider takes no location: use 'memory:'", null, null);
    }
    return InMemoryKeyProvider.builder().context(context).build();
  }
}
