package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.Expressions;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Table;
import dev.coffer.TransactWriteItem;
import dev.coffer.TransactWriteItemsRequest;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb transact-write-items}: {@code TransactWriteItems}, up to 100 Put, Update,
 * Delete and ConditionCheck actions over one or more tables, all applied or none. Each action's
 * expressions and placeholders are its own, as in DynamoDB.
 */
@Command(
    name = "transact-write-items",
    description = {
      "Apply up to 100 Put, Update, Delete and ConditionCheck actions, on distinct items of one or more tables,"
          + " all or none. Prints nothing when applied.",
      "When an action's condition fails, or an update cannot apply, nothing is written and the command fails"
          + " with TransactionCanceledException, listing one reason per action.",
      "--client-request-token makes the call idempotent for 10 minutes (while the store stays open in this"
          + " process: the command line opens it per call, so the token only guards against a repeat within"
          + " one call's lifetime)."
    },
    footer = {
      "",
      "Example:",
      "  coffer dynamodb transact-write-items --transact-items file://transfer.json",
      "  where transfer.json is",
      "  [{\"Update\": {\"TableName\": \"Accounts\", \"Key\": {\"Id\": {\"S\": \"alice\"}},",
      "               \"UpdateExpression\": \"SET Balance = Balance - :a\",",
      "               \"ConditionExpression\": \"Balance >= :a\",",
      "               \"ExpressionAttributeValues\": {\":a\": {\"N\": \"10\"}}}},",
      "   {\"Update\": {\"TableName\": \"Accounts\", \"Key\": {\"Id\": {\"S\": \"bob\"}},",
      "               \"UpdateExpression\": \"SET Balance = Balance + :a\",",
      "               \"ExpressionAttributeValues\": {\":a\": {\"N\": \"10\"}}}}]"
    })
final class TransactWriteItemsCommand extends DynamoOperation {
  private static final List<String> ACTIONS = List.of("ConditionCheck", "Put", "Delete", "Update");
  private static final List<String> COMMON =
      List.of(
          "TableName",
          "ConditionExpression",
          "ExpressionAttributeNames",
          "ExpressionAttributeValues",
          "ReturnValuesOnConditionCheckFailure");

  @Option(
      names = "--transact-items",
      required = true,
      paramLabel = "JSON|file://PATH",
      description =
          "A list of {\"Put\" | \"Update\" | \"Delete\" | \"ConditionCheck\": {...}}, as DynamoDB takes it.")
  String transactItems;

  @Option(
      names = "--client-request-token",
      description = "A token (1 to 36 characters) for idempotency.")
  String clientRequestToken;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    capacity.mode();
    JsonNode list =
        RequestJson.list("TransactItems", DynamoJson.parameter("--transact-items", transactItems));
    Coffer coffer = store(context);
    Map<String, KeySchema> schemas = new HashMap<>();
    List<TransactWriteItem> items = new ArrayList<>();
    int i = 0;
    for (JsonNode element : list) {
      String path = "TransactItems[" + i++ + "]";
      String kind =
          RequestJson.oneOf(
              path,
              element,
              ACTIONS,
              "TransactItems can only contain one of Check, Put, Update or Delete");
      items.add(action(coffer, schemas, path + "." + kind, kind, element.get(kind)));
    }
    // the consumed capacity: per action the larger of the item before and after, twice (as
    // coffer serve counts it); the items before are read first
    List<Key> keys = new ArrayList<>();
    List<Long> before = new ArrayList<>();
    if (capacity.wanted()) {
      for (TransactWriteItem w : items) {
        Table t = coffer.table(w.tableName());
        Key k = w.kind() == TransactWriteItem.Kind.PUT ? t.keySchema().keyOf(w.item()) : w.key();
        keys.add(k);
        before.add(CapacityUnits.itemSize(t.getItem(k)));
      }
    }
    coffer.transactWriteItems(
        TransactWriteItemsRequest.builder()
            .transactItems(items)
            .clientRequestToken(clientRequestToken)
            .build());
    ObjectNode out = AwsJson.object();
    if (capacity.wanted()) {
      Map<String, Double> units = new LinkedHashMap<>();
      for (int n = 0; n < items.size(); n++) {
        TransactWriteItem w = items.get(n);
        long after =
            switch (w.kind()) {
              case PUT -> CapacityUnits.itemSize(w.item());
              case UPDATE ->
                  CapacityUnits.itemSize(coffer.table(w.tableName()).getItem(keys.get(n)));
              default -> 0;
            };
        units.merge(
            w.tableName(), CapacityUnits.transactWriteUnits(before.get(n), after), Double::sum);
      }
      capacity.putAll(out, units);
    }
    return out;
  }

  private static TransactWriteItem action(
      Coffer coffer, Map<String, KeySchema> schemas, String path, String kind, JsonNode a) {
    List<String> allowed = new ArrayList<>(COMMON);
    List<String> required = new ArrayList<>(List.of("TableName"));
    switch (kind) {
      case "Put" -> {
        allowed.add("Item");
        required.add("Item");
      }
      case "Update" -> {
        allowed.addAll(List.of("Key", "UpdateExpression"));
        required.addAll(List.of("Key", "UpdateExpression"));
      }
      case "ConditionCheck" -> {
        allowed.add("Key");
        required.addAll(List.of("Key", "ConditionExpression"));
      }
      default -> {
        allowed.add("Key");
        required.add("Key");
      }
    }
    RequestJson.structure(path, a, allowed, required);
    String table = RequestJson.string(path, a, "TableName");
    String update = RequestJson.string(path, a, "UpdateExpression");
    String condition = RequestJson.string(path, a, "ConditionExpression");
    ExpressionOptions.checkValuesHaveAnExpression(
        a,
        kind.equals("Update")
            ? new String[] {"UpdateExpression", "ConditionExpression"}
            : new String[] {"ConditionExpression"});
    Expressions e =
        Expressions.builder()
            .updateExpression(update)
            .conditionExpression(condition)
            .expressionAttributeNames(
                a.has("ExpressionAttributeNames")
                    ? ExpressionOptions.names(
                        path + ".ExpressionAttributeNames", a.get("ExpressionAttributeNames"))
                    : null)
            .expressionAttributeValues(
                a.has("ExpressionAttributeValues")
                    ? DynamoJson.attributes(
                        path + ".ExpressionAttributeValues", a.get("ExpressionAttributeValues"))
                    : null)
            .build();
    TransactWriteItem.Builder b =
        TransactWriteItem.builder()
            .tableName(table)
            .condition(e.conditionExpression().orElse(null))
            .returnValuesOnConditionCheckFailure(
                ReturnValues.onConditionCheckFailure(
                    RequestJson.string(path, a, "ReturnValuesOnConditionCheckFailure")));
    if (kind.equals("Put")) {
      return b.put(DynamoJson.item(path + ".Item", a.get("Item"))).build();
    }
    KeySchema schema = schemas.computeIfAbsent(table, t -> coffer.table(t).keySchema());
    Key key = DynamoJson.key(path + ".Key", a.get("Key"), schema);
    return switch (kind) {
      case "Update" -> b.update(key, e.updateExpression().orElseThrow()).build();
      case "Delete" -> b.delete(key).build();
      default -> b.conditionCheck(key).build();
    };
  }
}
