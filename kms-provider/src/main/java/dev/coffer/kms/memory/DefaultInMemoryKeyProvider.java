package dev.coffer.kms.memory;

import dev.coffer.kms.StateGeneration;
import dev.coffer.kms.internal.KeyRing;
import dev.coffer.kms.internal.RingBackedProvider;
import dev.coffer.kms.internal.RingProviderBuilder;
import dev.coffer.kms.internal.RingStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The {@link InMemoryKeyProvider}: a key ring over an in-memory store. Thread-safe. */
final class DefaultInMemoryKeyProvider extends RingBackedProvider implements InMemoryKeyProvider {
  /** The hook shared by every view of one provider; null when none is installed. */
  private final AtomicReference<CallHook> hook;

  private DefaultInMemoryKeyProvider(
      KeyRing ring, String principal, String region, AtomicReference<CallHook> hook) {
    super(ring, principal, region);
    this.hook = hook;
  }

  @Override
  public InMemoryKeyProvider asPrincipal(String principal) {
    return asPrincipal(principal, regionOfView());
  }

  @Override
  public InMemoryKeyProvider asPrincipal(String principal, String region) {
    return new DefaultInMemoryKeyProvider(ring(), principal, region, hook);
  }

  /** The hook shared by every view, for a test's fault injector to install itself in. */
  AtomicReference<CallHook> hook() {
    return hook;
  }

  @Override
  protected void beforeCall(String action, String keyRef) {
    CallHook h = hook.get();
    if (h != null) {
      h.before(principal(), action, keyRef);
    }
  }

  /** Empty: the state lives in this object only, so no store can compare it across instances. */
  @Override
  public Optional<StateGeneration> stateGeneration() {
    return Optional.empty();
  }

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public void close() {}

  /** The {@link InMemoryKeyProvider.Builder}. */
  static final class BuilderImpl
      extends RingProviderBuilder<InMemoryKeyProvider.Builder, InMemoryKeyProvider>
      implements InMemoryKeyProvider.Builder {
    @Override
    protected InMemoryKeyProvider.Builder self() {
      return this;
    }

    @Override
    public InMemoryKeyProvider build() {
      KeyRing ring =
          new KeyRing(RingStore.inMemory(account, region, principal), clock, auditSink, "memory");
      return new DefaultInMemoryKeyProvider(ring, principal, null, new AtomicReference<>());
    }
  }
}
