package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms generate-data-key-without-plaintext}: {@code GenerateDataKeyWithoutPlaintext}.
 * Prints only the wrapped key. Lengths other than 32 bytes are generated here and wrapped with
 * {@code Encrypt}, as for {@code generate-data-key}.
 */
@Command(
    name = "generate-data-key-without-plaintext",
    description = "Generate a data key and print only its CiphertextBlob.",
    footer = {
      "",
      "Example:",
      "  coffer kms generate-data-key-without-plaintext --key-id alias/orders \\",
      "      --key-spec AES_256 \\",
      "      --encryption-context app=orders --query CiphertextBlob --output text \\",
      "      | base64 -d > data.key.enc"
    })
final class GenerateDataKeyWithoutPlaintextCommand extends KmsOperation {
  @Option(names = "--key-id", description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Option(
      names = "--key-spec",
      paramLabel = "AES_256|AES_128",
      description = "Length of the key: AES_256 (32 bytes) or AES_128.")
  String keySpec;

  @Option(
      names = "--number-of-bytes",
      paramLabel = "1..1024",
      description = "Length of the key in bytes, instead of --key-spec.")
  Integer numberOfBytes;

  @Option(
      names = "--encryption-context",
      paramLabel = "k=v,k2=v2|JSON",
      description = "Encryption context of the wrapped key.")
  String encryptionContext;

  @Override
  JsonNode run(CliContext context) {
    int length = DataKeySize.bytes(keySpec, numberOfBytes, spec);
    String key = KmsArgs.keyIdOrDefault(keyId, context, spec);
    EncryptionContext ctx = KmsArgs.context("--encryption-context", encryptionContext);
    WrappedKey wrapped;
    if (length == DataKeySize.AES_256_BYTES) {
      wrapped = keys(context).generateDataKeyWithoutPlaintext(key, ctx);
    } else {
      byte[] bytes = new byte[length];
      new SecureRandom().nextBytes(bytes);
      try (SecretBytes plaintext = SecretBytes.wrap(bytes)) {
        wrapped = context.keyProvider().encrypt(key, plaintext, ctx);
      }
    }
    return AwsJson.object()
        .put("CiphertextBlob", KmsShapes.base64(wrapped.ciphertextBlob()))
        .put("KeyId", wrapped.keyId());
  }
}
