package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyManagement.AliasEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer kms list-aliases}: {@code ListAliases}. */
@Command(
    name = "list-aliases",
    description = "List aliases, all of them or those of one key.",
    footer = {
      "",
      "Examples:",
      "  coffer kms list-aliases",
      "  coffer kms list-aliases --key-id 1234abcd-12ab-34cd-56ef-1234567890ab"
    })
final class ListAliasesCommand extends KmsOperation {
  @Option(names = "--key-id", description = "Only the aliases of this key (key id or ARN).")
  String keyId;

  @Override
  JsonNode run(CliContext context) {
    ObjectNode out = AwsJson.object();
    ArrayNode aliases = out.putArray("Aliases");
    for (AliasEntry a : keys(context).listAliases(keyId)) {
      aliases
          .addObject()
          .put("AliasName", a.aliasName())
          .put("AliasArn", a.aliasArn())
          .put("TargetKeyId", a.targetKeyId());
    }
    return out;
  }
}
