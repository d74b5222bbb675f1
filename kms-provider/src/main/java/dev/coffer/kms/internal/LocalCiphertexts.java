package dev.coffer.kms.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.proto.LocalCiphertext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;

/**
 * The ciphertext blobs of the local and in-memory providers: a {@link LocalCiphertext} message,
 * AES-256-GCM under one master key version with a random nonce. The associated data is
 *
 * <pre>
 *   "coffer-kms-blob-v1" || u32 len(keyId) || keyId (UTF-8) || u32 keyVersion || context.canonicalBytes()
 * </pre>
 *
 * so a blob opens only with its own key, version and encryption context.
 */
public final class LocalCiphertexts {
  public static final int FORMAT_VERSION = 1;
  private static final byte[] LABEL = "coffer-kms-blob-v1".getBytes(StandardCharsets.UTF_8);

  /** Largest blob accepted: the 4096-byte plaintext limit plus generous overhead. */
  private static final int MAX_BLOB_BYTES = 6144;

  private LocalCiphertexts() {}

  /**
   * Seals {@code plaintext} under {@code material} (version {@code keyVersion} of {@code keyId}).
   */
  public static byte[] seal(
      String keyId, int keyVersion, byte[] material, byte[] plaintext, EncryptionContext context) {
    byte[] nonce = AesGcm.newNonce();
    byte[] ct = AesGcm.seal(material, nonce, plaintext, associatedData(keyId, keyVersion, context));
    return LocalCiphertext.newBuilder()
        .setFormatVersion(FORMAT_VERSION)
        .setKeyId(keyId)
        .setKeyVersion(keyVersion)
        .setNonce(ByteString.copyFrom(nonce))
        .setCiphertext(ByteString.copyFrom(ct))
        .build()
        .toByteArray();
  }

  /** Parses a blob; null when it is not a well-formed blob of this format. */
  public static LocalCiphertext parse(byte[] blob) {
    if (blob == null || blob.length == 0 || blob.length > MAX_BLOB_BYTES) {
      return null;
    }
    try {
      LocalCiphertext c = LocalCiphertext.parseFrom(blob);
      if (c.getFormatVersion() != FORMAT_VERSION
          || c.getKeyId().isEmpty()
          || c.getKeyVersion() < 1
          || c.getNonce().size() != AesGcm.NONCE_BYTES
          || c.getCiphertext().size() < AesGcm.TAG_BYTES) {
        return null;
      }
      return c;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Opens a parsed blob with its key version's material. */
  public static byte[] open(LocalCiphertext blob, byte[] material, EncryptionContext context)
      throws AEADBadTagException {
    return AesGcm.open(
        material,
        blob.getNonce().toByteArray(),
        blob.getCiphertext().toByteArray(),
        associatedData(blob.getKeyId(), blob.getKeyVersion(), context));
  }

  static byte[] associatedData(String keyId, int keyVersion, EncryptionContext context) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    out.write(LABEL, 0, LABEL.length);
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    writeInt(out, id.length);
    out.write(id, 0, id.length);
    writeInt(out, keyVersion);
    byte[] ctx = context.canonicalBytes();
    out.write(ctx, 0, ctx.length);
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
