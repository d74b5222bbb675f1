package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer kms cancel-key-deletion}: {@code CancelKeyDeletion}; the key returns Disabled, as
 * in KMS.
 */
@Command(
    name = "cancel-key-deletion",
    description =
        "Cancel a scheduled deletion. The key is then Disabled: enable-key makes it usable again.",
    footer = {
      "",
      "Example:",
      "  coffer kms cancel-key-deletion --key-id alias/orders",
      "  coffer kms enable-key --key-id alias/orders"
    })
final class CancelKeyDeletionCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).cancelKeyDeletion(keyId);
    return AwsJson.object().put("KeyId", context.keyProvider().describeKey(keyId).arn());
  }
}
