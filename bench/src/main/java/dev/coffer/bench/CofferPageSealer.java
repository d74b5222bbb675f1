package dev.coffer.bench;

import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.page.PageCipher;
import java.util.function.IntFunction;

/**
 * The {@code coffer-page} cipher of {@link CipherBenchmark}: the engine's page seal and open,
 * {@code dev.coffer.internal.page.PageCipher}, with its envelope (format version, data-key
 * version, nonce, length) and its own per-thread {@code Cipher} and {@code SecureRandom}. The
 * associated data is the benchmark's 73 random bytes, the length of a page's real associated data
 * ({@code AssociatedData.LENGTH}).
 */
final class CofferPageSealer implements CipherBenchmark.Sealer {
  private static final int KEY_VERSION = 1;

  private final AeadKey key;
  private final byte[] associatedData;
  private final IntFunction<AeadKey> keys;
  private final IntFunction<byte[]> associatedDataOf;

  CofferPageSealer(byte[] key, byte[] associatedData) {
    this.key = AeadKey.wrap(key.clone());
    this.associatedData = associatedData;
    this.keys = version -> version == KEY_VERSION ? this.key : null;
    this.associatedDataOf = version -> this.associatedData;
  }

  @Override
  public byte[] seal(byte[] plaintext) {
    return PageCipher.seal(key, KEY_VERSION, associatedData, plaintext);
  }

  @Override
  public byte[] open(byte[] sealed) {
    return PageCipher.open(sealed, keys, associatedDataOf, "bench", "page");
  }
}
