package dev.coffer.kms.local;

import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyProviderClosedException;
import dev.coffer.kms.KeyProviderContext;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.kms.internal.Arns;
import dev.coffer.kms.internal.KeyRing;
import dev.coffer.kms.internal.RingBackedProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key provider whose master keys live in a local keystore file, encrypted under a key derived
 * from a passphrase (Argon2id) or given raw (256 bits). It offers the same operations and
 * semantics as AWS KMS for symmetric keys (see {@link RingBackedProvider} and {@code
 * docs/key-providers.md}). URI: {@code local:<keystore path>}.
 *
 * <p><b>Opening.</b> {@link Builder#build()} creates the keystore (and its directory) when the file
 * does not exist, with the builder's Argon2id costs and a random salt, or in raw-key mode.
 * Otherwise it opens the file with the costs and salt recorded in it.
 *
 * <p><b>Security guarantees.</b> The file is sealed with AES-256-GCM, its header as associated
 * data: a wrong secret, a changed byte or a truncated file fails with {@link
 * InvalidKeystoreException}, never with wrong keys. The keystore key stays in memory until the
 * last view is closed, then is wiped; the passphrase and every temporary key array are wiped as
 * soon as they are used. Master-key material itself sits in immutable protobuf values that cannot
 * be wiped; it becomes garbage when the provider does.
 *
 * <p><b>Sharing.</b> Any number of threads, instances and processes may use one keystore: every
 * change is a locked reload-modify-save, written crash-safely, and each call first picks up changes
 * written by others. Thread-safe.
 *
 * <p>{@link #asPrincipal(String)} returns a view acting as another principal on the same open
 * keystore. Each view must be closed; the keystore key is wiped when the last one is. Calls on a
 * closed view fail with {@link KeyProviderClosedException}.
 */
public final class LocalKeyProvider extends RingBackedProvider {
  private final Shared shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalKeyProvider(KeyRing ring, String principal, Shared shared) {
    super(ring, principal);
    this.shared = shared;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public LocalKeyProvider asPrincipal(String principal) {
    checkOpen(null, null);
    shared.retain();
    return new LocalKeyProvider(ring(), principal, shared);
  }

  /** The keystore file, as an absolute path. */
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

  private void checkOpen(String action, String keyRef) {
    if (closed.get() || shared.store.isClosed()) {
      throw new KeyProviderClosedException(
          "The local key provider for " + shared.store.file() + " is closed.", keyRef, action);
    }
  }

  /** Closes this view; the keystore key is wiped when the last view closes. Idempotent. */
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

  /**
   * Builds a {@link LocalKeyProvider}. Setters validate at once. {@link #build()} consumes (and
   * wipes) the secret, so a builder builds once. Not thread-safe.
   */
  public static final class Builder {
    private Path keystore;
    private char[] passphrase;
    private SecretBytes rawKey;
    private String principal;
    private Clock clock = Clock.systemUTC();
    private AuditSink auditSink = AuditSink.slf4j();
    private String account = Arns.DEFAULT_ACCOUNT;
    private String region = Arns.DEFAULT_REGION;
    private int memoryKib = Argon2id.DEFAULT_MEMORY_KIB;
    private int iterations = Argon2id.DEFAULT_ITERATIONS;
    private int parallelism = Argon2id.DEFAULT_PARALLELISM;
    private boolean built;

    private Builder() {}

    /** Settings from a factory context: principal, clock, audit sink. */
    public Builder context(KeyProviderContext context) {
      return principal(context.principal()).clock(context.clock()).auditSink(context.auditSink());
    }

    /** The keystore file; created when absent. Required. */
    public Builder keystore(Path keystore) {
      this.keystore = Objects.requireNonNull(keystore, "keystore");
      return this;
    }

    /**
     * The passphrase, copied (the caller should wipe its array). Exclusive with {@link
     * #rawKey(SecretBytes)}.
     */
    public Builder passphrase(char[] passphrase) {
      Objects.requireNonNull(passphrase, "passphrase");
      if (passphrase.length == 0) {
        throw new IllegalArgumentException("the passphrase must not be empty");
      }
      if (rawKey != null) {
        throw new IllegalStateException("a raw key was already set; use a passphrase or a raw key, not both");
      }
      wipePassphrase();
      this.passphrase = passphrase.clone();
      return this;
    }

    /** A raw 256-bit keystore key, copied. Exclusive with {@link #passphrase(char[])}. */
    public Builder rawKey(SecretBytes rawKey) {
      Objects.requireNonNull(rawKey, "rawKey");
      if (rawKey.length() != AesGcm.KEY_BYTES) {
        throw new IllegalArgumentException("the raw key must be 32 bytes (256 bits), not " + rawKey.length());
      }
      if (passphrase != null) {
        throw new IllegalStateException("a passphrase was already set; use a passphrase or a raw key, not both");
      }
      if (this.rawKey != null) {
        this.rawKey.destroy();
      }
      this.rawKey = rawKey.duplicate();
      return this;
    }

    /** The principal to act as (name such as {@code bob}, or an ARN); the account root by default. */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /** The clock for key dates, rotation and deletion; inject one to test time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where audit records go; SLF4J by default. See {@code JsonLinesAuditSink} for a file. */
    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink");
      return this;
    }

    /** The 12-digit account id written into a new keystore (ARNs). Ignored for existing files. */
    public Builder account(String account) {
      if (account == null || !account.matches("[0-9]{12}")) {
        throw new IllegalArgumentException("the account id must be 12 digits, not " + account);
      }
      this.account = account;
      return this;
    }

    /** The region name written into a new keystore (ARNs). Ignored for existing files. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * Argon2id costs for a new keystore (existing files keep theirs). Defaults: 65536 KiB, 2
     * passes, 1 lane (~0.2-0.3 s per derivation on a 2-vCPU EPYC). Cheap values are for tests
     * only. Limits: 1..64 passes, 1..16 lanes, 8 KiB per lane up to 1 GiB.
     */
    public Builder argon2id(int memoryKib, int iterations, int parallelism) {
      String problem = Argon2id.problem(memoryKib, iterations, parallelism);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      this.memoryKib = memoryKib;
      this.iterations = iterations;
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Opens the keystore, creating it when the file is absent.
     *
     * @throws InvalidKeystoreException wrong passphrase or key, damaged or truncated file, or a
     *     file protected by the other kind of secret
     * @throws KeyProviderUnavailableException the file or its directory cannot be read or written
     * @throws IllegalStateException no keystore or no secret was set, or the builder already built
     */
    public LocalKeyProvider build() {
      if (built) {
        throw new IllegalStateException("this builder already built a provider; its secret was wiped");
      }
      if (keystore == null) {
        throw new IllegalStateException("keystore(Path) is required");
      }
      if (passphrase == null && rawKey == null) {
        throw new IllegalStateException("a passphrase(char[]) or a rawKey(SecretBytes) is required");
      }
      built = true;
      KeystoreFileStore store =
          KeystoreFileStore.open(
              keystore,
              new KeystoreFileStore.Secret(passphrase, rawKey, memoryKib, iterations, parallelism),
              account,
              region);
      passphrase = null;
      rawKey = null;
      try {
        KeyRing ring = new KeyRing(store, clock, auditSink, "local");
        return new LocalKeyProvider(ring, principal, new Shared(store));
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
