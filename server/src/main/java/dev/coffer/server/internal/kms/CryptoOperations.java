package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.DecryptResult;
import dev.coffer.kms.KeyManagement.ReEncryptResult;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;

/**
 * The cryptographic operations: Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext and GenerateRandom. Plaintext is wiped as soon as it is encoded.
 */
final class CryptoOperations {
  static final int MAX_KEY_ID = 2048;
  static final int MAX_CIPHERTEXT = 6144;

  private CryptoOperations() {}

  static void register(Operations ops) {
    ops.add("Encrypt", CryptoOperations::encrypt);
    ops.add("Decrypt", CryptoOperations::decrypt);
    ops.add("ReEncrypt", CryptoOperations::reEncrypt);
    ops.add("GenerateDataKey", CryptoOperations::generateDataKey);
    ops.add("GenerateDataKeyWithoutPlaintext", CryptoOperations::generateDataKeyWithoutPlaintext);
    ops.add("GenerateRandom", CryptoOperations::generateRandom);
  }

  static ObjectNode encrypt(Request r, Caller c) {
    String keyId = r.requiredString("KeyId", MAX_KEY_ID);
    byte[] plaintext = r.requiredBlob("Plaintext", KeyManagement.MAX_DIRECT_PLAINTEXT_BYTES);
    try {
      EncryptionContext context = r.context("EncryptionContext");
      checkAlgorithm(r, "EncryptionAlgorithm");
      checkNoDryRun(r);
      WrappedKey w = c.keys().encryptBytes(keyId, plaintext, context);
      ObjectNode out = Shapes.object();
      out.put("CiphertextBlob", Shapes.base64(w.ciphertextBlob()));
      out.put("KeyId", w.keyId());
      out.put("EncryptionAlgorithm", Shapes.SYMMETRIC_DEFAULT);
      return out;
    } finally {
      SecretBytes.wipe(plaintext);
    }
  }

  static ObjectNode decrypt(Request r, Caller c) {
    byte[] blob = r.requiredBlob("CiphertextBlob", MAX_CIPHERTEXT);
    EncryptionContext context = r.context("EncryptionContext");
    String keyId = r.string("KeyId");
    checkAlgorithm(r, "EncryptionAlgorithm");
    checkNoDryRun(r);
    if (r.has("Recipient")) {
      throw KmsError.unsupported(
          "Recipient (Nitro Enclaves attestation) is not supported by this endpoint.");
    }
    DecryptResult d = c.keys().decryptBlob(blob, context, keyId);
    try (SecretBytes plaintext = d.plaintext()) {
      ObjectNode out = Shapes.object();
      out.put("KeyId", d.keyArn());
      out.put("Plaintext", plaintext.withBytes(Shapes::base64));
      out.put("EncryptionAlgorithm", Shapes.SYMMETRIC_DEFAULT);
      return out;
    }
  }

  static ObjectNode reEncrypt(Request r, Caller c) {
    byte[] blob = r.requiredBlob("CiphertextBlob", MAX_CIPHERTEXT);
    String destination = r.requiredString("DestinationKeyId", MAX_KEY_ID);
    EncryptionContext source = r.context("SourceEncryptionContext");
    EncryptionContext dest = r.context("DestinationEncryptionContext");
    checkAlgorithm(r, "SourceEncryptionAlgorithm");
    checkAlgorithm(r, "DestinationEncryptionAlgorithm");
    checkNoDryRun(r);
    // As AWS: the destination context may differ from the source's, or be absent (then empty).
    String sourceKeyId = r.string("SourceKeyId");
    ReEncryptResult result = c.keys().reEncryptBlob(blob, source, sourceKeyId, destination, dest);
    WrappedKey out = result.ciphertext();
    ObjectNode o = Shapes.object();
    o.put("CiphertextBlob", Shapes.base64(out.ciphertextBlob()));
    o.put("SourceKeyId", result.sourceKeyArn());
    o.put("KeyId", out.keyId());
    o.put("SourceEncryptionAlgorithm", Shapes.SYMMETRIC_DEFAULT);
    o.put("DestinationEncryptionAlgorithm", Shapes.SYMMETRIC_DEFAULT);
    return o;
  }

