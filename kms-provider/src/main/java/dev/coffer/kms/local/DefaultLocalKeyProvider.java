package dev.coffer.kms.local;

import dev.coffer.kms.KeyProviderClosedException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.kms.internal.KeyRing;
import dev.coffer.kms.internal.RingBackedProvider;
import dev.coffer.kms.internal.RingProviderBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link LocalKeyProvider}: a key ring over a {@link KeystoreFileStore}. Thread-safe. */
final class DefaultLocalKeyProvider extends RingBackedProvider implements LocalKeyProvider {
  private final Shared shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DefaultLocalKeyProvider(KeyRing ring, String principal, String region, Shared shared) {
    super(ring, principal, region);
    this.shared = shared;
  }

  @Override
  public LocalKeyProvider asPrincipal(String principal) {
    return asPrincipal(principal, regionOfView());
  }

  @Override
  public LocalKeyProvider asPrincipal(String principal, String region) {
    checkOpen(null, null);
    shared.retain();
    try {
      return new DefaultLocalKeyProvider(ring(), principal, region, shared);
    } catch (RuntimeException e) {
      shared.release();
      throw e;
    }
  }

  @Override
  public Path keystore() {
    return shared.store.file();
  }

  @Override
  public String scheme() {
    return "local";
  }

  @Override
  protected void beforeCall(String action, String keyRef) {
    checkOpen(action, keyRef);
  }

  @Override
  protected void checkOpen() {
    checkOpen(null, null);
  }

  private void checkOpen(String action, String keyRef) {
    if (closed.get() || shared.store.isClosed()) {
      throw new KeyProviderClosedException(
          "The local key provider for " + shared.store.file() + " is closed.", keyRef, action);
    }
  }

  @Override
  protected void raiseGenerationFloor(long generation) {
    shared.store.requireGeneration(generation);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      shared.release();
    }
  }

  /** The open keystore and the number of open views on it. */
  private static final class Shared {
    final KeystoreFileStore store;
    final AtomicInteger views = new AtomicInteger(1);

    Shared(KeystoreFileStore store) {
      this.store = store;
    }

    void retain() {
      views.incrementAndGet();
    }

    void release() {
      if (views.decrementAndGet() == 0) {
        store.close();
      }
    }
  }

  /** The {@link LocalKeyProvider.Builder}. */
  static final class BuilderImpl
      extends RingProviderBuilder<LocalKeyProvider.Builder, LocalKeyProvider>
      implements LocalKeyProvider.Builder {
    private Path keystore;
    private boolean createIfMissing = true;
    private char[] passphrase;
    private SecretBytes rawKey;
    private int memoryKib = Argon2id.DEFAULT_MEMORY_KIB;
    private int iterations = Argon2id.DEFAULT_ITERATIONS;
    private int parallelism = Argon2id.DEFAULT_PARALLELISM;
    private boolean built;

    @Override
    protected LocalKeyProvider.Builder self() {
      return this;
    }

    @Override
    public LocalKeyProvider.Builder keystore(Path keystore) {
      this.keystore = Objects.requireNonNull(keystore, "keystore");
      return this;
    }

    @Override
    public LocalKeyProvider.Builder createIfMissing(boolean createIfMissing) {
      this.createIfMissing = createIfMissing;
      return this;
    }

    @Override
    public LocalKeyProvider.Builder passphrase(char[] passphrase) {
      Objects.requireNonNull(passphrase, "passphrase");
      if (passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase must not be empty");
      }
      if (rawKey != null) {
        throw new IllegalStateException(
            "a raw key was already set; use a passphrase or a raw key, not both");
      }
      wipePassphrase();
      this.passphrase = passphrase.clone();
      return this;
    }

    @Override
    public LocalKeyProvider.Builder rawKey(SecretBytes rawKey) {
      Objects.requireNonNull(rawKey, "rawKey");
      if (rawKey.length() != AesGcm.KEY_BYTES) {
        throw new IllegalArgumentException(
            "the raw key must be 32 bytes (256 bits), not " + rawKey.length());
      }
      if (passphrase != null) {
        throw new IllegalStateException(
            "a passphrase was already set; use a passphrase or a raw key, not both");
      }
      if (this.rawKey != null) {
        this.rawKey.destroy();
      }
      this.rawKey = rawKey.duplicate();
      return this;
    }

    @Override
    public LocalKeyProvider.Builder argon2id(int memoryKib, int iterations, int parallelism) {
      String problem = Argon2id.newKeystoreProblem(memoryKib, iterations, parallelism);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      this.memoryKib = memoryKib;
      this.iterations = iterations;
      this.parallelism = parallelism;
      return this;
    }

    @Override
    public LocalKeyProvider build() {
      if (built) {
        throw new IllegalStateException(
            "this builder already built a provider; its secret was wiped");
      }
      if (keystore == null) {
        throw new IllegalStateException("keystore(Path) is required");
      }
      if (passphrase == null && rawKey == null) {
        throw new IllegalStateException(
            "a passphrase(char[]) or a rawKey(SecretBytes) is required");
      }
      built = true;
      KeystoreFileStore store =
          KeystoreFileStore.open(
              keystore,
              new KeystoreFileStore.Secret(passphrase, rawKey, memoryKib, iterations, parallelism),
              createIfMissing,
              account,
              region,
              principal);
      passphrase = null;
      rawKey = null;
      try {
        KeyRing ring = new KeyRing(store, clock, auditSink, "local");
        return new DefaultLocalKeyProvider(ring, principal, null, new Shared(store));
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }

    private void wipePassphrase() {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }
}
