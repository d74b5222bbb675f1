package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer dynamodb batch-write-item}: {@code BatchWriteItem}, up to 25 put and delete
 * requests over one or more tables. Every request is parsed and checked against its table's key
 * schema (and for duplicate keys) before the first write, so a malformed batch writes nothing.
 * The writes are then applied one by one; they are not one atomic transaction, as in DynamoDB.
 * Nothing is ever left unprocessed.
 */
@Command(
    name = "batch-write-item",
    description = {
      "Put and delete up to 25 items in one call. Prints {\"UnprocessedItems\": {}}.",
      "A request that fails validation fails the whole batch before anything is written."
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
  /** DynamoDB's limit of requests per call. */
  static final int MAX_REQUESTS = 25;

  @Option(names = "--request-items", required = true, paramLabel = "JSON|file://PATH",
      description = "Table name to a list of PutRequest / DeleteRequest.")
  String requestItems;

  /** One parsed request: an item to put, or a key to delete. */
  private record Request(Table table, Item put, Key delete) {}

  @Override
  JsonNode run(CliContext context) {
    JsonNode root = DynamoArgs.object("--request-items", requestItems);
    int total = 0;
    for (JsonNode list : root) {
      if (!list.isArray() || list.isEmpty()) {
        throw DynamoArgs.invalid("--request-items", "each table needs a non-empty list of write requests");
      }
      total += list.size();
    }
    if (root.isEmpty()) {
      throw new ValidationException("1 validation error detected: Value '{}' at 'requestItems' failed to satisfy"
          + " constraint: Member must have length greater than or equal to 1");
    }
    if (total > MAX_REQUESTS) {
      throw new ValidationException("1 validation error detected: Value at 'requestItems' failed to satisfy"
          + " constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25,"
          + " Member must have length greater than or equal to 1] (" + total + " requests)");
    }
    Coffer coffer = store(context);
    List<Request> requests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Table table = coffer.table(e.getKey());
      Set<Key> keys = new HashSet<>();
      int i = 0;
      for (JsonNode r : e.getValue()) {
        Request request = parse(table, r, "RequestItems." + e.getKey() + "[" + i++ + "]");
        Key key = request.put() != null ? ItemKeys.keyOf(table.keySchema(), request.put()) : request.delete();
        if (!keys.add(key)) {
          throw new ValidationException("Provided list of item keys contains duplicates");
        }
        requests.add(request);
      }
    }
    for (Request r : requests) {
      if (r.put() != null) {
        r.table().putItem(r.put());
      } else {
        r.table().deleteItem(r.delete());
      }
    }
    ObjectNode out = AwsJson.object();
    out.putObject("UnprocessedItems");
    return out;
  }

  private static Request parse(Table table, JsonNode r, String path) {
    if (!r.isObject() || r.size() != 1 || !(r.has("PutRequest") || r.has("DeleteRequest"))) {
      throw DynamoArgs.invalid("--request-items",
          path + " must be {\"PutRequest\": {\"Item\": {...}}} or {\"DeleteRequest\": {\"Key\": {...}}}");
    }
    if (r.has("PutRequest")) {
      return new Request(table, DynamoJson.item(path + ".PutRequest.Item", r.get("PutRequest").get("Item")), null);
    }
    return new Request(table, null,
        DynamoJson.key(path + ".DeleteRequest.Key", r.get("DeleteRequest").get("Key"), table.keySchema()));
  }
}
