package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms disable-key-rotation}: {@code DisableKeyRotation}. Prints nothing. */
@Command(
    name = "disable-key-rotation",
    description = "Turn off automatic rotation of a master key. Prints nothing.",
    footer = {"", "Example:", "  coffer kms disable-key-rotation --key-id alias/orders"})
final class DisableKeyRotationCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).disableKeyRotation(keyId);
    return null;
  }
}
