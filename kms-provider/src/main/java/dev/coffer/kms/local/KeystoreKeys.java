package dev.coffer.kms.local;

import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys derived from a keystore key with HKDF-SHA256 (RFC 5869, Bouncy Castle), one label per
 * purpose: the per-write contents key of format 2, and the MAC key of the generation record kept
 * beside the keystore. Every temporary key array is wiped. Stateless and thread-safe.
 */
final class KeystoreKeys {
  static final byte[] CONTENTS_INFO =
      "coffer-keystore-contents-v2".getBytes(StandardCharsets.US_ASCII);
  static final byte[] GENERATION_INFO =
      "coffer-keystore-generation-v1".getBytes(StandardCharsets.US_ASCII);
  static final int WRITE_SALT_BYTES = 32;
  static final int GENERATION_RECORD_BYTES = 8 + 32;

  private KeystoreKeys() {}

  /** HKDF-SHA256 of the keystore key with {@code salt} and {@code info}; the caller wipes it. */
  static byte[] derive(SecretBytes keystoreKey, byte[] salt, byte[] info) {
    return keystoreKey.withBytes(
        k -> {
          HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
          hkdf.init(new HKDFParameters(k, salt, info));
          byte[] out = new byte[AesGcm.KEY_BYTES];
          hkdf.generateBytes(out, 0, out.length);
          return out;
        });
  }

  /**
   * The generation record: {@code generation} (8 bytes, big-endian) and an HMAC-SHA256 of the
   * label, the keystore id and the generation under a key derived from the keystore key.
   */
  static byte[] generationRecord(SecretBytes keystoreKey, String keystoreId, long generation) {
    byte[] out =
        ByteBuffer.allocate(GENERATION_RECORD_BYTES)
            .putLong(generation)
            .put(generationMac(keystoreKey, keystoreId, generation))
            .array();
    return out;
  }

  /**
   * The generation a record holds, or -1 when it does not authenticate (absent, torn, forged, other
   * keystore).
   */
  static long readGenerationRecord(SecretBytes keystoreKey, String keystoreId, byte[] record) {
    if (record == null || record.length != GENERATION_RECORD_BYTES) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(record);
    long generation = b.getLong();
    byte[] mac = new byte[32];
    b.get(mac);
    return MessageDigest.isEqual(mac, generationMac(keystoreKey, keystoreId, generation))
        ? generation
        : -1;
  }

  private static byte[] generationMac(SecretBytes keystoreKey, String keystoreId, long generation) {
    byte[] key = derive(keystoreKey, new byte[0], GENERATION_INFO);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(GENERATION_INFO);
      mac.update(keystoreId.getBytes(StandardCharsets.UTF_8));
      mac.update(ByteBuffer.allocate(8).putLong(generation).array());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    } finally {
      SecretBytes.wipe(key);
    }
  }
}
