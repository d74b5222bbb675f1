package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms enable-key}: {@code EnableKey}. Prints nothing. */
@Command(
    name = "enable-key",
    description = "Enable a disabled master key. Prints nothing.",
    footer = {"", "Example:", "  coffer kms enable-key --key-id alias/orders"})
final class EnableKeyCommand extends KmsOperation {
  @Option(
      names = "--key-id",
      required = true,
      description = "Key id, key ARN, alias name or alias ARN.")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).enableKey(keyId);
    return null;
  }
}
