package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeValue;
import dev.coffer.BatchWriteItemRequest;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Table;
import dev.coffer.WriteRequest;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchWriteItem over {@link dev.coffer.Coffer#batchWriteItem}: up to 25 PutRequest and
 * DeleteRequest over tables, validated as DynamoDB validates them (one kind per request, no key
 * twice in a table, 25 in all), then written by the engine in one atomic commit, so {@code
 * UnprocessedItems} is always {@code {}}. Consumed capacity per table: each write the larger of the
 * item before and after, in 1 KB units; the items before are read only when capacity is asked for
 * (separately, so a concurrent writer can change the figure, not the write). Thread-safe.
 */
final class BatchWriteOperations {
  private static final List<String> METRICS = List.of("SIZE", "NONE");
  private static final int MAX_WRITES = 25;

  private final ServiceContext ctx;

  BatchWriteOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("BatchWriteItem", this::batchWriteItem);
  }

  ObjectNode batchWriteItem(DynamoRequest r) {
    JsonNode requestItems = r.object("RequestItems");
    r.requireNonNull(requestItems, "RequestItems");
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    r.enumValue("ReturnItemCollectionMetrics", METRICS);
    if (requestItems != null && requestItems.isEmpty()) {
      r.violation("{}", "RequestItems", "Member must have length greater than or equal to 1");
    }
    if (requestItems != null) {
      for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
        JsonNode list = DynamoRequest.array(e.getValue());
        String path = "requestItems." + e.getKey() + ".member";
        if (list == null) {
          r.violation(null, path, "Member must not be null");
        } else if (list.isEmpty()) {
          r.violation("[]", path, "Member must have length greater than or equal to 1");
        } else if (list.size() > MAX_WRITES) {
          r.violation(null, path, "Member must have length less than or equal to " + MAX_WRITES);
        }
      }
    }
    r.validate();
    int total = 0;
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
      String t = e.getKey();
      if (!DynamoRequest.TABLE_NAME.matcher(t).matches() || t.length() < 3 || t.length() > 255) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + t
                + "' at 'requestItems'"
                + " failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or"
                + " equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular"
                + " expression pattern: [a-zA-Z0-9_.-]+]");
      }
      total += e.getValue().size();
    }
    if (total > MAX_WRITES) {
      throw DynamoError.validation("Too many items requested for the BatchWriteItem call");
    }
    // Read every request's shape before any table is looked up, as DynamoDB validates the whole
    // request first.
    Map<String, List<JsonNode[]>> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
      List<JsonNode[]> writes = new ArrayList<>();
      int i = 0;
      for (JsonNode w : e.getValue()) {
        i++;
        JsonNode o = DynamoRequest.object(w);
        DynamoRequest one = new DynamoRequest(o == null ? ServiceContext.NODES.objectNode() : o);
        JsonNode put = DynamoRequest.object(one.member("PutRequest"));
        JsonNode delete = DynamoRequest.object(one.member("DeleteRequest"));
        if ((put == null) == (delete == null)) {
          throw DynamoError.validation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly"
                  + " one of the supported datatypes");
        }
        String path = "requestItems." + e.getKey() + ".member." + i + ".member";
        JsonNode value =
            put != null
                ? DynamoRequest.object(put.get("Item"))
                : DynamoRequest.object(delete.get("Key"));
        if (value == null) {
          throw DynamoError.validation(
              "1 validation error detected: Value null at '"
                  + path
                  + (put != null ? ".putRequest.item" : ".deleteRequest.key")
                  + "' failed to satisfy constraint: Member"
                  + " must not be null");
        }
        writes.add(new JsonNode[] {put != null ? value : null, delete != null ? value : null});
      }
      parsed.put(e.getKey(), writes);
    }
    Map<String, List<WriteRequest>> engine = new LinkedHashMap<>();
    Map<String, Table> tables = new LinkedHashMap<>();
    for (Map.Entry<String, List<JsonNode[]>> e : parsed.entrySet()) {
      Table table = ctx.dataTable(e.getKey());
      tables.put(e.getKey(), table);
      List<WriteRequest> writes = new ArrayList<>();
      Set<Key> seen = new HashSet<>();
      for (JsonNode[] w : e.getValue()) {
        WriteRequest request;
        Key key;
        if (w[0] != null) {
          Item item = AttributeJson.item(w[0]);
          key = keyOf(table, item);
          request = WriteRequest.put(item);
        } else {
          key = AttributeJson.key(w[1], table.keySchema());
          request = WriteRequest.delete(key);
        }
        if (!seen.add(key)) {
          throw DynamoError.validation("Provided list of item keys contains duplicates");
        }
        writes.add(request);
      }
      engine.put(e.getKey(), writes);
    }
    Map<String, Double> units = new LinkedHashMap<>();
    if (ItemOperations.wantsCapacity(capacity)) {
      for (Map.Entry<String, List<WriteRequest>> e : engine.entrySet()) {
        Table table = tables.get(e.getKey());
        double sum = 0;
        for (WriteRequest w : e.getValue()) {
          long old =
              table
                  .getItem(w.isPut() ? table.keySchema().keyOf(w.item()) : w.key())
                  .map(CapacityUnits::itemSize)
                  .orElse(0L);
          sum +=
              CapacityUnits.writeUnits(
                  Math.max(old, w.isPut() ? CapacityUnits.itemSize(w.item()) : 0));
        }
        units.put(e.getKey(), sum);
      }
    }
    ctx.coffer().batchWriteItem(BatchWriteItemRequest.builder().requestItems(engine).build());
    ObjectNode out = ServiceContext.NODES.objectNode();
    out.putObject("UnprocessedItems");
    if (ItemOperations.wantsCapacity(capacity)) {
      ArrayNode list = out.putArray("ConsumedCapacity");
      units.forEach((t, u) -> list.add(CapacityUnits.json(capacity, t, u)));
    }
    return out;
  }

  /**
   * The key of an item to put; DynamoDB's message when it lacks a key attribute or has the wrong
   * type.
   */
  private static Key keyOf(Table table, Item item) {
    KeySchema k = table.keySchema();
    AttributeValue pk = item.attributes().get(k.partitionKeyName());
    AttributeValue sk = k.hasSortKey() ? item.attributes().get(k.sortKeyName()) : null;
    if (pk == null
        || pk.type() != k.partitionKeyType()
        || (k.hasSortKey() && (sk == null || sk.type() != k.sortKeyType()))) {
      throw DynamoError.validation("The provided key element does not match the schema");
    }
    return sk == null ? Key.of(pk) : Key.of(pk, sk);
  }
}
