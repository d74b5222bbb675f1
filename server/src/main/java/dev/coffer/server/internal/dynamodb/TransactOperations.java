package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Projection;
import dev.coffer.Table;
import dev.coffer.TransactGetItem;
import dev.coffer.TransactGetItemsRequest;
import dev.coffer.TransactWriteItem;
import dev.coffer.TransactWriteItemsRequest;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TransactWriteItems and TransactGetItems over {@link dev.coffer.Coffer#transactWriteItems} and
 * {@link dev.coffer.Coffer#transactGetItems}: each action's expressions are parsed with its own
 * names and values; the engine runs them all or nothing and answers a failed condition with one
 * cancellation reason per action, which the protocol writes as DynamoDB's {@code
 * TransactionCanceledException} with {@code CancellationReasons}. {@code ClientRequestToken} is
 * passed to the engine (idempotent for 10 minutes; another request under the same token is {@code
 * IdempotentParameterMismatchException}).
 *
 * <p>Consumed capacity as DynamoDB counts transactions: twice the units of the same work done
 * outside a transaction, per table: a write action the larger of its item before and after in 1 KB
 * units (a ConditionCheck its item's size, counted as a write), a Get its item in 4 KB units (a
 * missing item one unit). The sizes the engine does not return are read around the call only when
 * capacity is asked for. Thread-safe.
 */
final class TransactOperations {
  private static final List<String> METRICS = List.of("SIZE", "NONE");
  private static final int MAX_ACTIONS = 100;
  private static final List<String> ACTIONS = List.of("ConditionCheck", "Put", "Delete", "Update");

  private final ServiceContext ctx;

  TransactOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("TransactWriteItems", this::transactWriteItems);
    ops.put("TransactGetItems", this::transactGetItems);
  }

  /** One action with its table, for capacity. */
  private record Action(String table, Table handle, TransactWriteItem item, Key key) {}

  private static JsonNode actions(DynamoRequest r) {
    JsonNode items = r.array("TransactItems");
    r.requireNonNull(items, "TransactItems");
    if (items != null && items.isEmpty()) {
      r.violation("[]", "TransactItems", "Member must have length greater than or equal to 1");
    }
    if (items != null && items.size() > MAX_ACTIONS) {
      r.violation(
          null, "TransactItems", "Member must have length less than or equal to " + MAX_ACTIONS);
    }
    return items;
  }

  ObjectNode transactWriteItems(DynamoRequest r) {
    JsonNode items = actions(r);
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    r.enumValue("ReturnItemCollectionMetrics", METRICS);
    String token = r.string("ClientRequestToken");
    if (token != null && token.isEmpty()) {
      r.violation(
          token, "ClientRequestToken", "Member must have length greater than or equal to 1");
    }
    if (token != null && token.length() > 36) {
      r.violation(token, "ClientRequestToken", "Member must have length less than or equal to 36");
    }
    r.validate();
    // The shape of every action first (as DynamoDB validates the whole request), then tables and
    // keys.
    List<DynamoRequest> bodies = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    int i = 0;
    for (JsonNode a : items) {
      i++;
      JsonNode o = DynamoRequest.object(a);
      if (o == null) {
        throw DynamoError.validation(
            "TransactItems can only contain one of Check, Put, Update or Delete");
      }
      List<String> present =
          ACTIONS.stream().filter(k -> o.get(k) != null && !o.get(k).isNull()).toList();
      if (present.size() != 1) {
        throw DynamoError.validation(
            "TransactItems can only contain one of Check, Put, Update or Delete");
      }
      String kind = present.get(0);
      DynamoRequest body = new DynamoRequest(DynamoRequest.object(o.get(kind)));
      String path =
          "transactItems."
              + i
              + ".member."
              + Character.toLowerCase(kind.charAt(0))
              + kind.substring(1);
      String table = body.string("TableName");
      if (table == null) {
        body.violation(null, path + ".tableName", "Member must not be null");
      } else if (!DynamoRequest.TABLE_NAME.matcher(table).matches()
          || table.length() < 3
          || table.length() > 255) {
        body.violation(
            table,
            path + ".tableName",
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
      }
      body.requireNonNull(
          body.object(kind.equals("Put") ? "Item" : "Key"),
          path + (kind.equals("Put") ? ".item" : ".key"));
      if (kind.equals("Update")) {
        body.requireNonNull(body.string("UpdateExpression"), path + ".updateExpression");
      }
      if (kind.equals("ConditionCheck")) {
        body.requireNonNull(body.string("ConditionExpression"), path + ".conditionExpression");
      }
      body.enumValue("ReturnValuesOnConditionCheckFailure", WriteOperations.ON_FAILURE);
      body.validate();
      bodies.add(body);
      kinds.add(kind);
    }
    List<Action> actions = new ArrayList<>();
    for (int n = 0; n < bodies.size(); n++) {
      actions.add(action(kinds.get(n), bodies.get(n)));
    }
    boolean capacityWanted = ItemOperations.wantsCapacity(capacity);
    List<Long> before = new ArrayList<>();
    if (capacityWanted) {
      for (Action a : actions) {
        before.add(a.handle().getItem(a.key()).map(CapacityUnits::itemSize).orElse(0L));
      }
    }
    ctx.coffer()
        .transactWriteItems(
            TransactWriteItemsRequest.builder()
                .transactItems(actions.stream().map(Action::item).toList())
                .clientRequestToken(token)
                .build());
    ObjectNode out = ServiceContext.NODES.objectNode();
    if (capacityWanted) {
      Map<String, Double> units = new LinkedHashMap<>();
      for (int n = 0; n < actions.size(); n++) {
        Action a = actions.get(n);
        long bytes = before.get(n);
        switch (a.item().kind()) {
          case PUT -> bytes = Math.max(bytes, CapacityUnits.itemSize(a.item().item()));
          case UPDATE ->
              bytes =
                  Math.max(
                      bytes, a.handle().getItem(a.key()).map(CapacityUnits::itemSize).orElse(0L));
          default -> {}
        }
        units.merge(a.table(), CapacityUnits.transactWriteUnits(before.get(n), bytes), Double::sum);
      }
      ArrayNode list = out.putArray("ConsumedCapacity");
      units.forEach((t, u) -> list.add(CapacityUnits.json(capacity, t, u)));
    }
    return out;
  }

  private Action action(String kind, DynamoRequest body) {
    String name = body.string("TableName");
    String condition = body.string("ConditionExpression");
    String update = body.string("UpdateExpression");
    List<String> expressions =
        kind.equals("Update")
            ? List.of("UpdateExpression", "ConditionExpression")
            : List.of("ConditionExpression");
    RequestExpressions.checkParameters(body, expressions, List.of());
    Expressions e =
        RequestExpressions.builder(body)
            .conditionExpression(condition)
            .updateExpression(kind.equals("Update") ? update : null)
            .build();
    Table table = ctx.dataTable(name);
    TransactWriteItem.Builder b =
        TransactWriteItem.builder()
            .tableName(name)
            .condition(e.conditionExpression().orElse(null))
            .returnValuesOnConditionCheckFailure(
                WriteOperations.onFailure(body.string("ReturnValuesOnConditionCheckFailure")));
    Key key;
    switch (kind) {
      case "Put" -> {
        Item item = AttributeJson.item(body.object("Item"));
        key = putKey(table, body.object("Item"));
        b.put(item);
      }
      case "Update" -> {
        key = AttributeJson.key(body.object("Key"), table.keySchema());
        b.update(key, e.updateExpression().orElseThrow());
      }
      case "Delete" -> {
        key = AttributeJson.key(body.object("Key"), table.keySchema());
        b.delete(key);
      }
      default -> {
        key = AttributeJson.key(body.object("Key"), table.keySchema());
        b.conditionCheck(key);
      }
    }
    return new Action(name, table, b.build(), key);
  }

  /**
   * The key of a Put's item, with DynamoDB's message when a key attribute is missing or mistyped.
   */
  private static Key putKey(Table table, JsonNode item) {
    ObjectNode keyJson = ServiceContext.NODES.objectNode();
    for (String k :
        table.keySchema().hasSortKey()
            ? List.of(table.keySchema().partitionKeyName(), table.keySchema().sortKeyName())
            : List.of(table.keySchema().partitionKeyName())) {
      JsonNode v = item.get(k);
      if (v == null || v.isNull()) {
        throw DynamoError.validation(
            "One or more parameter values were invalid: Missing the key " + k + " in the item");
      }
      keyJson.set(k, v);
    }
    try {
      return AttributeJson.key(keyJson, table.keySchema());
    } catch (DynamoError e) {
      throw DynamoError.validation(
          "One or more parameter values were invalid: Type mismatch for key");
    }
  }

  ObjectNode transactGetItems(DynamoRequest r) {
    JsonNode items = actions(r);
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    r.validate();
    List<DynamoRequest> bodies = new ArrayList<>();
    int i = 0;
    for (JsonNode a : items) {
      i++;
      JsonNode o = DynamoRequest.object(a);
      JsonNode get = o == null ? null : DynamoRequest.object(o.get("Get"));
      if (get == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at 'transactItems."
                + i
                + ".member.get' failed to satisfy constraint: Member must not be null");
      }
      DynamoRequest body = new DynamoRequest(get);
      String path = "transactItems." + i + ".member.get";
      String table = body.string("TableName");
      if (table == null) {
        body.violation(null, path + ".tableName", "Member must not be null");
      } else if (!DynamoRequest.TABLE_NAME.matcher(table).matches()
          || table.length() < 3
          || table.length() > 255) {
        body.violation(
            table,
            path + ".tableName",
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
      }
      body.requireNonNull(body.object("Key"), path + ".key");
      body.validate();
      bodies.add(body);
    }
    List<TransactGetItem> gets = new ArrayList<>();
    for (DynamoRequest body : bodies) {
      String name = body.string("TableName");
      RequestExpressions.checkParameters(body, List.of("ProjectionExpression"), List.of());
      Projection projection =
          RequestExpressions.builder(body)
              .projectionExpression(body.string("ProjectionExpression"))
              .build()
              .projectionExpression()
              .orElse(null);
      Table table = ctx.dataTable(name);
      Key key = AttributeJson.key(body.object("Key"), table.keySchema());
      gets.add(
          projection == null
              ? TransactGetItem.of(name, key)
              : TransactGetItem.of(name, key, projection));
    }
    List<Optional<Item>> found =
        ctx.coffer().transactGetItems(TransactGetItemsRequest.of(gets)).responses();
    ObjectNode out = ServiceContext.NODES.objectNode();
    ArrayNode responses = out.putArray("Responses");
    for (Optional<Item> item : found) {
      ObjectNode one = responses.addObject();
      item.ifPresent(x -> one.set("Item", AttributeJson.json(x)));
    }
    if (ItemOperations.wantsCapacity(capacity)) {
      Map<String, Double> units = new LinkedHashMap<>();
      for (int n = 0; n < gets.size(); n++) {
        TransactGetItem g = gets.get(n);
        // the size of the whole item, as DynamoDB charges reads before projecting
        long bytes =
            gets.get(n).projection() == null
                ? found.get(n).map(CapacityUnits::itemSize).orElse(0L)
                : ctx.dataTable(g.tableName())
                    .getItem(g.key())
                    .map(CapacityUnits::itemSize)
                    .orElse(0L);
        units.merge(g.tableName(), CapacityUnits.transactGetUnits(bytes), Double::sum);
      }
      ArrayNode list = out.putArray("ConsumedCapacity");
      units.forEach((t, u) -> list.add(CapacityUnits.json(capacity, t, u)));
    }
    return out;
  }
}
