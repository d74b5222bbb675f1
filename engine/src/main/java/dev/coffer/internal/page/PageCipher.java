package dev.coffer.internal.page;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import java.security.GeneralSecurityException;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens records with the JDK's AES-256-GCM. The cipher owns its nonces: each seal draws
 * a fresh random 96-bit nonce from the thread's CTR_DRBG ({@link NonceSource}; callers count seals
 * per key version, see {@code SealBudget}). One {@link Cipher} per thread; no big array is copied
 * on the way in or out. Stateless and thread-safe.
 *
 * <p>Opening fails with {@link CorruptionException} naming the table and the record's location
 * when the envelope is malformed, its version or key version is unknown, or the tag does not match
 * (wrong key, wrong associated data, changed or truncated bytes). It never returns partial data.
 */
public final class PageCipher {
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(PageCipher::newCipher);

  private PageCipher() {}

  /**
   * Seals {@code plaintext} under {@code key} (data-key version {@code keyVersion}) with {@code
   * associatedData}, which must be built for that same version.
   *
   * @return the envelope bytes to store
   */
  public static byte[] seal(AeadKey key, int keyVersion, byte[] associatedData, byte[] plaintext) {
    byte[] nonce = new byte[SealedEnvelope.NONCE_BYTES];
    NonceSource.current().next(nonce);
    int ctLength = plaintext.length + SealedEnvelope.TAG_BYTES;
    int header = SealedEnvelope.headerLength(keyVersion, ctLength);
    byte[] out = new byte[header + ctLength];
    SealedEnvelope.writeHeader(out, header, keyVersion, nonce, ctLength);
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData);
      int n = cipher.doFinal(plaintext, 0, plaintext.length, out, header);
      if (n != ctLength) {
        throw new IllegalStateException("AES-GCM produced " + n + " bytes, expected " + ctLength);
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM failed to seal: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a sealed record.
   *
   * @param keys the page key of a data-key version, or null for an unknown version
   * @param associatedData the associated data for a key version, rebuilt from the record's place
   * @param table the table name for error messages (null for store-level records)
   * @param location the record's place for error messages, e.g. {@code partition 3fa2.. node 0}
   * @return the plaintext
   * @throws CorruptionException when the record does not authenticate
   */
  public static byte[] open(
      byte[] sealed, IntFunction<AeadKey> keys, IntFunction<byte[]> associatedData, String table, String location) {
    return open(sealed, keys, associatedData, table, () -> location);
  }

  /**
   * {@link #open(byte[], IntFunction, IntFunction, String, String)} with the location formatted
   * only when the record fails (the hot read path does not format a hex string per page).
   */
  public static byte[] open(byte[] sealed, IntFunction<AeadKey> keys, IntFunction<byte[]> associatedData, String table,
      Supplier<String> location) {
    SealedEnvelope env = SealedEnvelope.parse(sealed);
    if (env == null) {
      throw corrupt("A stored record is not a well-formed sealed envelope", table, location, null);
    }
    if (env.formatVersion() != SealedEnvelope.FORMAT_VERSION) {
      throw corrupt(
          "A stored record has unknown envelope format version " + env.formatVersion(), table, location, null);
    }
    AeadKey key = keys.apply(env.keyVersion());
    if (key == null) {
      throw corrupt(
          "A stored record names data-key version " + env.keyVersion() + ", which this table does not have",
          table,
          location,
          null);
    }
    Cipher cipher = CIPHERS.get();
    byte[] out = new byte[env.ciphertextLength() - SealedEnvelope.TAG_BYTES];
    try {
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(128, env.bytes(), env.nonceOffset(), SealedEnvelope.NONCE_BYTES));
      cipher.updateAAD(associatedData.apply(env.keyVersion()));
      cipher.doFinal(env.bytes(), env.ciphertextOffset(), env.ciphertextLength(), out, 0);
      return out;
    } catch (AEADBadTagException e) {
      throw corrupt(
          "A stored record failed authentication: it was modified, damaged, or moved from elsewhere",
          table,
          location,
          null);
    } catch (GeneralSecurityException e) {
      throw corrupt("A stored record could not be decrypted: " + e.getMessage(), table, location, e);
    }
  }

  /** The exception for a failed record: store-level records name their location in the message. */
  private static CorruptionException corrupt(
      String message, String table, Supplier<String> where, Exception cause) {
    String location = where.get();
    return new CorruptionException(table == null ? message + " (" + location + ")" : message, table, location, cause);
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is not available in this JDK", e);
    }
  }
}
