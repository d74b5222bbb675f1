package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens records in the envelope {@link RecordFormat} frames: envelope format 2 with
 * XAES-256-GCM over the JDK's AES ({@link Xaes256Gcm}), envelope format 1 (older records, read
 * only) with AES-256-GCM under the key itself. The cipher owns its nonces: each seal draws a fresh
 * 192-bit nonce ({@link NonceSource}); no caller can pass one. Sealing writes the ciphertext
 * straight after the envelope header in the caller's array, and opening decrypts straight out of
 * the stored value: no big array is copied on the way in or out. The envelope's format version is
 * bound by the associated data: the caller builds it for the version written, and opening puts in
 * the version the envelope names ({@link AssociatedData#forEnvelope}). Stateless and thread-safe.
 *
 * <p>Inside the engine only the record layer calls it (the layer rules in {@code
 * EngineArchitectureTest} enforce that). It is public for one outside caller: the cipher benchmark
 * in {@code bench/} measures {@link #seal} and {@link #open} against bare JDK AES-GCM. It is not an
 * API: it may change in any release.
 */
public final class PageCipher {
  /** AES-256-GCM for envelopes of format 1. */
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
    int ctLength = plaintext.length + RecordFormat.TAG_BYTES;
    int header = RecordFormat.envelopeHeaderLength(keyVersion, ctLength);
    int nonceOffset = RecordFormat.writeEnvelopeHeader(out, offset, header, keyVersion, ctLength);
    NonceSource.current().next(key, out, nonceOffset);
    int n = Xaes256Gcm.sealInto(key, out, nonceOffset, offset + header, associatedData, plaintext);
    if (n != ctLength) {
      throw new IllegalStateException(
          "XAES-256-GCM produced " + n + " bytes, expected " + ctLength);
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
    byte[] ad = AssociatedData.forEnvelope(associatedData, env.formatVersion);
    if (env.formatVersion == RecordFormat.ENVELOPE_VERSION) {
      return Xaes256Gcm.open(
          key, env.bytes, env.nonceOffset, env.ciphertextOffset, env.ciphertextLength, ad);
    }
    if (env.formatVersion != RecordFormat.ENVELOPE_VERSION_AES_GCM) {
      throw new GeneralSecurityException(RecordErrors.unknownEnvelope(env.formatVersion));
    }
    Cipher cipher = CIPHERS.get();
    byte[] out = new byte[env.ciphertextLength - RecordFormat.TAG_BYTES];
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(128, env.bytes, env.nonceOffset, env.nonceLength));
    cipher.updateAAD(ad);
    cipher.doFinal(env.bytes, env.ciphertextOffset, env.ciphertextLength, out, 0);
    return out;
  }

  /** Whether this code opens envelopes of format {@code version}. */
  static boolean readable(int version) {
    return RecordFormat.nonceBytes(version) >= 0;
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
    return open(sealed, keyVersion, key, associatedData, location, null);
  }

  /**
   * {@link #open(byte[], int, AeadKey, byte[], String)}, refusing an envelope of an older format
   * than this code seals, before its key is used, with {@code olderRefused} (the message) when it
   * is not null.
   */
  static byte[] open(
      byte[] sealed,
      int keyVersion,
      AeadKey key,
      byte[] associatedData,
      String location,
      String olderRefused) {
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(sealed, 0, sealed.length);
    if (env == null) {
      throw corrupt(RecordErrors.NOT_AN_ENVELOPE, location, null);
    }
    if (!readable(env.formatVersion)) {
      throw corrupt(RecordErrors.unknownEnvelope(env.formatVersion), location, null);
    }
    if (olderRefused != null && env.formatVersion != RecordFormat.ENVELOPE_VERSION) {
      throw corrupt(olderRefused, location, null);
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
