package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms describe-key}: {@code DescribeKey}. Works with any key provider. */
@Command(
    name = "describe-key",
    description = "Show a master key's metadata.",
    footer = {
      "",
      "Examples:",
      "  coffer kms describe-key --key-id alias/orders",
      "  coffer kms describe-key --key-id alias/orders --query KeyMetadata.KeyState \\",
      "      --output text"
    })
final class DescribeKeyCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    return KmsShapes.keyMetadataResponse(context.keyProvider().describeKey(keyId));
  }
}
