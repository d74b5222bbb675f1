package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens records with the JDK's AES-256-GCM, in the envelope {@link RecordFormat} frames.
 * The cipher owns its nonces: each seal draws a fresh random 96-bit nonce ({@link NonceSource}); no
 * caller can pass one. One {@link Cipher} per thread; sealing writes the ciphertext straight after
 * the envelope header in the caller's array, and opening decrypts straight out of the stored value:
 * no big array is copied on the way in or out. Stateless and thread-safe.
 *
 * <p>Inside the engine only the record layer calls it (the layer rules in {@code
 * EngineArchitectureTest} enforce that). It is public for one outside caller: the cipher benchmark
 * in {@code bench/} measures {@link #seal} and {@link #open} against bare JDK AES-GCM. It is not an
 * API: it may change in any release.
 */
public final class PageCipher {
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(PageCipher::newCipher);

  private PageCipher() {}

  /** The length of the envelope of a {@code plaintextLength}-byte plaintext. */
  static int sealedLength(int keyVersion, int plaintextLength) {
    int ct = plaintextLength + RecordFormat.TAG_BYTES;
    return RecordFormat.envelopeHeaderLength(keyVersion, ct) + ct;
  }

  /**
   * Seals {@code plaintext} into {@code out} at {@code offset}: the envelope header, then the
   * ciphertext and tag ({@link #sealedLength} bytes in all).
   *
   * @param associatedData built for {@code keyVersion}
   */
  static void sealInto(
      byte[] out,
      int offset,
      AeadKey key,
      int keyVersion,
      byte[] associatedData,
      byte[] plaintext) {
    byte[] nonce = new byte[RecordFormat.NONCE_BYTES];
    NonceSource.current().next(nonce);
    int ctLength = plaintext.length + RecordFormat.TAG_BYTES;
    int header = RecordFormat.envelopeHeaderLength(keyVersion, ctLength);
    RecordFormat.writeEnvelopeHeader(out, offset, header, keyVersion, nonce, ctLength);
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData);
      int n = cipher.doFinal(plaintext, 0, plaintext.length, out, offset + header);
      if (n != ctLength) {
        throw new IllegalStateException("AES-GCM produced " + n + " bytes, expected " + ctLength);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM failed to seal: " + e.getMessage(), e);
    }
  }

  /**
   * Seals {@code plaintext} under {@code key} (key version {@code keyVersion}) with {@code
   * associatedData}, which must be built for that same version.
   *
   * @return the envelope bytes
   */
  public static byte[] seal(AeadKey key, int keyVersion, byte[] associatedData, byte[] plaintext) {
    byte[] out = new byte[sealedLength(keyVersion, plaintext.length)];
    sealInto(out, 0, key, keyVersion, associatedData, plaintext);
    return out;
  }

  /**
   * Opens an envelope whose key the caller looked up by its key version.
   *
   * @throws AEADBadTagException when it does not authenticate (wrong key or associated data,
   *     changed or truncated bytes)
   * @throws GeneralSecurityException when the cipher fails otherwise
   */
  static byte[] open(RecordFormat.Envelope env, AeadKey key, byte[] associatedData)
      throws GeneralSecurityException {
    Cipher cipher = CIPHERS.get();
    byte[] out = new byte[env.ciphertextLength - RecordFormat.TAG_BYTES];
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(128, env.bytes, env.nonceOffset, RecordFormat.NONCE_BYTES));
    cipher.updateAAD(associatedData);
    cipher.doFinal(env.bytes, env.ciphertextOffset, env.ciphertextLength, out, 0);
    return out;
  }

  /**
   * Opens the envelope {@code sealed}, which must name key version {@code keyVersion}, with {@code
   * key} and {@code associatedData}.
   *
   * @throws CorruptionException (naming {@code location}) when it is malformed, names another key
   *     version or does not authenticate
   */
  public static byte[] open(
      byte[] sealed, int keyVersion, AeadKey key, byte[] associatedData, String location) {
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(sealed, 0, sealed.length);
    if (env == null) {
      throw corrupt(RecordErrors.NOT_AN_ENVELOPE, location, null);
    }
    if (env.formatVersion != RecordFormat.ENVELOPE_VERSION) {
      throw corrupt(RecordErrors.unknownEnvelope(env.formatVersion), location, null);
    }
    if (env.keyVersion != keyVersion) {
      throw corrupt(RecordErrors.unknownKeyVersion(env.keyVersion), location, null);
    }
    try {
      return open(env, key, associatedData);
    } catch (AEADBadTagException e) {
      throw corrupt(RecordErrors.FAILED_AUTHENTICATION, location, null);
    } catch (GeneralSecurityException e) {
      throw corrupt(RecordErrors.undecryptable(e), location, e);
    }
  }

  /** A store-level record's failure: its location goes into the message (no table to name). */
  private static CorruptionException corrupt(String message, String location, Exception cause) {
    return new CorruptionException(message + " (" + location + ")", null, location, cause);
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", e);
    }
  }
}
