package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.ReturnValue;
import dev.coffer.Table;
import dev.coffer.UpdateItemRequest;
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
 * {@code coffer dynamodb update-item}: {@code UpdateItem} with an UpdateExpression (SET, REMOVE,
 * ADD, DELETE), creating the item from its key when it does not exist, optionally conditional.
 */
@Command(
    name = "update-item",
    description = {
      "Change the attributes of one item with an update expression, creating the item when it does not exist."
          + " Prints nothing unless --return-values asks for attributes.",
      "Update expressions: SET a = :v, b = b + :n, c = list_append(c, :l), d = if_not_exists(d, :v);"
          + " REMOVE a, b[0]; ADD counter :n, tags :set; DELETE tags :set.",
      "--condition-expression makes the update conditional (ConditionalCheckFailedException when it does not"
          + " hold; nothing is changed)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer dynamodb update-item --table-name Music \\",
      "      --key '{\"Artist\": {\"S\": \"Acme Band\"}, \"SongTitle\": {\"S\": \"Happy Day\"}}' \\",
      "      --update-expression 'SET AlbumTitle = :t ADD Plays :one' \\",
      "      --expression-attribute-values \\",
      "        '{\":t\": {\"S\": \"Updated\"}, \":one\": {\"N\": \"1\"}}' \\",
      "      --return-values ALL_NEW",
      "  coffer dynamodb update-item --table-name Music --key file://key.json \\",
      "      --update-expression 'REMOVE Draft' \\",
      "      --condition-expression 'attribute_exists(Draft)'"
    })
final class UpdateItemCommand extends DynamoOperation {
  @Option(names = "--table-name", required = true, description = "The table name.")
  String tableName;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "The primary key in DynamoDB JSON.")
  String key;

  @Option(
      names = "--update-expression",
      description =
          "SET / REMOVE / ADD / DELETE actions; without one, only a missing item is created (from its"
              + " key).")
  String updateExpression;

  @Option(
      names = "--return-values",
      paramLabel = "NONE|ALL_OLD|UPDATED_OLD|ALL_NEW|UPDATED_NEW",
      description =
          "Which attributes to print: the whole item before or after, or only the updated ones.")
  String returnValues;

  @Mixin ConditionOptions condition;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    JsonNode keyJson = DynamoArgs.object("--key", key);
    ReturnValue rv = ReturnValues.returnValues(returnValues);
    capacity.mode();
    Map<String, String> valueExpressions = new LinkedHashMap<>();
    valueExpressions.put("UpdateExpression", updateExpression);
    valueExpressions.put("ConditionExpression", condition.conditionExpression);
    ExpressionOptions.checkValuesHaveAnExpression(
        condition.expressionAttributeValues, valueExpressions);
    Expressions expressions =
        ExpressionOptions.builder(
                condition.expressionAttributeNames, condition.expressionAttributeValues)
            .updateExpression(updateExpression)
            .conditionExpression(condition.conditionExpression)
            .build();
    Table table = store(context).table(tableName);
    Key k = DynamoJson.key("Key", keyJson, table.keySchema());
    ObjectNode out = AwsJson.object();
    // the consumed capacity counts the larger of the item before and after (as coffer serve)
    boolean sized = capacity.wanted();
    ReturnValue ask = sized && rv == ReturnValue.NONE ? ReturnValue.ALL_NEW : rv;
    Optional<Item> before = sized && ask != ReturnValue.ALL_OLD ? table.getItem(k) : null;
    Optional<Item> returned =
        table
            .updateItem(
                UpdateItemRequest.builder()
                    .key(k)
                    .returnValues(ask)
                    .update(expressions.updateExpression().orElse(null))
                    .condition(expressions.conditionExpression().orElse(null))
                    .returnValuesOnConditionCheckFailure(
                        ReturnValues.onConditionCheckFailure(
                            condition.returnValuesOnConditionCheckFailure))
                    .build())
            .attributes();
    if (rv != ReturnValue.NONE) {
      returned.ifPresent(a -> out.set("Attributes", DynamoJson.json(a)));
    }
    if (sized) {
      long old = CapacityUnits.itemSize(ask == ReturnValue.ALL_OLD ? returned : before);
      long now = CapacityUnits.itemSize(ask == ReturnValue.ALL_NEW ? returned : table.getItem(k));
      capacity.put(out, tableName, CapacityUnits.writeUnits(old, now));
    }
    return out;
  }
}
