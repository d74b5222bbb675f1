package dev.coffer.internal.record;

import dev.coffer.internal.keys.AeadKey;
import java.lang.ref.Cleaner;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * XAES-256-GCM (<a href="https://c2sp.org/XAES-256-GCM">C2SP</a>), the construction of envelope
 * format 2, over the JDK's AES: a 256-bit key K and a 192-bit nonce N give an AES-256-GCM key
 * derived from K and the first 96 bits of N by the NIST SP 800-108r1 counter-mode KDF with
 * AES-256-CMAC (label {@code 'X'}, context N[0..12], 16-bit counter, no length field):
 *
 * <pre>
 * L  = AES-256_K(0^128);  K1 = L &lt;&lt; 1, xor 0x87 into the last byte when MSB(L) = 1
 * Kx = AES-256_K((0x00 0x01 'X' 0x00 || N[0..12]) xor K1) || AES-256_K((0x00 0x02 'X' 0x00 || N[0..12]) xor K1)
 * C  = AES-256-GCM(Kx, nonce = N[12..24], plaintext, associated data) (ciphertext || 128-bit tag)
 * </pre>
 *
 * <p><b>How Coffer uses it.</b> {@link NonceSource} decides the nonces: the first half (the
 * <em>salt</em>, which selects the derived key) is kept per thread and key and renewed every {@link
 * NonceSource#SEALS_PER_SALT} seals; the second half is read from the kernel for every record. A
 * derived key is thus used again for the records that share its salt, so this class keeps, per
 * thread, the last {@value #CACHED_KEYS} derived keys with a JDK {@link Cipher} already expanded
 * for each (expanding a new AES key and setting up GHASH costs about as much as sealing 4 KiB):
 * records sealed by one thread in a row, and read back later, share a derived key, so sealing and
 * opening cost what AES-256-GCM under one key costs, plus one lookup. Caching changes nothing in
 * the output: every record is exactly XAES-256-GCM of its nonce ({@code Xaes256GcmTest} checks the
 * published vectors, the 10,000-iteration accumulated vector on every build and the
 * 1,000,000-iteration one with {@code -Dcoffer.xaes.million=true}).
 *
 * <p><b>Keys.</b> Derived keys are {@link AeadKey}s registered with the key they came from: {@link
 * AeadKey#destroy()} on the page or catalog key (the store's close) wipes them too; one evicted
 * from a thread's cache is wiped then; the cache of a thread that ended is wiped by a {@link
 * Cleaner} once the thread's state is unreachable; keys of a closed store are dropped from a live
 * thread's cache, with their {@code Cipher}, at that thread's next derivation. The JDK's own copies
 * inside a {@code Cipher} (the expanded key schedule, its copy of the key) are out of reach: its
 * AES keeps no way to wipe them, and a {@code Cipher} dropped is reclaimed by the garbage collector
 * unwiped, as for every key.
 *
 * <p>Stateless apart from the per-thread caches; thread-safe.
 */
final class Xaes256Gcm {
  /** The nonce length: 24 bytes. */
  static final int NONCE_BYTES = NonceSource.NONCE_BYTES;

  /** The salt: the first half of the nonce, which selects the derived key. */
  static final int SALT_BYTES = NonceSource.SALT_BYTES;

  /** The GCM nonce under the derived key: the second half. */
  static final int GCM_NONCE_BYTES = NONCE_BYTES - SALT_BYTES;

  /** Derived keys (with their expanded {@code Cipher}) each thread keeps. */
  static final int CACHED_KEYS = 32;

  private static final int TAG_BITS = 128;
  private static final ThreadLocal<Cipher> ECB =
      ThreadLocal.withInitial(() -> cipher("AES/ECB/NoPadding"));
  private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);

  private Xaes256Gcm() {}

  // ------------------------------------------------------------------------------ the primitive

  /**
   * The derived key Kx of {@code key} for the salt {@code nonce[offset, offset + 12)} (the caller
   * wipes it).
   */
  static byte[] deriveKey(Key key, byte[] nonce, int offset) {
    Cipher aes = ECB.get();
    byte[] k1 = new byte[16];
    byte[] m = new byte[32];
    try {
      aes.init(Cipher.ENCRYPT_MODE, key);
      aes.doFinal(new byte[16], 0, 16, k1, 0); // L
      int msb = (k1[0] & 0x80) != 0 ? 1 : 0;
      for (int i = 0; i < 15; i++) {
        k1[i] = (byte) ((k1[i] << 1) | ((k1[i + 1] & 0xFF) >>> 7));
      }
      k1[15] = (byte) ((k1[15] << 1) ^ (msb * 0x87));
      m[1] = 0x01; // M1 = 0x00 0x01 'X' 0x00 || salt
      m[2] = 'X';
      m[17] = 0x02; // M2 = 0x00 0x02 'X' 0x00 || salt
      m[18] = 'X';
      System.arraycopy(nonce, offset, m, 4, SALT_BYTES);
      System.arraycopy(nonce, offset, m, 20, SALT_BYTES);
      for (int i = 0; i < 16; i++) {
        m[i] ^= k1[i];
        m[16 + i] ^= k1[i];
      }
      byte[] kx = new byte[32];
      aes.doFinal(m, 0, 32, kx, 0);
      return kx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "AES-256 failed to derive an XAES-256-GCM key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(k1, (byte) 0);
      Arrays.fill(m, (byte) 0);
    }
  }

  // ------------------------------------------------------------------------- the engine's path

  /**
   * Seals {@code plaintext} under {@code key} with the 24-byte nonce at {@code out[nonceOffset]}
   * into {@code out} at {@code ctOffset}.
   *
   * @return the number of bytes written at {@code ctOffset} (plaintext + 16)
   * @throws IllegalStateException when {@code key} was destroyed
   */
  static int sealInto(
      AeadKey key,
      byte[] out,
      int nonceOffset,
      int ctOffset,
      byte[] associatedData,
      byte[] plaintext) {
    Derived d = STATE.get().derived(key, out, nonceOffset);
    try {
      d.cipher.init(
          Cipher.ENCRYPT_MODE,
          d.key,
          new GCMParameterSpec(TAG_BITS, out, nonceOffset + SALT_BYTES, GCM_NONCE_BYTES));
      d.cipher.updateAAD(associatedData);
      return d.cipher.doFinal(plaintext, 0, plaintext.length, out, ctOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("XAES-256-GCM failed to seal: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the ciphertext {@code in[ctOffset, ctOffset + ctLength)} sealed under {@code key} with
   * the 24-byte nonce at {@code in[nonceOffset]}.
   *
   * @throws AEADBadTagException when it does not authenticate
   * @throws GeneralSecurityException when the cipher fails otherwise
   */
  static byte[] open(
      AeadKey key, byte[] in, int nonceOffset, int ctOffset, int ctLength, byte[] associatedData)
      throws GeneralSecurityException {
    Derived d = STATE.get().derived(key, in, nonceOffset);
    byte[] out = new byte[ctLength - RecordFormat.TAG_BYTES];
    d.cipher.init(
        Cipher.DECRYPT_MODE,
        d.key,
        new GCMParameterSpec(TAG_BITS, in, nonceOffset + SALT_BYTES, GCM_NONCE_BYTES));
    d.cipher.updateAAD(associatedData);
    d.cipher.doFinal(in, ctOffset, ctLength, out, 0);
    return out;
  }

  /** A derived key of one salt, with a GCM {@code Cipher} that has expanded it. */
  private static final class Derived {
    final AeadKey key;
    final Cipher cipher;

    /** The derived key's bytes (the array {@link #key} wraps), for {@link #cachedKeyBytes}. */
    final byte[] raw;

    Derived(AeadKey key, Cipher cipher, byte[] raw) {
      this.key = key;
      this.cipher = cipher;
      this.raw = raw;
    }
  }

  /** Which derived key: the key it came from (by identity) and the salt. */
  private record Id(AeadKey parent, long salt0, int salt1) {
    static Id of(AeadKey parent, byte[] nonce, int offset) {
      long s0 = 0;
      for (int i = 0; i < 8; i++) {
        s0 = (s0 << 8) | (nonce[offset + i] & 0xFF);
      }
      int s1 = 0;
      for (int i = 8; i < SALT_BYTES; i++) {
        s1 = (s1 << 8) | (nonce[offset + i] & 0xFF);
      }
      return new Id(parent, s0, s1);
    }
  }

  /**
   * Wipes the derived keys of threads that ended: a thread's cache is registered when it is made,
   * and wiped when its thread's state becomes unreachable (before, its keys were only weakly held
   * by the key they came from, and dropped unwiped).
   */
  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * One thread's handle on its cache ({@link #STATE}): when the thread ends the handle becomes
   * unreachable, and {@link #CLEANER} wipes the cache, which does not refer back to the handle.
   */
  private static final class ThreadState {
    final KeyCache cache = new KeyCache();

    ThreadState() {
      CLEANER.register(this, cache::wipe);
    }

    Derived derived(AeadKey parent, byte[] nonce, int offset) {
      return cache.derived(parent, nonce, offset);
    }
  }

  /**
   * One thread's derived keys, least recently used first. A key evicted is wiped at once; keys of a
   * key since destroyed (a closed store) are dropped, with their {@code Cipher}, at the thread's
   * next derivation; all are wiped when the thread ends ({@link ThreadState}). The {@code Cipher}
   * of an evicted key serves the next key derived (it is initialised with a key and nonce before
   * every use): reading records of many salts at random derives a key per record, and a new {@code
   * Cipher} per derived key cost more than the derivation (a 5M-item store read at random,
   * docs/performance.md). Used by its thread only, then by the cleaner once the thread is gone.
   */
  private static final class KeyCache {
    private Cipher spare;
    private final LinkedHashMap<Id, Derived> keys = new LinkedHashMap<>(64, 0.75f, true);

    Derived derived(AeadKey parent, byte[] nonce, int offset) {
      if (parent.isDestroyed()) {
        throw new IllegalStateException("key material was destroyed (the store is closed)");
      }
      Id id = Id.of(parent, nonce, offset);
      Derived d = keys.get(id);
      if (d == null || d.key.isDestroyed()) {
        // a miss costs a derivation and a key expansion: dropping the keys of closed stores is
        // cheap beside them
        keys.values().removeIf(e -> e.key.isDestroyed());
        byte[] kx = deriveKey(parent, nonce, offset);
        AeadKey derivedKey = AeadKey.wrap(kx);
        parent.destroyWith(derivedKey);
        Cipher cipher = spare != null ? spare : cipher("AES/GCM/NoPadding");
        spare = null;
        d = new Derived(derivedKey, cipher, kx);
        keys.put(id, d);
        if (keys.size() > CACHED_KEYS) {
          Iterator<Derived> eldest = keys.values().iterator();
          Derived evicted = eldest.next();
          eldest.remove();
          evicted.key.destroy();
          spare = evicted.cipher;
        }
      }
      return d;
    }

    /** Wipes every key (the thread ended). */
    void wipe() {
      keys.values().forEach(e -> e.key.destroy());
      keys.clear();
      spare = null;
    }
  }

  /**
   * The bytes of the key this thread's cache derived from {@code parent} for the salt at {@code
   * nonce[offset]} (the very array the key wraps), or null when the cache holds none: a seam for
   * the tests that check what is wiped when.
   */
  static byte[] cachedKeyBytes(AeadKey parent, byte[] nonce, int offset) {
    Derived d = STATE.get().cache.keys.get(Id.of(parent, nonce, offset));
    return d == null ? null : d.raw;
  }

  private static Cipher cipher(String transformation) {
    try {
      return Cipher.getInstance(transformation);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(transformation + " is not available in this JDK", e);
    }
  }
}
