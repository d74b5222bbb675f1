package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.DeleteItemRequest;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.ReturnValue;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb delete-item}: {@code DeleteItem}, optionally conditional; deleting a
 * missing item succeeds.
 */
@Command(
    name = "delete-item",
    description = {
      "Delete one item by its primary key. Prints nothing unless --return-values ALL_OLD.",
      "--condition-expression makes the delete conditional (ConditionalCheckFailedException when it does not"
          + " hold; nothing is deleted)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb delete-item --table-name Music \\",
      "      --key '{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}}' \\",
      "      --return-values ALL_OLD",
      "  coffer dynamodb delete-item --table-name Music --key file://key.json \\",
      "      --condition-expression '#y < :y' \\",
      "      --expression-attribute-names '{\"#y\": \"Year\"}' \\",
      "      --expression-attribute-values '{\":y\": {\"N\": \"2000\"}}'"
    })
final class DeleteItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The primary key in DynamoDB JSON.")
  String key;

  @Option(
      names = "--return-values",
      paramLabel = "NONE|ALL_OLD",
      description = "ALL_OLD prints the deleted item.")
  String returnValues;

  @Mixin ConditionOptions condition;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    JsonNode keyJson = DynamoArgs.object("--key", key);
    ReturnValue rv = ReturnValues.returnValues(returnValues);
    capacity.mode();
    Map<String, String> valueExpressions = new LinkedHashMap<>();
    valueExpressions.put("ConditionExpression", condition.conditionExpression);
    ExpressionOptions.checkValuesHaveAnExpression(
        condition.expressionAttributeValues, valueExpressions);
    Expressions expressions =
        ExpressionOptions.builder(
                condition.expressionAttributeNames, condition.expressionAttributeValues)
            .conditionExpression(condition.conditionExpression)
            .build();
    Table table = store(context).table(tableName);
    Key k = DynamoJson.key("Key", keyJson, table.keySchema());
    ObjectNode out = AwsJson.object();
    Optional<Item> old =
        table
            .deleteItem(
                DeleteItemRequest.builder()
                    .key(k)
                    // the deleted item's size is the consumed capacity
                    .returnValues(
                        capacity.wanted() && rv == ReturnValue.NONE ? ReturnValue.ALL_OLD : rv)
                    .condition(expressions.conditionExpression().orElse(null))
                    .returnValuesOnConditionCheckFailure(
                        ReturnValues.onConditionCheckFailure(
                            condition.returnValuesOnConditionCheckFailure))
                    .build())
            .attributes();
    if (rv == ReturnValue.ALL_OLD) {
      old.ifPresent(o -> out.set("Attributes", DynamoJson.json(o)));
    }
    capacity.put(out, tableName, CapacityUnits.writeUnits(CapacityUnits.itemSize(old), 0));
    return out;
  }
}
