package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.KeySchema;
import dev.coffer.Projection;
import dev.coffer.TransactGetItem;
import dev.coffer.TransactGetItemsRequest;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb transact-get-items}: {@code TransactGetItems}, up to 100 items of one or
 * more tables read from one consistent snapshot. Prints {@code {"Responses": [...]}}, one entry per
 * Get: {@code {"Item": {...}}}, or {@code {}} when there is no such item.
 */
@Command(
    name = "transact-get-items",
    description = {
      "Read up to 100 items, of one or more tables, from one consistent snapshot (all as of one moment).",
      "Prints one response per Get, in order: {\"Item\": {...}}, or {} when the item does not exist."
    },
    footer = {
      "",
      "Example:",
      "  coffer dynamodb transact-get-items --transact-items \\",
      "      '[{\"Get\": {\"TableName\": \"Accounts\", \"Key\": {\"Id\": {\"S\": \"alice\"}}}},",
      "        {\"Get\": {\"TableName\": \"Accounts\", \"Key\": {\"Id\": {\"S\": \"bob\"}},",
      "                 \"ProjectionExpression\": \"Balance\"}}]'"
    })
final class TransactGetItemsCommand extends DynamoOperation {
  @Option(
      names = "--transact-items",
      required = true,
      paramLabel = "JSON|file://PATH",
      description =
          "A list of {\"Get\": {\"TableName\", \"Key\", \"ProjectionExpression\", \"ExpressionAttributeNames\"}}.")
  String transactItems;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    capacity.mode();
    JsonNode list =
        RequestJson.list("TransactItems", DynamoJson.parameter("--transact-items", transactItems));
    Coffer coffer = storeToRead(context);
    Map<String, KeySchema> schemas = new HashMap<>();
    List<TransactGetItem> gets = new ArrayList<>();
    int i = 0;
    for (JsonNode element : list) {
      String path = "TransactItems[" + i++ + "]";
      RequestJson.oneOf(path, element, List.of("Get"), "TransactItems can only contain a Get");
      String at = path + ".Get";
      JsonNode g =
          RequestJson.structure(
              at,
              element.get("Get"),
              List.of("Key", "TableName", "ProjectionExpression", "ExpressionAttributeNames"),
              List.of("Key", "TableName"));
      String table = RequestJson.string(at, g, "TableName");
      Projection projection = projection(at, g);
      KeySchema schema = schemas.computeIfAbsent(table, t -> coffer.table(t).keySchema());
      gets.add(
          TransactGetItem.of(table, DynamoJson.key(at + ".Key", g.get("Key"), schema), projection));
    }
    ObjectNode out = AwsJson.object();
    ArrayNode responses = out.putArray("Responses");
    List<Optional<Item>> found =
        coffer.transactGetItems(TransactGetItemsRequest.of(gets)).responses();
    for (Optional<Item> item : found) {
      ObjectNode r = responses.addObject();
      item.ifPresent(it -> r.set("Item", DynamoJson.json(it)));
    }
    if (capacity.wanted()) {
      // each item read whole, twice (as coffer serve counts it)
      Map<String, Double> units = new LinkedHashMap<>();
      for (int n = 0; n < gets.size(); n++) {
        TransactGetItem g = gets.get(n);
        long bytes =
            g.projection() == null
                ? CapacityUnits.itemSize(found.get(n))
                : CapacityUnits.itemSize(coffer.table(g.tableName()).getItem(g.key()));
        units.merge(g.tableName(), CapacityUnits.transactGetUnits(bytes), Double::sum);
      }
      capacity.putAll(out, units);
    }
    return out;
  }

  /** The Get's ProjectionExpression with its names, or null for the whole item. */
  static Projection projection(String at, JsonNode g) {
    return Expressions.builder()
        .projectionExpression(RequestJson.string(at, g, "ProjectionExpression"))
        .expressionAttributeNames(
            g.has("ExpressionAttributeNames")
                ? ExpressionOptions.names(
                    at + ".ExpressionAttributeNames", g.get("ExpressionAttributeNames"))
                : null)
        .build()
        .projectionExpression()
        .orElse(null);
  }
}
