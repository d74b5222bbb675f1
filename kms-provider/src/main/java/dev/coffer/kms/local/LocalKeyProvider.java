package dev.coffer.kms.local;

import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.KeyProviderClosedException;
import dev.coffer.kms.KeyProviderUnavailableException;
import dev.coffer.kms.ManagedKeyProvider;
import dev.coffer.kms.SecretBytes;
import java.nio.file.Path;

/**
 * A key provider whose master keys live in a local keystore file, encrypted under a key derived
 * from a passphrase (Argon2id) or given raw (256 bits). It offers the same operations and semantics
 * as AWS KMS for symmetric keys (see {@link ManagedKeyProvider} and {@code docs/key-providers.md}).
 * URI: {@code local:<keystore path>}.
 *
 * <p><b>Opening.</b> {@link Builder#build()} opens the keystore file with the costs and salt
 * recorded in it; it creates the file (and its directory) only when {@link
 * Builder#createIfMissing(boolean)} allows it, with the builder's Argon2id costs and a random salt,
 * or in raw-key mode.
 *
 * <p><b>Security guarantees.</b> The file is sealed with AES-256-GCM, its header as associated
 * data: a wrong secret, a changed byte or a truncated file fails with {@link
 * InvalidKeystoreException}, never with wrong keys. The keystore key stays in memory until the last
 * view is closed, then is wiped; the passphrase and every temporary key array are wiped as soon as
 * they are used. Master-key material itself sits in immutable protobuf values that cannot be wiped;
 * it becomes garbage when the provider does.
 *
 * <p><b>Sharing.</b> Any number of threads, instances and processes may use one keystore: every
 * change is a locked reload-modify-save, written crash-safely, and each call first picks up changes
 * written by others. Thread-safe.
 *
 * <p>{@link #asPrincipal(String)} returns a view acting as another principal on the same open
 * keystore. Each view must be closed; the keystore key is wiped when the last one is. Calls on a
 * closed view fail with {@link KeyProviderClosedException}.
 */
public interface LocalKeyProvider extends ManagedKeyProvider {

  /** A builder for a provider over one keystore file. */
  static Builder builder() {
    return new DefaultLocalKeyProvider.BuilderImpl();
  }

  @Override
  LocalKeyProvider asPrincipal(String principalNameOrArn);

  @Override
  LocalKeyProvider asPrincipal(String principalNameOrArn, String region);

  /** The keystore file, as an absolute path. */
  Path keystore();

  /** Closes this view; the keystore key is wiped when the last view closes. Idempotent. */
  @Override
  void close();

  /**
   * Builds a {@link LocalKeyProvider}. Setters validate at once. {@link #build()} consumes (and
   * wipes) the secret, so a builder builds once. Not thread-safe.
   */
  interface Builder extends ManagedKeyProvider.Builder<Builder, LocalKeyProvider> {
    /** The keystore file. Required. */
    Builder keystore(Path keystore);

    /**
     * Whether {@link #build()} may create the keystore (and its directory) when the file does not
     * exist; when false a missing keystore fails with "no keystore at &lt;path&gt;". True by
     * default for this builder; the {@code local:} URI opens only existing keystores unless it ends
     * in {@code ?create} ({@link LocalKeyProviderFactory}).
     */
    Builder createIfMissing(boolean createIfMissing);

    /**
     * The passphrase, copied (the caller should wipe its array). Exclusive with {@link
     * #rawKey(SecretBytes)}.
     */
    Builder passphrase(char[] passphrase);

    /** A raw 256-bit keystore key, copied. Exclusive with {@link #passphrase(char[])}. */
    Builder rawKey(SecretBytes rawKey);

    /**
     * Argon2id costs for a new keystore (existing files keep theirs). Defaults: 65536 KiB, 2
     * passes, 1 lane (~0.2-0.3 s per derivation on a 2-vCPU EPYC). Floors (OWASP's minimum
     * configuration): 19456 KiB and 2 passes; limits: up to 64 passes, 1..16 lanes, up to 1 GiB. A
     * new keystore's passphrase needs at least 8 characters.
     *
     * @throws IllegalArgumentException costs below the floors or above the limits
     */
    Builder argon2id(int memoryKib, int iterations, int parallelism);

    /**
     * Opens the keystore, creating it when the file is absent and {@link #createIfMissing} allows.
     *
     * @throws InvalidKeystoreException wrong passphrase or key, damaged, truncated or empty file, a
     *     directory at the path, a file protected by the other kind of secret, or no keystore at
     *     the path when it may not be created
     * @throws KeyProviderUnavailableException the file or its directory cannot be read or written
     *     (the message names the path and the problem in words: permission denied, not a directory,
     *     read-only file system, ...)
     * @throws IllegalStateException no keystore or no secret was set, or the builder already built
     */
    @Override
    LocalKeyProvider build();
  }
}
