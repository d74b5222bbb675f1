package dev.coffer.kms.internal;

import static dev.coffer.kms.internal.Authorizer.authorize;
import static dev.coffer.kms.internal.Authorizer.requireEnabled;

import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.InvalidCiphertextException;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.DecryptResult;
import dev.coffer.kms.KeyManagement.ReEncryptResult;
import dev.coffer.kms.KmsValidationException;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.kms.internal.RingAudit.Facts;
import dev.coffer.proto.LocalCiphertext;
import dev.coffer.proto.MasterKey;
import dev.coffer.proto.MasterKeyState;
import dev.coffer.proto.MasterKeyVersion;
import javax.crypto.AEADBadTagException;

/**
 * The cryptographic operations of a key ring: GenerateDataKey (with and without plaintext),
 * Encrypt, Decrypt and ReEncrypt, each checked against the key's policy and state and audited.
 * Blobs are {@link LocalCiphertexts}; every temporary copy of key material or plaintext is wiped.
 * Thread-safe.
 */
final class KeyCrypto {
  private final RingState state;

  KeyCrypto(RingState state) {
    this.state = state;
  }

  /** {@code NumberOfBytes} must be 1 to 1024, as AWS KMS's. */
  static void checkNumberOfBytes(int numberOfBytes, String keyRef, String action) {
    if (numberOfBytes < 1 || numberOfBytes > KeyManagement.MAX_GENERATED_BYTES) {
      throw new KmsValidationException(
          "1 validation error detected: Value '"
              + numberOfBytes
              + "' at 'numberOfBytes' failed to satisfy constraint: Member must have value "
              + (numberOfBytes < 1
                  ? "greater than or equal to 1"
                  : "less than or equal to " + KeyManagement.MAX_GENERATED_BYTES),
          keyRef,
          action);
    }
  }

  DataKey generateDataKey(
      Actor actor, String keyRef, EncryptionContext context, int numberOfBytes) {
    String action = "kms:GenerateDataKey";
    checkNumberOfBytes(numberOfBytes, keyRef, action);
    return state.call(
        actor.principal(),
        action,
        keyRef,
        context,
        (s, f) -> {
          MasterKey key = usableKey(s, f, actor, action, keyRef);
          MasterKeyVersion v = current(key);
          f.version = v.getVersion();
          byte[] plaintext = AesGcm.randomBytes(numberOfBytes);
          byte[] blob = seal(key, v, plaintext, context);
          return new DataKey(
              SecretBytes.wrap(plaintext),
              WrappedKey.of(s.keyArn(actor, key.getKeyId()), blob),
              v.getVersion());
        });
  }

  WrappedKey generateDataKeyWithoutPlaintext(
      Actor actor, String keyRef, EncryptionContext context, int bytes) {
    String action = "kms:GenerateDataKeyWithoutPlaintext";
    checkNumberOfBytes(bytes, keyRef, action);
    return state.call(
        actor.principal(),
        action,
        keyRef,
        context,
        (s, f) -> {
          MasterKey key = usableKey(s, f, actor, action, keyRef);
          MasterKeyVersion v = current(key);
          f.version = v.getVersion();
          byte[] plaintext = AesGcm.randomBytes(bytes);
          try {
            return WrappedKey.of(s.keyArn(actor, key.getKeyId()), seal(key, v, plaintext, context));
          } finally {
            SecretBytes.wipe(plaintext);
          }
        });
  }

  WrappedKey encrypt(Actor actor, String keyRef, byte[] plaintext, EncryptionContext context) {
    String action = "kms:Encrypt";
    return state.call(
        actor.principal(),
        action,
        keyRef,
        context,
        (s, f) -> {
          if (plaintext.length < 1 || plaintext.length > KeyManagement.MAX_DIRECT_PLAINTEXT_BYTES) {
            throw new KmsValidationException(
                "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
                    + "Member must have length between 1 and "
                    + KeyManagement.MAX_DIRECT_PLAINTEXT_BYTES,
                keyRef,
                action);
          }
          MasterKey key = usableKey(s, f, actor, action, keyRef);
          MasterKeyVersion v = current(key);
          f.version = v.getVersion();
          return WrappedKey.of(s.keyArn(actor, key.getKeyId()), seal(key, v, plaintext, context));
        });
  }

  /** {@code Decrypt}. {@code keyRef} may be null; when given it must name the blob's key. */
  DecryptResult decrypt(Actor actor, byte[] blob, EncryptionContext context, String keyRef) {
    return state.call(
        actor.principal(),
        "kms:Decrypt",
        keyRef,
        context,
        (s, f) -> {
          Opened o = open(s, f, actor, "kms:Decrypt", blob, context, keyRef);
          return new DecryptResult(
              s.keyArn(actor, o.key.getKeyId()), o.version, SecretBytes.wrap(o.plaintext));
        });
  }

