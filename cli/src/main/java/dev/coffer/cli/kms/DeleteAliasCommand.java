package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms delete-alias}: {@code DeleteAlias}. Prints nothing. */
@Command(
    name = "delete-alias",
    description = "Delete an alias (the key stays). Prints nothing.",
    footer = {"", "Example:", "  coffer kms delete-alias --alias-name alias/orders"})
final class DeleteAliasCommand extends KmsOperation {
  @Option(names = "--alias-name", required = true, description = "The alias, starting with alias/.")
  String aliasName;

  @Override
  JsonNode run(CliContext context) {
    keys(context).deleteAlias(aliasName);
    return null;
  }
}
