package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.DeleteItemRequest;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.PutItemRequest;
import dev.coffer.ReturnValue;
import dev.coffer.ReturnValuesOnConditionCheckFailure;
import dev.coffer.Table;
import dev.coffer.UpdateItemRequest;
import dev.coffer.server.CapacityUnits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PutItem, DeleteItem and UpdateItem over the engine's conditional writes ({@link
 * Table#putItem(PutItemRequest)}, {@link Table#deleteItem(DeleteItemRequest)}, {@link
 * Table#updateItem(UpdateItemRequest)}): ConditionExpression, UpdateExpression,
 * ExpressionAttributeNames/Values (parsed together by the engine's {@link Expressions}),
 * ReturnValues and ReturnValuesOnConditionCheckFailure. A failed condition is the engine's
 * ConditionalCheckFailedException, which the protocol answers with the item when it was asked for.
 * The legacy {@code Expected}, {@code ConditionalOperator} and {@code AttributeUpdates} are refused
 * with a ValidationException naming the expression to use, never ignored.
 *
 * <p>Consumed capacity as DynamoDB counts it: the larger of the item before and after the write, in
 * 1 KB units, at least one. The engine returns one of the two; when capacity is asked for and the
 * other is needed, it is read by a separate GetItem (before or after the write), so a concurrent
 * writer of the same item can make the reported figure differ from DynamoDB's; the write itself is
 * unaffected. Thread-safe.
 */
final class WriteOperations {
  private static final List<String> METRICS = List.of("SIZE", "NONE");
  private static final List<String> RETURN_VALUES =
      List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
  static final List<String> ON_FAILURE = List.of("ALL_OLD", "NONE");

  private final ServiceContext ctx;

  WriteOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("PutItem", this::putItem);
    ops.put("DeleteItem", this::deleteItem);
    ops.put("UpdateItem", this::updateItem);
  }

  /** ReturnValuesOnConditionCheckFailure as the engine's enum (null: NONE). */
  static ReturnValuesOnConditionCheckFailure onFailure(String value) {
    return "ALL_OLD".equals(value)
        ? ReturnValuesOnConditionCheckFailure.ALL_OLD
        : ReturnValuesOnConditionCheckFailure.NONE;
  }

  /**
   * The parameters PutItem and DeleteItem share, read and checked in DynamoDB's order (after the
   * request's Item or Key was read, before it is decoded).
   */
  private record PutOrDelete(
      String returnValues, String capacity, String failure, String condition) {
    static PutOrDelete of(DynamoRequest r) {
      String returnValues = r.enumValue("ReturnValues", RETURN_VALUES);
      String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
      r.enumValue("ReturnItemCollectionMetrics", METRICS);
      String failure = r.enumValue("ReturnValuesOnConditionCheckFailure", ON_FAILURE);
      String condition = r.string("ConditionExpression");
      r.validate();
      RequestExpressions.checkParameters(r, List.of("ConditionExpression"), List.of("Expected"));
      RequestExpressions.refuseLegacy(r, "Expected", "ConditionExpression");
      RequestExpressions.refuseLegacy(r, "ConditionalOperator", "ConditionExpression");
      if (returnValues != null && !returnValues.equals("NONE") && !returnValues.equals("ALL_OLD")) {
        throw DynamoError.validation("ReturnValues can only be ALL_OLD or NONE");
      }
      return new PutOrDelete(returnValues, capacity, failure, condition);
    }

    boolean allOld() {
      return "ALL_OLD".equals(returnValues);
    }

    /** What to ask the engine for: the old item when the caller or the capacity needs it. */
    ReturnValue engineReturnValues() {
      return allOld() || ItemOperations.wantsCapacity(capacity)
          ? ReturnValue.ALL_OLD
          : ReturnValue.NONE;
    }

    /** The response, with the old item when ALL_OLD was asked and there was one. */
    ObjectNode response(Item old) {
      ObjectNode out = ServiceContext.NODES.objectNode();
      if (allOld() && old != null) {
        out.set("Attributes", AttributeJson.json(old));
      }
      return out;
    }
  }

  ObjectNode putItem(DynamoRequest r) {
    String name = r.tableName("TableName");
    JsonNode itemJson = r.object("Item");
    r.requireNonNull(itemJson, "Item");
    PutOrDelete p = PutOrDelete.of(r);
    Item item = AttributeJson.item(itemJson);
    Expressions e = RequestExpressions.builder(r).conditionExpression(p.condition).build();
    Table table = ctx.dataTable(name);
    Item old =
        table
            .putItem(
                PutItemRequest.builder()
                    .item(item)
                    .condition(e.conditionExpression().orElse(null))
                    .returnValues(p.engineReturnValues())
                    .returnValuesOnConditionCheckFailure(onFailure(p.failure))
                    .build())
            .attributes()
            .orElse(null);
    ObjectNode out = p.response(old);
    long bytes =
        Math.max(CapacityUnits.itemSize(item), old == null ? 0 : CapacityUnits.itemSize(old));
    ItemOperations.putCapacity(out, p.capacity, name, CapacityUnits.writeUnits(bytes));
    return out;
  }

  ObjectNode deleteItem(DynamoRequest r) {
    String name = r.tableName("TableName");
    JsonNode keyJson = r.object("Key");
    r.requireNonNull(keyJson, "Key");
    PutOrDelete p = PutOrDelete.of(r);
    Expressions e = RequestExpressions.builder(r).conditionExpression(p.condition).build();
    Table table = ctx.dataTable(name);
    Key key = AttributeJson.key(keyJson, table.keySchema());
    Item old =
        table
            .deleteItem(
                DeleteItemRequest.builder()
                    .key(key)
                    .condition(e.conditionExpression().orElse(null))
                    .returnValues(p.engineReturnValues())
                    .returnValuesOnConditionCheckFailure(onFailure(p.failure))
                    .build())
            .attributes()
            .orElse(null);
    ObjectNode out = p.response(old);
    ItemOperations.putCapacity(
        out,
        p.capacity,
        name,
        CapacityUnits.writeUnits(old == null ? 0 : CapacityUnits.itemSize(old)));
    return out;
  }

  ObjectNode updateItem(DynamoRequest r) {
    String name = r.tableName("TableName");
    JsonNode keyJson = r.object("Key");
    r.requireNonNull(keyJson, "Key");
    String returnValues = r.enumValue("ReturnValues", RETURN_VALUES);
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    r.enumValue("ReturnItemCollectionMetrics", METRICS);
    String failure = r.enumValue("ReturnValuesOnConditionCheckFailure", ON_FAILURE);
    String update = r.string("UpdateExpression");
    String condition = r.string("ConditionExpression");
    r.validate();
    RequestExpressions.checkParameters(
        r,
        List.of("UpdateExpression", "ConditionExpression"),
        List.of("AttributeUpdates", "Expected"));
    RequestExpressions.refuseLegacy(r, "AttributeUpdates", "UpdateExpression");
    RequestExpressions.refuseLegacy(r, "Expected", "ConditionExpression");
    RequestExpressions.refuseLegacy(r, "ConditionalOperator", "ConditionExpression");
    Expressions e =
        RequestExpressions.builder(r)
            .updateExpression(update)
            .conditionExpression(condition)
            .build();
    Table table = ctx.dataTable(name);
    Key key = AttributeJson.key(keyJson, table.keySchema());
    ReturnValue asked = returnValues == null ? ReturnValue.NONE : ReturnValue.valueOf(returnValues);
    boolean capacityWanted = ItemOperations.wantsCapacity(capacity);
    ReturnValue engineAsk =
        capacityWanted && asked == ReturnValue.NONE ? ReturnValue.ALL_NEW : asked;
    Optional<Item> before =
        capacityWanted && engineAsk != ReturnValue.ALL_OLD ? table.getItem(key) : null;
    Item returned =
        table
            .updateItem(
                UpdateItemRequest.builder()
                    .key(key)
                    .update(e.updateExpression().orElse(null))
                    .condition(e.conditionExpression().orElse(null))
                    .returnValues(engineAsk)
                    .returnValuesOnConditionCheckFailure(onFailure(failure))
                    .build())
            .attributes()
            .orElse(null);
    ObjectNode out = ServiceContext.NODES.objectNode();
    if (asked != ReturnValue.NONE && returned != null && !returned.attributes().isEmpty()) {
      out.set("Attributes", AttributeJson.json(returned));
    }
    if (capacityWanted) {
      long old =
          engineAsk == ReturnValue.ALL_OLD
              ? size(returned)
              : before.map(CapacityUnits::itemSize).orElse(0L);
      long now =
          engineAsk == ReturnValue.ALL_NEW
              ? size(returned)
              : table.getItem(key).map(CapacityUnits::itemSize).orElse(0L);
      ItemOperations.putCapacity(out, capacity, name, CapacityUnits.writeUnits(Math.max(old, now)));
    }
    return out;
  }

  private static long size(Item item) {
    return item == null ? 0 : CapacityUnits.itemSize(item);
  }
}
