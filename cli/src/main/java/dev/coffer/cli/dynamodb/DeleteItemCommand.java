package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer dynamodb delete-item}: {@code DeleteItem}; deleting a missing item succeeds. */
@Command(
    name = "delete-item",
    description = {
      "Delete one item by its primary key. Prints nothing unless --return-values ALL_OLD.",
      "Condition expressions are not supported."
    },
    footer = {
      "",
      "Example:",
      "  coffer dynamodb delete-item --table-name Music \\",
      "      --key '{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}}' \\",
      "      --return-values ALL_OLD"
    })
final class DeleteItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(names = "--key", required = true, paramLabel = "JSON|file://PATH",
      description = "The primary key in DynamoDB JSON.")
  String key;

  @Option(names = "--return-values", paramLabel = "NONE|ALL_OLD", description = "ALL_OLD prints the deleted item.")
  String returnValues;

  @Override
  JsonNode run(CliContext context) {
    JsonNode keyJson = DynamoArgs.object("--key", key);
    boolean allOld = ReturnValues.allOld(returnValues, "DeleteItem");
    Table table = store(context).table(tableName);
    Key k = DynamoJson.key("Key", keyJson, table.keySchema());
    ObjectNode out = AwsJson.object();
    if (allOld) {
      table.deleteItemReturningOld(k).ifPresent(o -> out.set("Attributes", DynamoJson.json(o)));
    } else {
      table.deleteItem(k);
    }
    return out;
  }
}
