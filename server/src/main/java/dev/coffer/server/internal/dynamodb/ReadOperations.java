package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.Projection;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import java.util.List;
import java.util.Map;

/**
 * Query (key conditions in the expression form or the legacy {@code KeyConditions} form) and Scan
 * (parallel segments), with Limit, ExclusiveStartKey / LastEvaluatedKey paging, Select, projections
 * and consumed capacity (the items read, summed, in 4 KB units, halved when eventually
 * consistent). Filters and secondary indexes are refused until the engine has them. Thread-safe.
 */
final class ReadOperations {
  private static final List<String> SELECT =
      List.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

  private final ServiceContext ctx;

  ReadOperations(ServiceContext ctx) {
    this.ctx = ctx;
  }

  void register(Map<String, Operation> ops) {
    ops.put("Query", this::query);
    ops.put("Scan", this::scan);
  }

  /** What Query and Scan share once their own parameters are read. */
  private record Common(String table, Integer limit, String select, String capacity, boolean consistent,
      JsonNode exclusiveStartKey, List<String> attributesToGet) {}

  private static Common common(DynamoRequest r) {
    String name = r.tableName("TableName");
    Integer limit = r.integer("Limit", 1, Integer.MAX_VALUE);
    String select = r.enumValue("Select", SELECT);
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    Boolean consistent = r.bool("ConsistentRead");
    JsonNode start = r.object("ExclusiveStartKey");
    List<String> attributesToGet = ItemOperations.attributesToGet(r);
    return new Common(name, limit, select, capacity, Boolean.TRUE.equals(consistent), start, attributesToGet);
  }

  private static void checkIndex(DynamoRequest r) {
    String index = r.string("IndexName");
    if (index != null) {
      throw DynamoError.validation("The table does not have the specified index: " + index);
    }
  }

  /** Select against the projection, as DynamoDB checks them. */
  private static void checkSelect(String select, boolean projected) {
    if ("ALL_PROJECTED_ATTRIBUTES".equals(select)) {
      throw DynamoError.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    if ("SPECIFIC_ATTRIBUTES".equals(select) && !projected) {
      throw DynamoError.validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get"
          + " SPECIFIC_ATTRIBUTES");
    }
    if (projected && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
      throw DynamoError.validation("Cannot specify the AttributesToGet or ProjectionExpression when choosing to get "
          + select);
    }
  }

  ObjectNode query(DynamoRequest r) {
    Common c = common(r);
    Boolean forward = r.bool("ScanIndexForward");
    String expression = r.string("KeyConditionExpression");
    JsonNode legacy = r.object("KeyConditions");
    r.validate();
    r.unsupported("FilterExpression", "QueryFilter", "ConditionalOperator");
    checkIndex(r);
    if (expression != null && legacy != null) {
      throw DynamoError.validation("Can not use both expression and non-expression parameters in the same request:"
          + " Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}");
    }
    if (expression == null && legacy == null) {
      throw DynamoError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified"
          + " in the request.");
    }
    if (legacy != null && r.string("ProjectionExpression") != null) {
      throw DynamoError.validation("Can not use both expression and non-expression parameters in the same request:"
          + " Non-expression parameters: {KeyConditions} Expression parameters: {ProjectionExpression}");
    }
    Table table = ctx.dataTable(c.table());
    KeySchema schema = table.keySchema();
    Query query;
    Projection projection;
    if (expression != null) {
      if (c.attributesToGet() != null) {
        throw DynamoError.validation("Can not use both expression and non-expression parameters in the same request:"
            + " Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}");
      }
      Expressions e = RequestExpressions.builder(r).keyConditionExpression(expression)
          .projectionExpression(r.string("ProjectionExpression")).build();
      projection = e.projectionExpression().orElse(null);
      query = e.keyCondition(schema);
    } else {
      if (r.has("ExpressionAttributeNames") || r.has("ExpressionAttributeValues")) {
        throw DynamoError.validation("ExpressionAttributeNames and ExpressionAttributeValues can only be specified"
            + " when using expressions");
      }
      projection = c.attributesToGet() == null ? null : RequestExpressions.attributes(c.attributesToGet());
      query = RequestExpressions.keyConditions(legacy, schema);
    }
    checkSelect(c.select(), projection != null);
    if (Boolean.FALSE.equals(forward)) {
      query = query.descending();
    }
    if (c.limit() != null) {
      query = query.limit(c.limit());
    }
    if (c.exclusiveStartKey() != null) {
      query = query.exclusiveStartKey(AttributeJson.key(c.exclusiveStartKey(), schema));
    }
    return page(table, c, projection, table.query(query));
  }

  ObjectNode scan(DynamoRequest r) {
    Common c = common(r);
    Integer segment = r.integer("Segment", 0, 999_999);
    Integer totalSegments = r.integer("TotalSegments", 1, 1_000_000);
    r.validate();
    r.unsupported("FilterExpression", "ScanFilter", "ConditionalOperator");
    checkIndex(r);
    if (segment != null && totalSegments == null) {
      throw DynamoError.validation("The TotalSegments parameter is required but was not present in the request when"
          + " Segment parameter is present");
    }
    if (totalSegments != null && segment == null) {
      throw DynamoError.validation("The Segment parameter is required but was not present in the request when"
          + " parameter TotalSegments is present");
    }
    if (segment != null && segment >= totalSegments) {
      throw DynamoError.validation("The Segment parameter is zero-based and must be less than parameter"
          + " TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
    }
    Projection projection = ItemOperations.projection(r, c.attributesToGet());
    checkSelect(c.select(), projection != null);
    Table table = ctx.dataTable(c.table());
    Scan scan = Scan.all();
    if (segment != null) {
      scan = scan.segment(segment, totalSegments);
    }
    if (c.limit() != null) {
      scan = scan.limit(c.limit());
    }
    if (c.exclusiveStartKey() != null) {
      scan = scan.exclusiveStartKey(AttributeJson.key(c.exclusiveStartKey(), table.keySchema()));
    }
    return page(table, c, projection, table.scan(scan));
  }

  private static ObjectNode page(Table table, Common c, Projection projection, Page page) {
    ObjectNode out = ServiceContext.NODES.objectNode();
    long bytes = 0;
    boolean count = "COUNT".equals(c.select());
    ArrayNode items = count ? null : out.putArray("Items");
    for (Item i : page.items()) {
      bytes += ItemSizes.size(i);
      if (items != null) {
        items.add(AttributeJson.json(projection == null ? i : projection.apply(i)));
      }
    }
    out.put("Count", page.count());
    out.put("ScannedCount", page.scannedCount());
    Key last = page.lastEvaluatedKey().orElse(null);
    if (last == null && c.limit() != null && page.scannedCount() == c.limit() && !page.items().isEmpty()) {
      // DynamoDB returns a LastEvaluatedKey whenever Limit items were read, even when none follow (the next page
      // is then empty); the engine omits it when it knows the end was reached.
      last = table.keySchema().keyOf(page.items().get(page.items().size() - 1));
    }
    if (last != null) {
      out.set("LastEvaluatedKey", AttributeJson.json(last, table.keySchema()));
    }
    ItemOperations.putCapacity(out, c.capacity(), c.table(), ItemSizes.readUnits(bytes, c.consistent()));
    return out;
  }
}
