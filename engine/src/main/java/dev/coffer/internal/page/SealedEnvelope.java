package dev.coffer.internal.page;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * The envelope of a sealed record: a {@code coffer.v1.SealedPage} protobuf message, read and
 * written here without copying its ciphertext. The stored bytes are exactly the protobuf encoding
 *
 * <pre>
 * 0x08 varint(format version = 1)
 * 0x10 varint(key version)
 * 0x1A 0x0C nonce(12)
 * 0x22 varint(n) ciphertext(n - 16) tag(16)
 * </pre>
 *
 * so any protobuf library can parse them. {@link #parse} records where nonce and ciphertext sit in
 * the caller's array instead of copying them. Immutable view; the caller must not change the array.
 */
public final class SealedEnvelope {
  /** The envelope format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** GCM nonce length. */
  public static final int NONCE_BYTES = 12;
  /** GCM tag length. */
  public static final int TAG_BYTES = 16;
  /** The largest ciphertext accepted: a 400 KB item plus generous page overhead. */
  public static final int MAX_CIPHERTEXT_BYTES = 64 << 20;

  private static final int TAG_FORMAT = (1 << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int TAG_KEY_VERSION = (2 << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int TAG_NONCE = (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_CIPHERTEXT = (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final byte[] bytes;
  private final int formatVersion;
  private final int keyVersion;
  private final int nonceOffset;
  private final int ciphertextOffset;
  private final int ciphertextLength;

  private SealedEnvelope(
      byte[] bytes, int formatVersion, int keyVersion, int nonceOffset, int ciphertextOffset, int ciphertextLength) {
    this.bytes = bytes;
    this.formatVersion = formatVersion;
    this.keyVersion = keyVersion;
    this.nonceOffset = nonceOffset;
    this.ciphertextOffset = ciphertextOffset;
    this.ciphertextLength = ciphertextLength;
  }

  /** The number of header bytes before the ciphertext of an envelope. */
  static int headerLength(int keyVersion, int ciphertextLength) {
    return CodedOutputStream.computeUInt32Size(1, FORMAT_VERSION)
        + CodedOutputStream.computeUInt32Size(2, keyVersion)
        + CodedOutputStream.computeTagSize(3)
        + 1
        + NONCE_BYTES
        + CodedOutputStream.computeTagSize(4)
        + CodedOutputStream.computeUInt32SizeNoTag(ciphertextLength);
  }

  /** Writes the header into {@code out} from offset 0; the ciphertext goes right after it. */
  static void writeHeader(byte[] out, int headerLength, int keyVersion, byte[] nonce, int ciphertextLength) {
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(out, 0, headerLength);
      cos.writeUInt32(1, FORMAT_VERSION);
      cos.writeUInt32(2, keyVersion);
      cos.writeByteArray(3, nonce);
      cos.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      cos.writeUInt32NoTag(ciphertextLength);
      cos.flush();
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("envelope header size miscomputed", e);
    }
  }

  /**
   * Parses an envelope.
   *
   * @return the envelope, or null when the bytes are not a well-formed envelope (the caller reports
   *     corruption with the record's location)
   */
  public static SealedEnvelope parse(byte[] bytes) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      int format = -1;
      int keyVersion = -1;
      int nonceOffset = -1;
      int ctOffset = -1;
      int ctLength = -1;
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        } else if (tag == TAG_FORMAT) {
          format = in.readUInt32();
        } else if (tag == TAG_KEY_VERSION) {
          keyVersion = in.readUInt32();
        } else if (tag == TAG_NONCE) {
          if (in.readRawVarint32() != NONCE_BYTES) {
            return null;
          }
          nonceOffset = in.getTotalBytesRead();
          in.skipRawBytes(NONCE_BYTES);
        } else if (tag == TAG_CIPHERTEXT) {
          int length = in.readRawVarint32();
          if (length < TAG_BYTES || length > MAX_CIPHERTEXT_BYTES || length > bytes.length - in.getTotalBytesRead()) {
            return null;
          }
          ctOffset = in.getTotalBytesRead();
          ctLength = length;
          in.skipRawBytes(length);
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (format < 0 || keyVersion < 0 || nonceOffset < 0 || ctOffset < 0) {
        return null;
      }
      return new SealedEnvelope(bytes, format, keyVersion, nonceOffset, ctOffset, ctLength);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public int formatVersion() {
    return formatVersion;
  }

  public int keyVersion() {
    return keyVersion;
  }

  byte[] bytes() {
    return bytes;
  }

  int nonceOffset() {
    return nonceOffset;
  }

  int ciphertextOffset() {
    return ciphertextOffset;
  }

  int ciphertextLength() {
    return ciphertextLength;
  }
}
