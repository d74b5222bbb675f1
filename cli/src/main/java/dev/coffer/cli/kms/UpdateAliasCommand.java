package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms update-alias}: {@code UpdateAlias}. Prints nothing. */
@Command(
    name = "update-alias",
    description = "Point an existing alias at another master key. Prints nothing.",
    footer = {
      "",
      "Example:",
      "  coffer kms update-alias --alias-name alias/orders \\",
      "      --target-key-id 0987dcba-09fe-87dc-65ba-ab0987654321"
    })
final class UpdateAliasCommand extends KmsOperation {
  @Option(names = "--alias-name", required = true, description = "The alias, starting with alias/.")
  String aliasName;

  @Option(
      names = "--target-key-id",
      required = true,
      description = "Key id or key ARN (not an alias).")
  String targetKeyId;

  @Override
  JsonNode run(CliContext context) {
    keys(context).updateAlias(aliasName, targetKeyId);
    return null;
  }
}
