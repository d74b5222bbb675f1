package dev.coffer.internal.record;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest a freshness map ({@link FreshTree}) holds for a stored value: a SHA-256 hash chain
 * over the value's records, {@code h = SHA-256(0x00 || r0)} for the first, then {@code h =
 * SHA-256(0x01 || h || ri)} for each next one, where each {@code ri} is one top-level field of the
 * stored node exactly as stored (tag, length and sealed bytes: the page, then each delta record).
 * The digest depends only on the value, not on how it was written, and an append ({@link
 * RecordStore#append}) extends it from the previous digest and the appended bytes alone, never the
 * old value. Bytes that do not parse as fields (damage) are one last link. Stateless.
 */
final class FreshDigest {
  /** Length of a digest. */
  static final int BYTES = 32;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(FreshDigest::newSha256);

  private FreshDigest() {}

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  /** SHA-256 of {@code bytes}. */
  static byte[] sha256(byte[] bytes) {
    MessageDigest md = SHA256.get();
    md.reset();
    return md.digest(bytes);
  }

  /** The digest of a stored value. */
  static byte[] of(byte[] value) {
    return extend(null, value);
  }

  /**
   * The digest of the value whose digest was {@code previous} (null: no value) after {@code
   * appended} was appended to it.
   */
  static byte[] extend(byte[] previous, byte[] appended) {
    MessageDigest md = SHA256.get();
    byte[] h = previous;
    int pos = 0;
    do {
      int end = fieldEnd(appended, pos);
      md.reset();
      if (h == null) {
        md.update((byte) 0);
      } else {
        md.update((byte) 1);
        md.update(h);
      }
      md.update(appended, pos, end - pos);
      h = md.digest();
      pos = end;
    } while (pos < appended.length);
    return h;
  }

  /**
   * The end of the length-delimited field that starts at {@code pos}, or the end of {@code value}
   * when none parses there.
   */
  private static int fieldEnd(byte[] value, int pos) {
    long[] at = {pos};
    long tag = varint(value, at);
    if (tag < 0 || (tag & 7) != 2) {
      return value.length;
    }
    long length = varint(value, at);
    if (length < 0 || length > value.length - at[0]) {
      return value.length;
    }
    return (int) (at[0] + length);
  }

  /** The varint at {@code at[0]}, advancing it; -1 when none parses. */
  private static long varint(byte[] b, long[] at) {
    long v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int i = (int) at[0];
      if (i >= b.length) {
        return -1;
      }
      int x = b[i];
      at[0] = i + 1;
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    return -1;
  }
}
