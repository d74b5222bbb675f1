package dev.coffer.bench;

import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.record.PageCipher;

/**
 * The {@code coffer-page} cipher of {@link CipherBenchmark}: the engine's page seal and open,
 * {@code dev.coffer.internal.record.PageCipher}, with its envelope (format version, data-key
 * version, nonce, length) and its own per-thread {@code Cipher} and nonce source. The associated
 * data is the benchmark's 73 random bytes, the length of a page's real associated data. (The one
 * use of the engine's internals outside the engine: the architecture test of this module allows
 * exactly it.)
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
