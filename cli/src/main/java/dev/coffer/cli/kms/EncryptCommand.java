package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.input.ParamFiles;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms encrypt}: {@code Encrypt} of up to 4096 bytes under a master key. */
@Command(
    name = "encrypt",
    description =
        "Encrypt up to 4096 bytes under a master key. Prints the CiphertextBlob (base64).",
    footer = {
      "",
      "Examples:",
      "  coffer kms encrypt --key-id alias/orders --plaintext fileb://secret.txt \\",
      "      --encryption-context app=orders --query CiphertextBlob --output text \\",
      "      | base64 -d > secret.enc",
      "",
      "--plaintext takes fileb://PATH (the file's bytes) or base64, as the AWS CLI v2.",
      "Without --key-id, the key from --master-key / COFFER_MASTER_KEY is used."
    })
final class EncryptCommand extends KmsOperation {
  @Option(names = "--key-id", description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(
      names = "--plaintext",
      required = true,
      paramLabel = "fileb://PATH|BASE64",
      description = "The data to encrypt.")
  String plaintext;

  @Option(
      names = "--encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "Encryption context; decrypting needs the same.")
  String encryptionContext;

  @Override
  JsonNode run(CliContext context) {
    try (SecretBytes data = SecretBytes.wrap(ParamFiles.blob("--plaintext", plaintext))) {
      WrappedKey wrapped =
          context
              .keyProvider()
              .encrypt(
                  KmsArgs.keyIdOrDefault(keyId, context, spec),
                  data,
                  KmsArgs.context("--encryption-context", encryptionContext));
      return AwsJson.object()
          .put("CiphertextBlob", KmsShapes.base64(wrapped.ciphertextBlob()))
          .put("KeyId", wrapped.keyId())
          .put("EncryptionAlgorithm", KmsShapes.SYMMETRIC_DEFAULT);
    }
  }
}
