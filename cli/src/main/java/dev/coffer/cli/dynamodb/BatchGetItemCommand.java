package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.BatchGetItemRequest;
import dev.coffer.BatchGetItemResponse;
import dev.coffer.Coffer;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.KeysAndAttributes;
import dev.coffer.Projection;
import dev.coffer.Table;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb batch-get-item}: {@code BatchGetItem}, up to 100 items by key from one or
 * more tables in one engine call. Prints {@code Responses} (table name to the items found) and
 * {@code UnprocessedKeys} (the keys left for another call once 16 MB were read), as the AWS CLI
 * does.
 */
@Command(
    name = "batch-get-item",
    description = {
      "Read up to 100 items by key, from one or more tables. Keys without an item are left out.",
      "Per table: Keys, and optionally ProjectionExpression with ExpressionAttributeNames, ConsistentRead"
          + " (accepted; every read is consistent), or AttributesToGet."
    },
    footer = {
      "",
      "Example:",
      "  coffer dynamodb batch-get-item --request-items file://request-items.json",
      "  where request-items.json is",
      "  {\"Music\": {\"Keys\": [{\"Artist\": {\"S\": \"A\"}, \"SongTitle\": {\"S\": \"B\"}},",
      "                       {\"Artist\": {\"S\": \"A\"}, \"SongTitle\": {\"S\": \"C\"}}],",
      "             \"ProjectionExpression\": \"SongTitle, #y\",",
      "             \"ExpressionAttributeNames\": {\"#y\": \"Year\"}}}"
    })
final class BatchGetItemCommand extends DynamoOperation {
  private static final List<String> MEMBERS =
      List.of(
          "Keys",
          "AttributesToGet",
          "ConsistentRead",
          "ProjectionExpression",
          "ExpressionAttributeNames");

  @Option(
      names = "--request-items",
      required = true,
      paramLabel = "JSON|file://PATH",
      description = "Table name to {\"Keys\": [...], \"ProjectionExpression\": ...}.")
  String requestItems;

  @Mixin CapacityOption capacity;

  @Override
  protected JsonNode run(CliContext context) {
    JsonNode root = DynamoArgs.object("--request-items", requestItems);
    capacity.mode();
    Map<String, List<Key>> requested = new LinkedHashMap<>();
    Map<String, Boolean> consistent = new LinkedHashMap<>();
    Coffer coffer = storeToRead(context);
    BatchGetItemRequest.Builder request = BatchGetItemRequest.builder();
    Map<String, KeySchema> schemas = new LinkedHashMap<>();
    Map<String, JsonNode> originals = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String path = "RequestItems." + e.getKey();
      JsonNode t = RequestJson.structure(path, e.getValue(), MEMBERS, List.of("Keys"));
      KeySchema schema = coffer.table(e.getKey()).keySchema();
      schemas.put(e.getKey(), schema);
      originals.put(e.getKey(), t);
      List<Key> keys = new ArrayList<>();
      int i = 0;
      for (JsonNode k : RequestJson.list(path + ".Keys", t.get("Keys"))) {
        keys.add(DynamoJson.key(path + ".Keys[" + i++ + "]", k, schema));
      }
      Boolean strong = RequestJson.bool(path, t, "ConsistentRead");
      requested.put(e.getKey(), keys);
      consistent.put(e.getKey(), Boolean.TRUE.equals(strong));
      request.requestItems(
          e.getKey(),
          KeysAndAttributes.builder()
              .keys(keys)
              .projection(projection(path, t))
              .consistentRead(strong)
              .build());
    }
    BatchGetItemResponse response = coffer.batchGetItem(request.build());
    ObjectNode out = AwsJson.object();
    ObjectNode responses = out.putObject("Responses");
    response
        .responses()
        .forEach(
            (table, items) -> {
              ArrayNode list = responses.putArray(table);
              for (Item item : items) {
                list.add(DynamoJson.json(item));
              }
            });
    ObjectNode unprocessed = out.putObject("UnprocessedKeys");
    response
        .unprocessedKeys()
        .forEach(
            (table, left) -> {
              ObjectNode copy = ((ObjectNode) originals.get(table)).deepCopy();
              ArrayNode keys = copy.putArray("Keys");
              left.keys().forEach(k -> keys.add(DynamoJson.json(k, schemas.get(table))));
              unprocessed.set(table, copy);
            });
    if (capacity.wanted()) {
      // each key read, whole (DynamoDB charges before the projection); unprocessed keys cost
      // nothing
      Map<String, Double> units = new LinkedHashMap<>();
      requested.forEach(
          (name, keys) -> {
            Set<Key> left =
                response.unprocessedKeys().containsKey(name)
                    ? new HashSet<>(response.unprocessedKeys().get(name).keys())
                    : Set.of();
            Table table = coffer.table(name);
            double sum = 0;
            for (Key k : keys) {
              if (!left.contains(k)) {
                sum += CapacityUnits.getItemUnits(table.getItem(k), consistent.get(name));
              }
            }
            units.put(name, sum);
          });
      capacity.putAll(out, units);
    }
    return out;
  }

  /** ProjectionExpression (with its names) or AttributesToGet, or null for whole items. */
  private static Projection projection(String path, JsonNode t) {
    if (t.has("AttributesToGet")) {
      if (t.has("ProjectionExpression")) {
        throw new ValidationException(
            "Can not use both expression and non-expression parameters in the same"
                + " request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
      }
      List<String> names = new ArrayList<>();
      for (JsonNode n : RequestJson.list(path + ".AttributesToGet", t.get("AttributesToGet"))) {
        if (!n.isTextual()) {
          throw RequestJson.invalidType(path + ".AttributesToGet", n, "str");
        }
        names.add(n.textValue());
      }
      return Projection.attributes(names.toArray(new String[0]));
    }
    return TransactGetItemsCommand.projection(path, t);
  }
}
