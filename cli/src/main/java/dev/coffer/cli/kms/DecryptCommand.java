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
 * {@code coffer kms decrypt}: {@code Decrypt}. Prints the plaintext in base64, as the AWS CLI: the
 * caller asked for it. With a provider that does not manage keys (only the SPI), {@code --key-id}
 * is needed: the SPI decrypts a blob of a named key.
 */
@Command(
    name = "decrypt",
    description = "Decrypt a CiphertextBlob made by encrypt. Prints the Plaintext (base64).",
    footer = {
      "",
      "Example:",
      "  coffer kms decrypt --ciphertext-blob fileb://secret.enc \\",
      "      --encryption-context app=orders \\",
      "      --query Plaintext --output text | base64 -d"
    })
final class DecryptCommand extends KmsOperation {
  @Option(
      names = "--ciphertext-blob",
      required = true,
      paramLabel = "fileb://PATH|BASE64",
      description = "The ciphertext.")
  String ciphertextBlob;

  @Option(
      names = "--key-id",
      description = "The key that must have made the blob (optional: the blob names its key).")
  String keyId;

  @Option(
      names = "--encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "The encryption context the blob was made with.")
  String encryptionContext;

  @Override
  JsonNode run(CliContext context) {
    byte[] blob = ParamFiles.blob("--ciphertext-blob", ciphertextBlob);
    EncryptionContext ctx = KmsArgs.context("--encryption-context", encryptionContext);
    KeyProvider provider = context.keyProvider();
    if (provider instanceof KeyManagement || keyId == null) {
      DecryptResult result = keys(context).decryptBlob(blob, ctx, keyId);
      return response(result.keyArn(), result.plaintext());
    }
    return response(
        KmsArgs.keyArn(provider, keyId), provider.decrypt(WrappedKey.of(keyId, blob), ctx));
  }

  private static JsonNode response(String keyArn, SecretBytes plaintext) {
    try (plaintext) {
      return AwsJson.object()
          .put("KeyId", keyArn)
          .put("Plaintext", plaintext.withBytes(KmsShapes::base64))
          .put("EncryptionAlgorithm", KmsShapes.SYMMETRIC_DEFAULT);
    }
  }
}
