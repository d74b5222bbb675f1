package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.PutItemRequest;
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
 * {@code coffer dynamodb put-item}: {@code PutItem}, replacing any item with the same key,
 * optionally only when a condition on the current item holds.
 */
@Command(
    name = "put-item",
    description = {
      "Write an item, replacing any item with the same primary key. Prints nothing unless"
          + " --return-values ALL_OLD.",
      "--condition-expression makes the write conditional: it fails with ConditionalCheckFailedException, and"
          + " writes nothing, when the condition does not hold for the current item (or for no item)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb put-item --table-name Music \\",
      "      --item '{\"Artist\": {\"S\": \"No One You Know\"},",
      "               \"SongTitle\": {\"S\": \"Call Me Today\"}, \"Year\": {\"N\": \"2015\"}}'",
      "  coffer dynamodb put-item --table-name Music --item file://item.json \\",
      "      --return-values ALL_OLD",
      "  coffer dynamodb put-item --table-name Music --item file://item.json \\",
      "      --condition-expression 'attribute_not_exists(Artist)'"
    })
final class PutItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(
      names = "--item",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The item in DynamoDB JSON, key attributes included.")
  String item;

  @Option(
      names = "--return-values",
      paramLabel = "NONE|ALL_OLD",
      description = "ALL_OLD prints the replaced item.")
  String returnValues;

  @Mixin ConditionOptions condition;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    Item parsed = DynamoJson.item("Item", DynamoArgs.object("--item", item));
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
    PutItemRequest request =
        PutItemRequest.builder()
            .item(parsed)
            // the replaced item's size counts in the consumed capacity
            .returnValues(capacity.wanted() && rv == ReturnValue.NONE ? ReturnValue.ALL_OLD : rv)
            .condition(expressions.conditionExpression().orElse(null))
            .returnValuesOnConditionCheckFailure(
                ReturnValues.onConditionCheckFailure(condition.returnValuesOnConditionCheckFailure))
            .build();
    Table table = store(context).table(tableName);
    ObjectNode out = AwsJson.object();
    Optional<Item> old = table.putItem(request).attributes();
    if (rv == ReturnValue.ALL_OLD) {
      old.ifPresent(o -> out.set("Attributes", DynamoJson.json(o)));
    }
    capacity.put(
        out,
        tableName,
        CapacityUnits.writeUnits(CapacityUnits.itemSize(old), CapacityUnits.itemSize(parsed)));
    return out;
  }
}
