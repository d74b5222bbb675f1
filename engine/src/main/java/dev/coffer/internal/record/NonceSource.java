package dev.coffer.internal.record;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * <b>The one place that decides a sealed record's nonce</b> ({@link PageCipher} draws one per seal;
 * no caller can pass one). Random 96-bit GCM nonces from a per-thread CTR_DRBG (NIST SP 800-90A
 * section 10.2.1, AES-256, no derivation function), seeded and reseeded with 384 bits from the
 * platform {@link SecureRandom}. Each generate request yields {@value #REQUEST_BYTES} bytes (well
 * under the standard's 2^19-bit request limit), served as nonces, followed by the standard's update
 * of key and V (backtracking resistance); the DRBG reseeds every {@value #RESEED_INTERVAL} requests
 * (the standard allows 2^48).
 *
 * <p>Why not {@code SecureRandom} per nonce: the JDK's NativePRNG takes a global lock, reads {@code
 * /dev/urandom} every few calls and mixes with SHA-1: ~170-400 ns per nonce, a tenth of sealing a 4
 * KiB page. Here one AES-CTR call over 4 KiB serves 341 nonces. Nonces are public (they are stored
 * beside the ciphertext); what GCM needs is that they do not repeat under a key, which random
 * 96-bit values from an approved DRBG give with the per-key seal budget ({@code SealBudget}, 2^32
 * seals). Not thread-safe: one instance per thread ({@link #current()}).
 */
final class NonceSource {
  /** Bytes produced per generate request: 341 nonces. */
  static final int REQUEST_BYTES = 4092;

  /** Generate requests between reseeds. */
  static final int RESEED_INTERVAL = 1 << 16;

  private static final int SEED_BYTES = 48;
  private static final int KEY_BYTES = 32;
  private static final int BLOCK = 16;
  private static final int REQUEST_BLOCKS = (REQUEST_BYTES + BLOCK - 1) / BLOCK;
  private static final ThreadLocal<NonceSource> PER_THREAD =
      ThreadLocal.withInitial(() -> new NonceSource(null));
  private static final SecureRandom SEEDS = new SecureRandom();

  private final Cipher aes;
  private final SecureRandom entropy;
  private final byte[] key = new byte[KEY_BYTES];
  private final byte[] v = new byte[BLOCK];

  /** Keystream of one request plus the 48 bytes of the update that follows it. */
  private final byte[] stream = new byte[REQUEST_BLOCKS * BLOCK + SEED_BYTES];

  private final byte[] zeros = new byte[stream.length];
  private int pos = REQUEST_BYTES;
  private int requests;

  /** A DRBG seeded from {@code entropy} (null: the platform's {@link SecureRandom}). */
  NonceSource(SecureRandom entropy) {
    this.entropy = entropy == null ? SEEDS : entropy;
    try {
      this.aes = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR/NoPadding is not available in this JDK", e);
    }
    reseed(); // instantiate: key = 0, V = 0, then update with the seed
  }

  /** The calling thread's source. */
  static NonceSource current() {
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

  /** CTR_DRBG_Generate without additional input: the request's output, then update(0). */
  private void generate() {
    if (requests >= RESEED_INTERVAL) {
      reseed();
    }
    keystream(zeros);
    System.arraycopy(stream, REQUEST_BLOCKS * BLOCK, key, 0, KEY_BYTES);
    System.arraycopy(stream, REQUEST_BLOCKS * BLOCK + KEY_BYTES, v, 0, BLOCK);
    Arrays.fill(stream, REQUEST_BYTES, stream.length, (byte) 0);
    pos = 0;
    requests++;
  }

  /**
   * CTR_DRBG_Reseed (and instantiate, from key = V = 0): update with 384 bits of entropy; no
   * personalization or additional input.
   */
  private void reseed() {
    byte[] seed = new byte[SEED_BYTES];
    entropy.nextBytes(seed);
    // update(seed): temp = AES_K(V+1) || AES_K(V+2) || AES_K(V+3); (K, V) = temp XOR seed
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
    pos = REQUEST_BYTES; // the old request's bytes are not used after a reseed
  }

  private void keystream(byte[] input) {
    ctr(stream, input);
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
