package dev.coffer.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The nonce source of the user-space baseline ciphers in {@link CipherBenchmark}: the algorithm,
 * request size and reseed interval of the engine's page-cipher nonces before issue 15 (the
 * package-private {@code dev.coffer.internal.record.NonceSource} now reads each record's nonce from
 * the kernel; {@code jdk-aes-gcm-os-nonces} is the benchmark's baseline with those nonces). Kept so
 * that the ratios against {@code jdk-aes-gcm} show the whole cost of issue 15's nonces and stay
 * comparable with earlier runs (issue 14: with one side drawing from {@code SecureRandom} the 256 B
 * seal ratio read 1.28x when it was 0.92x on equal nonces).
 *
 * <p>A per-thread CTR_DRBG (NIST SP 800-90A section 10.2.1, AES-256, no derivation function),
 * instantiated and reseeded with 384 bits from the platform {@link SecureRandom}; each generate
 * request yields {@value #REQUEST_BYTES} bytes (341 nonces of 12 bytes), followed by the standard's
 * update of key and V; a reseed every {@value #RESEED_INTERVAL} requests. {@code BenchNoncesTest}
 * checks the output against the standard's algorithm written block by block.
 *
 * <p>Not thread-safe: one instance per thread ({@link #current()}).
 */
final class BenchNonces {
  /** Bytes produced per generate request: 341 nonces of 12 bytes (as the engine's). */
  static final int REQUEST_BYTES = 4092;

  /** Generate requests between reseeds (as the engine's). */
  static final int RESEED_INTERVAL = 1 << 16;

  private static final int SEED_BYTES = 48;
  private static final int KEY_BYTES = 32;
  private static final int BLOCK = 16;
  private static final int REQUEST_BLOCKS = (REQUEST_BYTES + BLOCK - 1) / BLOCK;
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final ThreadLocal<BenchNonces> PER_THREAD =
      ThreadLocal.withInitial(() -> new BenchNonces(SEEDS));

  private final Cipher aes;
  private final SecureRandom entropy;
  private final byte[] key = new byte[KEY_BYTES];
  private final byte[] v = new byte[BLOCK];

  /** Keystream of one request plus the 48 bytes of the update that follows it. */
  private final byte[] stream = new byte[REQUEST_BLOCKS * BLOCK + SEED_BYTES];

  private final byte[] zeros = new byte[stream.length];
  private int pos = REQUEST_BYTES;
  private int requests;

  /** A DRBG seeded from {@code entropy}. */
  BenchNonces(SecureRandom entropy) {
    this.entropy = entropy;
    try {
      this.aes = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR/NoPadding is not available in this JDK", e);
    }
    reseed();
  }

  /** The calling thread's source. */
  static BenchNonces current() {
    return PER_THREAD.get();
  }

  /** Writes a fresh {@code nonce.length}-byte nonce (at most {@value #REQUEST_BYTES} bytes). */
  void next(byte[] nonce) {
    if (pos + nonce.length > REQUEST_BYTES) {
      generate();
    }
    System.arraycopy(stream, pos, nonce, 0, nonce.length);
    Arrays.fill(stream, pos, pos + nonce.length, (byte) 0);
    pos += nonce.length;
  }

  private void generate() {
    if (requests >= RESEED_INTERVAL) {
      reseed();
    }
    ctr(stream, zeros);
    System.arraycopy(stream, REQUEST_BLOCKS * BLOCK, key, 0, KEY_BYTES);
    System.arraycopy(stream, REQUEST_BLOCKS * BLOCK + KEY_BYTES, v, 0, BLOCK);
    Arrays.fill(stream, REQUEST_BYTES, stream.length, (byte) 0);
    pos = 0;
    requests++;
  }

  /** CTR_DRBG_Reseed (and instantiate, from key = V = 0): update with 384 bits of entropy. */
  private void reseed() {
    byte[] seed = new byte[SEED_BYTES];
    entropy.nextBytes(seed);
    byte[] temp = new byte[SEED_BYTES];
    ctr(temp, new byte[SEED_BYTES]);
    for (int i = 0; i < SEED_BYTES; i++) {
      temp[i] ^= seed[i];
    }
    System.arraycopy(temp, 0, key, 0, KEY_BYTES);
    System.arraycopy(temp, KEY_BYTES, v, 0, BLOCK);
    Arrays.fill(seed, (byte) 0);
    Arrays.fill(temp, (byte) 0);
    requests = 0;
    pos = REQUEST_BYTES;
  }

  /** {@code out = AES_K(V+1) || AES_K(V+2) || ...} (the JDK's CTR mode increments all 128 bits). */
  private void ctr(byte[] out, byte[] zeroInput) {
    byte[] counter = v.clone();
    increment(counter);
    try {
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
      int n = aes.doFinal(zeroInput, 0, out.length, out, 0);
      if (n != out.length) {
        throw new IllegalStateException("AES-CTR produced " + n + " bytes, expected " + out.length);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed: " + e.getMessage(), e);
    }
  }

  /** V + 1 mod 2^128. */
  static void increment(byte[] block) {
    for (int i = block.length - 1; i >= 0; i--) {
      if (++block[i] != 0) {
        return;
      }
    }
  }
}
