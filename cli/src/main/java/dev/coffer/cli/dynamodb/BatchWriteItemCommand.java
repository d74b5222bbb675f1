package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.BatchWriteItemRequest;
import dev.coffer.Coffer;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Table;
import dev.coffer.WriteRequest;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb batch-write-item}: {@code BatchWriteItem}, up to 25 put and delete
 * requests over one or more tables, in ONE engine call: the engine validates the whole batch (key
 * schemas, limits, duplicate keys) before anything is written, then writes it atomically (DynamoDB
 * does not promise that; Coffer gives it). Nothing is ever left unprocessed.
 */
@Command(
    name = "batch-write-item",
    description = {
      "Put and delete up to 25 items in one call. Prints {\"UnprocessedItems\": {}}.",
      "The batch is validated whole before anything is written, and then written atomically."
    },
    footer = {
      "",
      "Example:",
      "  coffer dynamodb batch-write-item --request-items file://request-items.json",
      "  where request-items.json is",
      "  {\"Music\": [",
      "    {\"PutRequest\": {\"Item\": {\"Artist\": {\"S\": \"A\"}, \"SongTitle\": {\"S\": \"B\"}}}},",
      "    {\"DeleteRequest\": {\"Key\": {\"Artist\": {\"S\": \"A\"},",
      "                               \"SongTitle\": {\"S\": \"C\"}}}}]}"
    })
final class BatchWriteItemCommand extends DynamoOperation {
  @Option(
      names = "--request-items",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "Table name to a list of PutRequest / DeleteRequest.")
  String requestItems;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    JsonNode root = DynamoArgs.object("--request-items", requestItems);
    capacity.mode();
    for (JsonNode list : root) {
      if (!list.isArray() || list.isEmpty()) {
        throw DynamoArgs.invalid(
            "--request-items", "each table needs a non-empty list of write requests");
      }
    }
    Coffer coffer = store(context);
    BatchWriteItemRequest.Builder request = BatchWriteItemRequest.builder();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      List<WriteRequest> writes = new ArrayList<>();
      KeySchema schema = null;
      int i = 0;
      for (JsonNode r : e.getValue()) {
        String path = "RequestItems." + e.getKey() + "[" + i++ + "]";
        String kind =
            RequestJson.oneOf(
                path,
                r,
                List.of("PutRequest", "DeleteRequest"),
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported"
                    + " datatypes");
        JsonNode body =
            RequestJson.structure(
                path + "." + kind,
                r.get(kind),
                List.of(kind.equals("PutRequest") ? "Item" : "Key"),
                List.of(kind.equals("PutRequest") ? "Item" : "Key"));
        if (kind.equals("PutRequest")) {
          writes.add(
              WriteRequest.put(DynamoJson.item(path + ".PutRequest.Item", body.get("Item"))));
        } else {
          if (schema == null) {
            schema = coffer.table(e.getKey()).keySchema();
          }
          writes.add(
              WriteRequest.delete(
                  DynamoJson.key(path + ".DeleteRequest.Key", body.get("Key"), schema)));
        }
      }
      request.requestItems(e.getKey(), writes);
    }
    BatchWriteItemRequest built = request.build();
    Map<String, Double> units = new LinkedHashMap<>();
    if (capacity.wanted()) {
      // each write: the larger of the item before and after, read before the batch runs
      built
          .requestItems()
          .forEach(
              (name, writes) -> {
                Table table = coffer.table(name);
                double sum = 0;
                for (WriteRequest w : writes) {
                  Key k = w.isPut() ? table.keySchema().keyOf(w.item()) : w.key();
                  sum +=
                      CapacityUnits.writeUnits(
                          CapacityUnits.itemSize(table.getItem(k)),
                          w.isPut() ? CapacityUnits.itemSize(w.item()) : 0);
                }
                units.put(name, sum);
              });
    }
    coffer.batchWriteItem(built);
    ObjectNode out = AwsJson.object();
    out.putObject("UnprocessedItems");
    capacity.putAll(out, units);
    return out;
  }
}
