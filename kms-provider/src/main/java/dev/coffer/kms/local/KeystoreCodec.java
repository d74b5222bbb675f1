package dev.coffer.kms.local;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.kms.InvalidKeystoreException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.internal.AesGcm;
import dev.coffer.proto.KeystoreContents;
import dev.coffer.proto.KeystoreHeader;
import java.io.IOException;
import java.nio.file.Path;
import javax.crypto.AEADBadTagException;

/**
 * The keystore file format, version 2 (written) and 1 (still read) ({@code
 * proto/src/main/proto/coffer/keystore.proto}):
 *
 * <pre>
 *   file   = KeystoreFile { 1: header (bytes of a KeystoreHeader), 2: sealed_contents }
 *   header = KeystoreHeader { 1: format_version = 2, 2: argon2id params | 3: raw_key_label,
 *                             4: nonce (12 random bytes, fresh per write),
 *                             5: write_salt (32 random bytes, fresh per write) }
 *   contents key    = HKDF-SHA256(keystore key, salt = write_salt, info = "coffer-keystore-contents-v2")
 *                     (format 1: the keystore key itself; it has no write_salt)
 *   sealed_contents = AES-256-GCM(contents key, nonce, KeystoreContents, aad = header bytes)
 *                     (ciphertext || 16-byte tag)
 * </pre>
 *
 * Every write is thus sealed under a key of its own, and no nonce repeats under one key however
 * many writes a keystore sees. The contents carry the keystore's generation, so it is authenticated
 * with them.
 *
 * <p>The associated data is the header's bytes exactly as they stand in the file (read back raw,
 * not re-serialized), so any change to the header, including the Argon2id costs and salt, fails the
 * tag. Every length is checked; a failure is an {@link InvalidKeystoreException} naming the file.
 * Stateless and thread-safe.
 */
final class KeystoreCodec {
  static final int FORMAT_VERSION = 2;

  /** The first format, sealed under the keystore key; read, never written. */
  static final int FORMAT_VERSION_1 = 1;

  /** The version of {@code KeystoreContents} inside both formats. */
  static final int CONTENTS_VERSION = 1;

  /** Largest keystore file accepted. */
  static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  /** Field 1, wire type 2 (length-delimited): {@code (1 << 3) | 2}. */
  private static final int HEADER_TAG = 0x0a;

  /** Field 2, wire type 2: {@code (2 << 3) | 2}. */
  private static final int SEALED_TAG = 0x12;

  private KeystoreCodec() {}

  /** A file split into its header (raw and parsed) and sealed contents. */
  record Parsed(byte[] headerBytes, KeystoreHeader header, byte[] sealed) {}

  /**
   * Seals {@code contents} under {@code key} with {@code header} (which carries a fresh nonce and,
   * in format 2, a fresh write salt).
   */
  static byte[] encode(KeystoreHeader header, SecretBytes key, KeystoreContents contents) {
    byte[] plaintext = contents.toByteArray();
    try {
      return seal(header, key, plaintext);
    } finally {
      SecretBytes.wipe(plaintext);
    }
  }

  /**
   * Seals {@code plaintext}, the bytes of a {@code KeystoreContents}, under {@code key} with {@code
   * header} into a file's bytes. Does not wipe {@code plaintext}.
   */
  static byte[] seal(KeystoreHeader header, SecretBytes key, byte[] plaintext) {
    byte[] headerBytes = header.toByteArray();
    byte[] contentsKey = contentsKey(header, key);
    try {
      byte[] sealed =
          AesGcm.seal(contentsKey, header.getNonce().toByteArray(), plaintext, headerBytes);
      byte[] out =
          new byte
              [CodedOutputStream.computeByteArraySize(1, headerBytes)
                  + CodedOutputStream.computeByteArraySize(2, sealed)];
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeByteArray(1, headerBytes);
      cos.writeByteArray(2, sealed);
      cos.checkNoSpaceLeft();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("keystore encoding overflowed its buffer", e);
    } finally {
      SecretBytes.wipe(contentsKey);
    }
  }