  /**
   * {@code ReEncrypt}: opens {@code blob} under {@code sourceContext} ({@code kms:ReEncryptFrom} on
   * its key) and seals its plaintext under the current version of {@code destinationKeyRef} with
   * {@code destinationContext} ({@code kms:ReEncryptTo}); the plaintext never leaves the ring.
   */
  ReEncryptResult reEncrypt(
      Actor actor,
      byte[] blob,
      EncryptionContext sourceContext,
      String sourceKeyRef,
      String destinationKeyRef,
      EncryptionContext destinationContext) {
    return state.call(
        actor.principal(),
        "kms:ReEncrypt",
        destinationKeyRef,
        sourceContext,
        (s, f) -> {
          Opened o = open(s, f, actor, "kms:ReEncryptFrom", blob, sourceContext, sourceKeyRef);
          try {
            MasterKey dest = s.resolve(actor, destinationKeyRef);
            f.keyId = s.keyArn(actor, dest.getKeyId());
            authorize(s, actor, dest, "kms:ReEncryptTo");
            requireEnabled(s, actor, dest, "kms:ReEncryptTo");
            MasterKeyVersion v = current(dest);
            f.version = v.getVersion();
            byte[] out = seal(dest, v, o.plaintext, destinationContext);
            return new ReEncryptResult(
                s.keyArn(actor, o.key.getKeyId()),
                o.version,
                WrappedKey.of(s.keyArn(actor, dest.getKeyId()), out));
          } finally {
            SecretBytes.wipe(o.plaintext);
          }
        });
  }

  private Opened open(
      Snapshot s,
      Facts f,
      Actor actor,
      String action,
      byte[] blob,
      EncryptionContext context,
      String keyRef) {
    LocalCiphertext c = LocalCiphertexts.parse(blob);
    MasterKey key = c == null ? null : s.byId.get(c.getKeyId());
    if (key == null) {
      // Not a blob of this format, or never a key here: a damaged blob, or one from another
      // keystore.
      throw new InvalidCiphertextException(
          "The ciphertext is not a valid ciphertext blob of this provider.", keyRef, action);
    }
    String arn = s.keyArn(actor, key.getKeyId());
    if (key.getState() == MasterKeyState.MASTER_KEY_STATE_DELETED) {
      throw new NotFoundException("Key '" + arn + "' does not exist", arn, action);
    }
    f.keyId = arn;
    f.version = c.getKeyVersion();
    if (keyRef != null && !s.resolve(actor, keyRef).getKeyId().equals(key.getKeyId())) {
      throw new IncorrectKeyException(
          "The key ID in the request does not identify a CMK that can perform this operation.",
          keyRef,
          action);
    }
    authorize(s, actor, key, action);
    requireEnabled(s, actor, key, action);
    if (c.getKeyVersion() > key.getVersionsCount()) {
      throw new InvalidCiphertextException(
          "The ciphertext refers to an unknown key version.", arn, action);
    }
    MasterKeyVersion v = key.getVersions(c.getKeyVersion() - 1);
    byte[] material = v.getMaterial().toByteArray();
    try {
      return new Opened(key, c.getKeyVersion(), LocalCiphertexts.open(c, material, context));
    } catch (AEADBadTagException e) {
      throw new InvalidCiphertextException(
          "The ciphertext is invalid or the encryption context does not match.", arn, action);
    } finally {
      SecretBytes.wipe(material);
    }
  }

  /**
   * A blob opened: its key, the version that sealed it, and the plaintext (the caller wipes it).
   */
  private record Opened(MasterKey key, int version, byte[] plaintext) {}

  /**
   * Resolves a key for a cryptographic {@code action}: the principal must be allowed, the key
   * Enabled.
   */
  private static MasterKey usableKey(
      Snapshot s, Facts f, Actor actor, String action, String keyRef) {
    MasterKey key = s.resolve(actor, keyRef);
    f.keyId = s.keyArn(actor, key.getKeyId());
    authorize(s, actor, key, action);
    requireEnabled(s, actor, key, action);
    return key;
  }

  private static MasterKeyVersion current(MasterKey key) {
    return key.getVersions(key.getVersionsCount() - 1);
  }

  /** Seals under version {@code v} of {@code key}; the temporary copy of its material is wiped. */
  private static byte[] seal(
      MasterKey key, MasterKeyVersion v, byte[] plaintext, EncryptionContext context) {
    byte[] material = v.getMaterial().toByteArray();
    try {
      return LocalCiphertexts.seal(key.getKeyId(), v.getVersion(), material, plaintext, context);
    } finally {
      SecretBytes.wipe(material);
    }
  }
}
