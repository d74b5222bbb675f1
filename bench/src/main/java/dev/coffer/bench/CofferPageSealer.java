package dev.coffer.bench;

import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.record.PageCipher;

/**
 * The {@code coffer-page} cipher of {@link CipherBenchmark}: the engine's page seal and open,
 * {@code dev.coffer.internal.record.PageCipher}, with its envelope (format version, data-key
 * version, nonce, length), its own per-thread {@code Cipher}, and its own nonces from the engine's
 * per-thread CTR_DRBG ({@code NonceSource}); the benchmark's other ciphers draw theirs from {@link
 * BenchNonces}, the same algorithm, so every side pays the same for its nonces. The associated data
 * is the benchmark's 73 random bytes, the length of a page's real associated data ({@code
 * AssociatedData.LENGTH}).
 *
 * <p><b>The one place the benchmarks use the engine's internals.</b> The page cipher has no public
 * API (a page is sealed only inside the engine), and measuring it against bare AES-GCM is a target
 * of its own (issue 14: at least 0.9x at every size). Every other benchmark, and every other class
 * of this module, uses only the public API ({@code dev.coffer}, {@code dev.coffer.kms} and its
 * public sub-packages, the generated {@code dev.coffer.proto} messages); {@code InternalAccessTest}
 * checks that no other class of the module names {@code dev.coffer.internal}.
 */
final class CofferPageSealer implements CipherBenchmark.Sealer {
  private static final int KEY_VERSION = 1;

  private final AeadKey key;
  private final byte[] associatedData;

  CofferPageSealer(byte[] key, byte[] associatedData) {
    this.key = AeadKey.wrap(key.clone());
    this.associatedData = associatedData;
  }

  @Override
  public byte[] seal(byte[] plaintext) {
    return PageCipher.seal(key, KEY_VERSION, associatedData, plaintext);
  }

  @Override
  public byte[] open(byte[] sealed) {
    return PageCipher.open(sealed, KEY_VERSION, key, associatedData, "page");
  }
}
