package dev.coffer.example.signup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * Envelope encryption of one sensitive profile field with KMS, the way the KMS developer guide
 * describes it: {@code GenerateDataKey} gives a fresh AES-256 data key in plaintext and wrapped
 * under the application's KMS key; the field is sealed locally with AES-GCM under the plaintext
 * key, which is then wiped; only the wrapped key and the ciphertext are stored. Reading it back
 * takes a {@code Decrypt} of the wrapped key, which KMS allows only to principals its key policy
 * lets use the key, and only under the same encryption context.
 *
 * <p>The encryption context names the application, the user and the field ({@code {"app":
 * "signup-login", "user": "<email>", "field": "phone"}}): KMS binds the wrapped key to it (a
 * wrapped key copied to another user's item does not decrypt) and records it in its audit trail.
 * The same names are the AES-GCM associated data, so the ciphertext is bound to its place too.
 *
 * <p>Thread-safe (the {@link KmsClient} is).
 */
public final class FieldEnvelope {
  /**
   * A sealed field: the data key as KMS wrapped it, and nonce (12 bytes) + AES-GCM ciphertext and
   * tag.
   */
  public record Sealed(byte[] wrappedKey, byte[] ciphertext) {}

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KmsClient kms;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param kms the client for the application's KMS key
   * @param keyId the key's id, ARN or alias ({@code alias/signup-login})
   */
  public FieldEnvelope(KmsClient kms, String keyId) {
    this.kms = kms;
    this.keyId = keyId;
  }

  /** The KMS encryption context of {@code field} of {@code user}. */
  public static Map<String, String> context(String user, String field) {
    return Map.of("app", "signup-login", "user", user, "field", field);
  }

  /**
   * Seals {@code value} under a new data key.
   *
   * @throws software.amazon.awssdk.services.kms.model.KmsException when KMS refuses (e.g. {@code
   *     AccessDeniedException} for a principal the key policy does not let use the key)
   */
  public Sealed seal(String user, String field, String value) {
    GenerateDataKeyResponse dataKey =
        kms.generateDataKey(
            b ->
                b.keyId(keyId)
                    .keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context(user, field)));
    byte[] key = dataKey.plaintext().asByteArray();
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(associatedData(user, field));
      byte[] sealed = gcm.doFinal(value.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return new Sealed(dataKey.ciphertextBlob().asByteArray(), out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Opens a field sealed by {@link #seal} for the same user and field.
   *
   * @throws software.amazon.awssdk.services.kms.model.KmsException when KMS refuses the data key
   *     ({@code InvalidCiphertextException} under another context, {@code AccessDeniedException},
   *     ...)
   * @throws IllegalArgumentException when the ciphertext was altered
   */
  public String open(String user, String field, Sealed sealed) {
    byte[] key =
        kms.decrypt(
                b ->
                    b.keyId(keyId)
                        .ciphertextBlob(SdkBytes.fromByteArray(sealed.wrappedKey()))
                        .encryptionContext(context(user, field)))
            .plaintext()
            .asByteArray();
    try {
      byte[] in = sealed.ciphertext();
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new IllegalArgumentException("the sealed " + field + " is too short");
      }
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      gcm.updateAAD(associatedData(user, field));
      return new String(
          gcm.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException(
          "the sealed " + field + " of " + user + " does not authenticate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] associatedData(String user, String field) {
    return ("signup-login\0" + user + "\0" + field).getBytes(StandardCharsets.UTF_8);
  }
}
