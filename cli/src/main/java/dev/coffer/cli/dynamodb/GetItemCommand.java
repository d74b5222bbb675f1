package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb get-item}: {@code GetItem}. Reads are always strongly consistent; {@code
 * --consistent-read} is accepted for compatibility.
 */
@Command(
    name = "get-item",
    description = {
      "Read one item by its primary key. Prints nothing when there is none.",
      "--projection-expression takes document paths (a, a.b, a[0], #placeholders), comma-separated."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb get-item --table-name Music \\",
      "      --key '{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}}'",
      "  coffer dynamodb get-item --table-name Music --key file://key.json \\",
      "      --projection-expression 'SongTitle, #y' \\",
      "      --expression-attribute-names '{\"#y\": \"Year\"}'"
    })
final class GetItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The primary key in DynamoDB JSON.")
  String key;

  @Option(
      names = "--projection-expression",
      description = "The attributes to return, comma-separated document paths (a.b[0], #name).")
  String projectionExpression;

  @Option(
      names = "--expression-attribute-names",
      paramLabel = "JSON",
      description = "Placeholders for attribute names: {\"#n\": \"name\"}.")
  String expressionAttributeNames;

  @Option(
      names = "--consistent-read",
      negatable = true,
      description = "Accepted; Coffer's reads are always consistent.")
  boolean consistentRead;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    JsonNode keyJson = DynamoArgs.object("--key", key);
    capacity.mode();
    Projection projection =
        ExpressionOptions.builder(expressionAttributeNames, null)
            .projectionExpression(projectionExpression)
            .build()
            .projectionExpression()
            .orElse(null);
    Table table = storeToRead(context).table(tableName);
    Key k = DynamoJson.key("Key", keyJson, table.keySchema());
    Optional<Item> whole = table.getItem(k);
    Optional<Item> found = whole.map(i -> projection == null ? i : projection.apply(i));
    ObjectNode out = AwsJson.object();
    found.ifPresent(i -> out.set("Item", DynamoJson.json(i)));
    capacity.put(out, tableName, CapacityUnits.getItemUnits(whole, consistentRead));
    return out;
  }
}
