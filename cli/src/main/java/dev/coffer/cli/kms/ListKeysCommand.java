package dev.coffer.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.kms.KeyDescription;
import picocli.CommandLine.Command;

/** {@code coffer kms list-keys}: {@code ListKeys}. */
@Command(
    name = "list-keys",
    description = "List the master keys (deleted ones excluded), oldest first.",
    footer = {
      "",
      "Examples:",
      "  coffer kms list-keys",
      "  coffer kms list-keys --query 'Keys[].KeyId' --output text"
    })
final class ListKeysCommand extends KmsOperation {
  @Override
  JsonNode run(CliContext context) {
    ObjectNode out = AwsJson.object();
    ArrayNode keys = out.putArray("Keys");
    for (KeyDescription d : keys(context).listKeys()) {
      keys.addObject().put("KeyId", d.keyId()).put("KeyArn", d.arn());
    }
    return out;
  }
}
