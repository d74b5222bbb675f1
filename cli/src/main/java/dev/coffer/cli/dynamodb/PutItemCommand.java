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
import java.util.LinkedHashMap;
import java.util.Map;
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

  @Override
  protected JsonNode run(CliContext context) {
    Item parsed = DynamoJson.item("Item", DynamoArgs.object("--item", item));
    ReturnValue rv = ReturnValues.returnValues(returnValues);
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
            .returnValues(rv)
            .condition(expressions.conditionExpression().orElse(null))
            .returnValuesOnConditionCheckFailure(
                ReturnValues.onConditionCheckFailure(condition.returnValuesOnConditionCheckFailure))
            .build();
    Table table = store(context).table(tableName);
    ObjectNode out = AwsJson.object();
    table.putItem(request).attributes().ifPresent(o -> out.set("Attributes", DynamoJson.json(o)));
    return out;
  }
}