  static ObjectNode generateDataKey(Request r, Caller c) {
    String keyId = r.requiredString("KeyId", MAX_KEY_ID);
    int bytes = dataKeyBytes(r);
    EncryptionContext context = r.context("EncryptionContext");
    checkNoDryRun(r);
    if (r.has("Recipient")) {
      throw KmsError.unsupported(
          "Recipient (Nitro Enclaves attestation) is not supported by this endpoint.");
    }
    try (DataKey k = c.keys().generateDataKey(keyId, context, bytes)) {
      ObjectNode out = Shapes.object();
      out.put("CiphertextBlob", Shapes.base64(k.wrapped().ciphertextBlob()));
      out.put("Plaintext", k.plaintext().withBytes(Shapes::base64));
      out.put("KeyId", k.wrapped().keyId());
      return out;
    }
  }

  static ObjectNode generateDataKeyWithoutPlaintext(Request r, Caller c) {
    String keyId = r.requiredString("KeyId", MAX_KEY_ID);
    int bytes = dataKeyBytes(r);
    EncryptionContext context = r.context("EncryptionContext");
    checkNoDryRun(r);
    WrappedKey w = c.keys().generateDataKeyWithoutPlaintext(keyId, context, bytes);
    ObjectNode out = Shapes.object();
    out.put("CiphertextBlob", Shapes.base64(w.ciphertextBlob()));
    out.put("KeyId", w.keyId());
    return out;
  }

  /**
   * The data key's length: {@code KeySpec} AES_256 (32 bytes) or AES_128 (16), or {@code
   * NumberOfBytes} 1 to 1024; exactly one of them, as AWS.
   */
  private static int dataKeyBytes(Request r) {
    String spec = r.string("KeySpec");
    Integer bytes = r.integer("NumberOfBytes", 1, KeyManagement.MAX_GENERATED_BYTES);
    if (spec == null && bytes == null) {
      throw KmsError.validation("Please specify either number of bytes or key spec.");
    }
    if (spec != null && bytes != null) {
      throw KmsError.validation("Please specify either number of bytes or key spec, not both.");
    }
    if (spec == null) {
      return bytes;
    }
    return switch (spec) {
      case "AES_256" -> 32;
      case "AES_128" -> 16;
      default ->
          throw KmsError.validation(
              "1 validation error detected: Value '"
                  + spec
                  + "' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]");
    };
  }

  /** {@code GenerateRandom}: NumberOfBytes 1 to 1024; no key, the account's permission. */
  static ObjectNode generateRandom(Request r, Caller c) {
    Integer bytes = r.integer("NumberOfBytes", 1, KeyManagement.MAX_GENERATED_BYTES);
    if (r.has("CustomKeyStoreId")) {
      throw KmsError.unsupported("Custom key stores are not supported by this endpoint.");
    }
    if (r.has("Recipient")) {
      throw KmsError.unsupported(
          "Recipient (Nitro Enclaves attestation) is not supported by this endpoint.");
    }
    if (bytes == null) {
      throw KmsError.validation(
          "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy"
              + " constraint: Member must not be null");
    }
    try (SecretBytes random = c.keys().generateRandom(bytes)) {
      ObjectNode out = Shapes.object();
      out.put("Plaintext", random.withBytes(Shapes::base64));
      return out;
    }
  }

  private static void checkAlgorithm(Request r, String member) {
    String a = r.string(member);
    if (a != null && !a.equals(Shapes.SYMMETRIC_DEFAULT)) {
      throw new KmsError(
          "InvalidKeyUsageException",
          "The encryption algorithm "
              + a
              + " is not supported by symmetric keys; use SYMMETRIC_DEFAULT.",
          400);
    }
  }

  private static void checkNoDryRun(Request r) {
    if (Boolean.TRUE.equals(r.bool("DryRun"))) {
      throw KmsError.unsupported("DryRun is not supported by this endpoint.");
    }
  }
}
