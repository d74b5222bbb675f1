package dev.coffer.kms.memory;

import dev.coffer.kms.ManagedKeyProvider;

/**
 * A key provider that keeps its master keys in memory, with the same semantics as the local
 * provider (states, aliases, policies, rotation, deletion, audit). For tests: keys are lost when
 * the last reference goes. URI: {@code memory:}.
 *
 * <p>{@link #asPrincipal(String)} returns a view acting as another principal on the same keys, so a
 * test can create a key as its owner and use it as someone the policy does not allow. Tests inject
 * faults (denials, unavailability, throttling, latency) with the {@code FaultInjector} of the
 * {@code coffer-kms-provider} test jar. Thread-safe.
 */
public interface InMemoryKeyProvider extends ManagedKeyProvider {

  /** A new, empty provider acting as the account root, with the system clock and SLF4J audit. */
  static InMemoryKeyProvider create() {
    return builder().build();
  }

  /** A builder for a new, empty provider. */
  static Builder builder() {
    return new DefaultInMemoryKeyProvider.BuilderImpl();
  }

  @Override
  InMemoryKeyProvider asPrincipal(String principalNameOrArn);

  @Override
  InMemoryKeyProvider asPrincipal(String principalNameOrArn, String region);

  /** Nothing to release; the keys stay usable through other references. */
  @Override
  void close();

  /** Builds an {@link InMemoryKeyProvider}. Not thread-safe. */
  interface Builder extends ManagedKeyProvider.Builder<Builder, InMemoryKeyProvider> {}
}
