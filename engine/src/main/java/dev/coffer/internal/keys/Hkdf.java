package dev.coffer.internal.keys;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869) through Bouncy Castle's lightweight API. Stateless and thread-safe. */
public final class Hkdf {
  /** The longest output HKDF-SHA256 allows: 255 blocks of 32 bytes. */
  public static final int MAX_OUTPUT_BYTES = 255 * 32;

  private Hkdf() {}

  /**
   * Extract-and-expand.
   *
   * @param salt the salt, or null/empty for none (RFC 5869 then uses 32 zero bytes)
   * @throws IllegalArgumentException when {@code length} is not in 1..8160
   */
  public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException(
          "HKDF-SHA256 output must be 1 to 8160 bytes, not " + length);
    }
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }
}
