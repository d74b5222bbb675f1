package dev.coffer.kms.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with 96-bit nonces and 128-bit tags over the JDK's provider, for the key providers'
 * small messages (wrapped keys, keystore contents). The nonce is always random and made here.
 */
public final class AesGcm {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcm() {}

  /** A fresh random 96-bit nonce. */
  public static byte[] newNonce() {
    byte[] n = new byte[NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** Fresh random bytes (key material, salts, ids). */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Encrypts; returns ciphertext || tag. */
  public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
    try {
      Cipher c = init(Cipher.ENCRYPT_MODE, key, nonce);
      c.updateAAD(associatedData);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Decrypts ciphertext || tag.
   *
   * @throws AEADBadTagException when the tag does not verify (wrong key, data or associated data)
   */
  public static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] associatedData)
      throws AEADBadTagException {
    if (nonce.length != NONCE_BYTES || ciphertext.length < TAG_BYTES) {
      throw new AEADBadTagException("truncated");
    }
    try {
      Cipher c = init(Cipher.DECRYPT_MODE, key, nonce);
      c.updateAAD(associatedData);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static Cipher init(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
    return c;
  }
}
