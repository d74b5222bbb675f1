package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms create-alias}: {@code CreateAlias}. Prints nothing. */
@Command(
    name = "create-alias",
    description = "Give a master key a friendly name (alias/NAME). Prints nothing.",
    footer = {
      "",
      "Example:",
      "  coffer kms create-alias --alias-name alias/orders \\",
      "      --target-key-id 1234abcd-12ab-34cd-56ef-1234567890ab"
    })
final class CreateAliasCommand extends KmsOperation {
  @Option(names = "--alias-name", required = true, description = "The alias, starting with alias/.")
  String aliasName;

  @Option(
      names = "--target-key-id",
      required = true,
      description = "Key id or key ARN (not an alias).")
  String targetKeyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).createAlias(aliasName, targetKeyId);
    return null;
  }
}
