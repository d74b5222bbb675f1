package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyManagement.DecryptResult;
import dev.coffer.kms.SecretBytes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms decrypt}: {@code Decrypt}. Prints the plaintext in base64, as the AWS CLI: the
 * caller asked for it.
 */
@Command(
    name = "decrypt",
    description = "Decrypt a CiphertextBlob made by encrypt. Prints the Plaintext (base64).",
    footer = {
      "",
      "Example:",
      "  coffer kms decrypt --ciphertext-blob fileb://secret.enc --encryption-context app=orders \\",
      "      --query Plaintext --output text | base64 -d"
    })
final class DecryptCommand extends KmsOperation {
  @Option(names = "--ciphertext-blob", required = true, paramLabel = "fileb://PATH|BASE64", description = "The ciphertext.")
  String ciphertextBlob;

  @Option(names = "--key-id", description = "The key that must have made the blob (optional: the blob names its key).")
  String keyId;

  @Option(
      names = "--encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "The encryption context the blob was made with.")
  String encryptionContext;

  @Override
  JsonNode run(CliContext context) {
    byte[] blob = ParamFiles.blob("--ciphertext-blob", ciphertextBlob);
    DecryptResult result =
        keys(context).decryptBlob(blob, KmsArgs.context("--encryption-context", encryptionContext), keyId);
    try (SecretBytes plaintext = result.plaintext()) {
      String encoded = plaintext.withBytes(KmsShapes::base64);
      return AwsJson.object()
          .put("KeyId", result.keyArn())
          .put("Plaintext", encoded)
          .put("EncryptionAlgorithm", KmsShapes.SYMMETRIC_DEFAULT);
    }
  }
}
