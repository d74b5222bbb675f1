package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms generate-data-key}: {@code GenerateDataKey}. The one command that prints a key
 * in plaintext (base64), because that is what it is asked for. A 32-byte key is the provider's
 * {@code GenerateDataKey}; other lengths are generated here with {@link SecureRandom} and wrapped
 * with the provider's {@code Encrypt} (so they need {@code kms:Encrypt}).
 */
@Command(
    name = "generate-data-key",
    description = "Generate a data key: prints its Plaintext (base64) and its CiphertextBlob.",
    footer = {
      "",
      "Example:",
      "  coffer kms generate-data-key --key-id alias/orders --key-spec AES_256 \\",
      "      --encryption-context app=orders",
      "",
      "This prints a secret (Plaintext). Use generate-data-key-without-plaintext to",
      "store a key for later.",
      "Without --key-id, the key from --master-key / COFFER_MASTER_KEY is used."
    })
final class GenerateDataKeyCommand extends KmsOperation {
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
    if (length == DataKeySize.AES_256_BYTES) {
      try (DataKey dataKey = context.keyProvider().generateDataKey(key, ctx)) {
        return response(dataKey.wrapped(), dataKey.plaintext());
      }
    }
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    try (SecretBytes plaintext = SecretBytes.wrap(bytes)) {
      WrappedKey wrapped = context.keyProvider().encrypt(key, plaintext, ctx);
      return response(wrapped, plaintext);
    }
  }

  private static JsonNode response(WrappedKey wrapped, SecretBytes plaintext) {
    return AwsJson.object()
        .put("CiphertextBlob", KmsShapes.base64(wrapped.ciphertextBlob()))
        .put("Plaintext", plaintext.withBytes(KmsShapes::base64))
        .put("KeyId", wrapped.keyId());
  }
}
