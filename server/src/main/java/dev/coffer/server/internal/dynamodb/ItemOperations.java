package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.Table;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GetItem and BatchGetItem over the engine's {@link Table}, and what the item operations share
 * (AttributesToGet, projections, consumed capacity; the writes are {@link WriteOperations}).
 * Consumed capacity follows DynamoDB: a write costs its item's size (the larger of the old and new
 * item) in 1 KB units, at least one; a read its size in 4 KB units, halved when eventually
 * consistent. Thread-safe.
 */
final class ItemOperations {
  static final List<String> CAPACITY = CapacityUnits.MODES;

  /** BatchGetItem's response cap. */
  private static final long BATCH_GET_MAX_BYTES = 16L << 20;

  private final ServiceContext ctx;

  ItemOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("GetItem", this::getItem);
    ops.put("BatchGetItem", this::batchGetItem);
  }

  ObjectNode getItem(DynamoRequest r) {
    String name = r.tableName("TableName");
    JsonNode keyJson = r.object("Key");
    r.requireNonNull(keyJson, "Key");
    String capacity = r.enumValue("ReturnConsumedCapacity", CAPACITY);
    List<String> attributesToGet = attributesToGet(r);
    Boolean consistent = r.bool("ConsistentRead");
    r.validate();
    Projection projection = projection(r, attributesToGet);
    Table table = ctx.dataTable(name);
    Key key = AttributeJson.key(keyJson, table.keySchema());
    Optional<Item> item = table.getItem(key);
    ObjectNode out = ServiceContext.NODES.objectNode();
    item.ifPresent(
        i -> out.set("Item", AttributeJson.json(projection == null ? i : projection.apply(i))));
    boolean strong = Boolean.TRUE.equals(consistent);
    double units = CapacityUnits.getItemUnits(item, strong);
    putCapacity(out, capacity, name, units);
    return out;
  }

  /** One table's part of a BatchGetItem. */
  private record TableRead(
      String name,
      Table table,
      List<Key> keys,
      JsonNode keyJson,
      Projection projection,
      boolean consistent,
      JsonNode original) {}

  ObjectNode batchGetItem(DynamoRequest r) {
    JsonNode requestItems = r.object("RequestItems");
    r.requireNonNull(requestItems, "RequestItems");
    String capacity = r.enumValue("ReturnConsumedCapacity", CAPACITY);
    if (requestItems != null && requestItems.isEmpty()) {
      r.violation("{}", "RequestItems", "Member must have length greater than or equal to 1");
    }
    if (requestItems != null && requestItems.size() > 100) {
      r.violation(null, "RequestItems", "Member must have length less than or equal to 100");
    }
    r.validate();
    List<TableRead> reads = new ArrayList<>();
    int total = 0;
    for (Map.Entry<String, JsonNode> e : requestItems.properties()) {
      DynamoRequest t =
          new DynamoRequest(
              DynamoRequest.object(e.getValue()) == null
                  ? ServiceContext.NODES.objectNode()
                  : e.getValue());
      if (!DynamoRequest.TABLE_NAME.matcher(e.getKey()).matches()
          || e.getKey().length() < 3
          || e.getKey().length() > 255) {
        throw DynamoError.validation(
            "1 validation error detected: Value '"
                + e.getKey()
                + "' at 'requestItems'"
                + " failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or"
                + " equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular"
                + " expression pattern: [a-zA-Z0-9_.-]+]");
      }
      JsonNode keys = t.array("Keys");
      t.requireNonNull(keys, "requestItems." + e.getKey() + ".member.keys");
      List<String> attributesToGet = attributesToGet(t);
      Boolean consistent = t.bool("ConsistentRead");
      if (keys != null && (keys.size() < 1 || keys.size() > 100)) {
        t.violation(
            keys.toString(),
            "requestItems." + e.getKey() + ".member.keys",
            keys.isEmpty()
                ? "Member must have length greater than or equal to 1"
                : "Member must have length less than or equal to 100");
      }
      t.validate();
      Projection projection = projection(t, attributesToGet);
      total += keys.size();
      if (total > 100) {
        throw DynamoError.validation("Too many items requested for the BatchGetItem call");
      }
      reads.add(
          new TableRead(
              e.getKey(),
              null,
              null,
              keys,
              projection,
              Boolean.TRUE.equals(consistent),
              e.getValue()));
    }
    // Resolve tables and keys before reading anything, as DynamoDB validates the whole request
    // first.
    List<TableRead> resolved = new ArrayList<>();
    for (TableRead tr : reads) {
      Table table = ctx.dataTable(tr.name());
      List<Key> keys = new ArrayList<>();
      Set<Key> seen = new HashSet<>();
      for (JsonNode k : tr.keyJson()) {
        Key key = AttributeJson.key(k, table.keySchema());
        if (!seen.add(key)) {
          throw DynamoError.validation("Provided list of item keys contains duplicates");
        }
        keys.add(key);
      }
      resolved.add(
          new TableRead(
              tr.name(),
              table,
              keys,
              tr.keyJson(),
              tr.projection(),
              tr.consistent(),
              tr.original()));
    }
    ObjectNode out = ServiceContext.NODES.objectNode();
    ObjectNode responses = out.putObject("Responses");
    ObjectNode unprocessed = out.putObject("UnprocessedKeys");
    Map<String, Double> units = new LinkedHashMap<>();
    long responseBytes = 0;
    for (TableRead tr : resolved) {
      ArrayNode items = responses.putArray(tr.name());
      ArrayNode left = null;
      double used = 0;
      for (Key key : tr.keys()) {
        if (responseBytes >= BATCH_GET_MAX_BYTES) {
          if (left == null) {
            ObjectNode copy = ((ObjectNode) tr.original()).deepCopy();
            left = copy.putArray("Keys");
            unprocessed.set(tr.name(), copy);
          }
          left.add(AttributeJson.json(key, tr.table().keySchema()));
          continue;
        }
        Optional<Item> item = tr.table().getItem(key);
        if (item.isPresent()) {
          long size = CapacityUnits.itemSize(item.get());
          responseBytes += size;
          used += CapacityUnits.getItemUnits(item, tr.consistent());
          items.add(
              AttributeJson.json(
                  tr.projection() == null ? item.get() : tr.projection().apply(item.get())));
        } else {
          used += CapacityUnits.getItemUnits(item, tr.consistent());
        }
      }
      units.merge(tr.name(), used, Double::sum);
    }
    if (wantsCapacity(capacity)) {
      ArrayNode list = out.putArray("ConsumedCapacity");
      units.forEach((t, u) -> list.add(CapacityUnits.json(capacity, t, u)));
    }
    return out;
  }

  /** {@code AttributesToGet}: 1 to 255 names, no duplicates; null when absent. */
  static List<String> attributesToGet(DynamoRequest r) {
    List<String> names = r.strings("AttributesToGet");
    if (names == null) {
      return null;
    }
    if (names.isEmpty()) {
      r.violation("[]", "AttributesToGet", "Member must have length greater than or equal to 1");
    } else if (names.size() > 255) {
      r.violation(null, "AttributesToGet", "Member must have length less than or equal to 255");
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw DynamoError.validation(
            "One or more parameter values were invalid: Duplicate value in attribute name: " + n);
      }
    }
    return names;
  }

  /**
   * The projection of a read: {@code ProjectionExpression} (parsed by the engine, nested paths
   * included) or {@code AttributesToGet} (not both), or null for every attribute. The request's
   * placeholders must all be used.
   */
  static Projection projection(DynamoRequest r, List<String> attributesToGet) {
    String expression = r.string("ProjectionExpression");
    if (expression != null && attributesToGet != null) {
      throw DynamoError.validation(
          "Can not use both expression and non-expression parameters in the same request:"
              + " Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
    }
    if (expression == null
        && r.has("ExpressionAttributeValues")
        && !r.has("ExpressionAttributeNames")) {
      throw DynamoError.validation(
          "ExpressionAttributeValues can only be specified when using expressions");
    }
    Expressions e = RequestExpressions.builder(r).projectionExpression(expression).build();
    if (expression == null) {
      return attributesToGet == null ? null : RequestExpressions.attributes(attributesToGet);
    }
    return e.projectionExpression().orElseThrow();
  }

  static boolean wantsCapacity(String mode) {
    return CapacityUnits.wanted(mode);
  }

  static void putCapacity(ObjectNode out, String mode, String table, double units) {
    ObjectNode c = CapacityUnits.json(mode, table, units);
    if (c != null) {
      out.set("ConsumedCapacity", c);
    }
  }
}