  /** The key {@code header}'s contents are sealed under; the caller wipes it. */
  private static byte[] contentsKey(KeystoreHeader header, SecretBytes key) {
    if (header.getFormatVersion() == FORMAT_VERSION_1) {
      return key.copyBytes();
    }
    return KeystoreKeys.derive(
        key, header.getWriteSalt().toByteArray(), KeystoreKeys.CONTENTS_INFO);
  }

  /** Splits and checks a file's bytes; does not decrypt. */
  static Parsed decode(Path file, byte[] bytes) {
    if (bytes.length == 0) {
      throw new InvalidKeystoreException(
          "Keystore "
              + file
              + " is empty (0 bytes): it is damaged, truncated or not a"
              + " Coffer keystore.");
    }
    byte[] headerBytes = null;
    byte[] sealed = null;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == HEADER_TAG && headerBytes == null) {
          headerBytes = in.readByteArray();
        } else if (tag == SEALED_TAG && sealed == null) {
          sealed = in.readByteArray();
        } else {
          throw damaged(file);
        }
      }
      if (headerBytes == null || sealed == null || sealed.length < AesGcm.TAG_BYTES) {
        throw damaged(file);
      }
      KeystoreHeader header = KeystoreHeader.parseFrom(headerBytes);
      if (header.getFormatVersion() != FORMAT_VERSION
          && header.getFormatVersion() != FORMAT_VERSION_1) {
        throw new InvalidKeystoreException(
            "Keystore "
                + file
                + " has format version "
                + Integer.toUnsignedString(header.getFormatVersion())
                + ", which this version of Coffer cannot read.");
      }
      boolean sourceOk =
          switch (header.getKeySourceCase()) {
            case ARGON2ID -> Argon2id.acceptable(header.getArgon2Id());
            case RAW_KEY_LABEL -> header.getRawKeyLabel().size() == 16;
            default -> false;
          };
      int saltBytes =
          header.getFormatVersion() == FORMAT_VERSION_1 ? 0 : KeystoreKeys.WRITE_SALT_BYTES;
      if (!sourceOk
          || header.getNonce().size() != AesGcm.NONCE_BYTES
          || header.getWriteSalt().size() != saltBytes
          || !header.getUnknownFields().asMap().isEmpty()) {
        throw damaged(file);
      }
      return new Parsed(headerBytes, header, sealed);
    } catch (InvalidProtocolBufferException e) {
      throw damaged(file);
    } catch (IOException e) {
      throw damaged(file);
    }
  }

  /** Decrypts the contents of a parsed file with {@code key}. */
  static KeystoreContents open(Path file, Parsed parsed, SecretBytes key) {
    byte[] contentsKey = contentsKey(parsed.header(), key);
    byte[] plaintext;
    try {
      plaintext =
          AesGcm.open(
              contentsKey,
              parsed.header().getNonce().toByteArray(),
              parsed.sealed(),
              parsed.headerBytes());
    } catch (AEADBadTagException e) {
      plaintext = null;
    } finally {
      SecretBytes.wipe(contentsKey);
    }
    if (plaintext == null) {
      throw new InvalidKeystoreException(
          "Cannot open keystore "
              + file
              + ": the passphrase or key is wrong, or the file was modified.");
    }
    try {
      KeystoreContents contents = KeystoreContents.parseFrom(plaintext);
      if (contents.getFormatVersion() != CONTENTS_VERSION) {
        throw new InvalidKeystoreException(
            "Keystore "
                + file
                + " holds contents of format version "
                + Integer.toUnsignedString(contents.getFormatVersion())
                + ", which this version of Coffer cannot read.");
      }
      return contents;
    } catch (InvalidProtocolBufferException e) {
      throw damaged(file);
    } finally {
      SecretBytes.wipe(plaintext);
    }
  }

  static InvalidKeystoreException damaged(Path file) {
    return new InvalidKeystoreException(
        "Keystore " + file + " is damaged, truncated or not a Coffer keystore.");
  }
}
