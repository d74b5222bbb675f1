package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer dynamodb put-item}: {@code PutItem}, replacing any item with the same key. */
@Command(
    name = "put-item",
    description = {
      "Write an item, replacing any item with the same primary key. Prints nothing unless"
          + " --return-values ALL_OLD.",
      "Condition expressions are not supported."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb put-item --table-name Music \\",
      "      --item '{\"Artist\": {\"S\": \"No One You Know\"},",
      "               \"SongTitle\": {\"S\": \"Call Me Today\"}, \"Year\": {\"N\": \"2015\"}}'",
      "  coffer dynamodb put-item --table-name Music --item file://item.json \\",
      "      --return-values ALL_OLD"
    })
final class PutItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(names = "--item", required = true, paramLabel = "JSON|file://PATH",
      description = "The item in DynamoDB JSON, key attributes included.")
  String item;

  @Option(names = "--return-values", paramLabel = "NONE|ALL_OLD", description = "ALL_OLD prints the replaced item.")
  String returnValues;

  @Override
  JsonNode run(CliContext context) {
    Item parsed = DynamoJson.item("Item", DynamoArgs.object("--item", item));
    boolean allOld = ReturnValues.allOld(returnValues, "PutItem");
    Table table = store(context).table(tableName);
    ObjectNode out = AwsJson.object();
    if (allOld) {
      Optional<Item> old = table.putItemReturningOld(parsed);
      old.ifPresent(o -> out.set("Attributes", DynamoJson.json(o)));
    } else {
      table.putItem(parsed);
    }
    return out;
  }
}
