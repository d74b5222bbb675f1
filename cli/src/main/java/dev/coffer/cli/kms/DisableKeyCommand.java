package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms disable-key}: {@code DisableKey}. Prints nothing. */
@Command(
    name = "disable-key",
    description =
        "Disable a master key: it can no longer encrypt or decrypt until enabled. Prints nothing.",
    footer = {"", "Example:", "  coffer kms disable-key --key-id alias/orders"})
final class DisableKeyCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).disableKey(keyId);
    return null;
  }
}
