package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.KeyManagement.DecryptResult;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms re-encrypt}: {@code ReEncrypt}. With {@code --source-key-id} and one encryption
 * context for both sides, this is the provider's {@code ReEncrypt} (the plaintext never leaves the
 * provider; needs {@code kms:ReEncryptFrom} and {@code kms:ReEncryptTo}). Otherwise — the contexts
 * differ, or the source key is not named — the provider's SPI cannot do it in one call, so it is a
 * {@code Decrypt} then an {@code Encrypt} (needs {@code kms:Decrypt} on the source and {@code
 * kms:Encrypt} on the destination; the plaintext passes through this process and is wiped).
 */
@Command(
    name = "re-encrypt",
    description = "Re-encrypt a CiphertextBlob under another (or the rotated) master key.",
    footer = {
      "",
      "Examples:",
      "  coffer kms re-encrypt --ciphertext-blob fileb://secret.enc \\",
      "      --source-key-id alias/orders \\",
      "      --destination-key-id alias/orders-2025 \\",
      "      --source-encryption-context app=orders \\",
      "      --destination-encryption-context app=orders",
      "",
      "With --source-key-id and equal contexts the provider re-encrypts in one call",
      "(kms:ReEncryptFrom/To).",
      "Otherwise coffer decrypts then encrypts (kms:Decrypt on the source,",
      "kms:Encrypt on the destination)."
    })
final class ReEncryptCommand extends KmsOperation {
  @Option(
      names = "--ciphertext-blob",
      required = true,
      paramLabel = "fileb://PATH|BASE64",
      description = "The ciphertext.")
  String ciphertextBlob;

  @Option(names = "--source-key-id", description = "The key that made the blob.")
  String sourceKeyId;

  @Option(
      names = "--source-encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "The blob's encryption context.")
  String sourceEncryptionContext;

  @Option(
      names = "--destination-key-id",
      required = true,
      description = "The key to re-encrypt under.")
  String destinationKeyId;

  @Option(
      names = "--destination-encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "The new blob's encryption context (default: none, as in KMS).")
  String destinationEncryptionContext;

  @Override
  JsonNode run(CliContext context) {
    byte[] blob = ParamFiles.blob("--ciphertext-blob", ciphertextBlob);
    EncryptionContext source =
        KmsArgs.context("--source-encryption-context", sourceEncryptionContext);
    EncryptionContext destination =
        KmsArgs.context("--destination-encryption-context", destinationEncryptionContext);
    if (sourceKeyId != null && source.equals(destination)) {
      return inProvider(context.keyProvider(), blob, source);
    }
    return throughThisProcess(keys(context), blob, source, destination);
  }

  private JsonNode inProvider(KeyProvider provider, byte[] blob, EncryptionContext ctx) {
    WrappedKey out = provider.reEncrypt(WrappedKey.of(sourceKeyId, blob), ctx, destinationKeyId);
    return response(out, KmsArgs.keyArn(provider, sourceKeyId));
  }

  private JsonNode throughThisProcess(
      KeyManagement keys, byte[] blob, EncryptionContext source, EncryptionContext destination) {
    DecryptResult opened = keys.decryptBlob(blob, source, sourceKeyId);
    try (SecretBytes plaintext = opened.plaintext()) {
      WrappedKey out =
          plaintext.withBytes(b -> keys.encryptBytes(destinationKeyId, b, destination));
      return response(out, opened.keyArn());
    }
  }

  private static JsonNode response(WrappedKey out, String sourceArn) {
    return AwsJson.object()
        .put("CiphertextBlob", KmsShapes.base64(out.ciphertextBlob()))
        .put("SourceKeyId", sourceArn)
        .put("KeyId", out.keyId())
        .put("SourceEncryptionAlgorithm", KmsShapes.SYMMETRIC_DEFAULT)
        .put("DestinationEncryptionAlgorithm", KmsShapes.SYMMETRIC_DEFAULT);
  }
}
