package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Condition;
import dev.coffer.Expressions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.Projection;
import dev.coffer.Query;
import dev.coffer.QueryRequest;
import dev.coffer.Scan;
import dev.coffer.ScanRequest;
import dev.coffer.Select;
import dev.coffer.Table;
import dev.coffer.server.CapacityUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Query (key conditions in the expression form or the legacy {@code KeyConditions} form) and Scan
 * (parallel segments), with Limit, ExclusiveStartKey / LastEvaluatedKey paging, Select,
 * FilterExpression, projections and consumed capacity (the items read, summed, in 4 KB units,
 * halved when eventually consistent), all by the engine's {@link QueryRequest} and {@link
 * ScanRequest}. The legacy QueryFilter, ScanFilter and ConditionalOperator are refused with a
 * ValidationException naming FilterExpression; secondary indexes are refused (Coffer has none).
 * Thread-safe.
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
  private record Common(
      String table,
      Integer limit,
      String select,
      String capacity,
      boolean consistent,
      JsonNode exclusiveStartKey,
      List<String> attributesToGet) {}

  private static Common common(DynamoRequest r) {
    String name = r.tableName("TableName");
    Integer limit = r.integer("Limit", 1, Integer.MAX_VALUE);
    String select = r.enumValue("Select", SELECT);
    String capacity = r.enumValue("ReturnConsumedCapacity", ItemOperations.CAPACITY);
    Boolean consistent = r.bool("ConsistentRead");
    JsonNode start = r.object("ExclusiveStartKey");
    List<String> attributesToGet = ItemOperations.attributesToGet(r);
    return new Common(
        name, limit, select, capacity, Boolean.TRUE.equals(consistent), start, attributesToGet);
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
      throw DynamoError.validation(
          "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    }
    if ("SPECIFIC_ATTRIBUTES".equals(select) && !projected) {
      throw DynamoError.validation(
          "Must specify the AttributesToGet or ProjectionExpression when choosing to get"
              + " SPECIFIC_ATTRIBUTES");
    }
    if (projected && select != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
      throw DynamoError.validation(
          "Cannot specify the AttributesToGet or ProjectionExpression when choosing to get "
              + select);
    }
  }

  /** Select as the engine's enum (ALL_PROJECTED_ATTRIBUTES was refused by {@link #checkSelect}). */
  private static Select select(String select) {
    return select == null ? null : Select.valueOf(select);
  }

  ObjectNode query(DynamoRequest r) {
    Common c = common(r);
    Boolean forward = r.bool("ScanIndexForward");
    String expression = r.string("KeyConditionExpression");
    JsonNode legacy = r.object("KeyConditions");
    String filter = r.string("FilterExpression");
    r.validate();
    List<String> nonExpression =
        new ArrayList<>(List.of("AttributesToGet", "QueryFilter", "ConditionalOperator"));
    if (legacy == null || expression != null) {
      nonExpression.add("KeyConditions");
    }
    RequestExpressions.checkParameters(
        r,
        List.of("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
        nonExpression);
    RequestExpressions.refuseLegacy(r, "QueryFilter", "FilterExpression");
    RequestExpressions.refuseLegacy(r, "ConditionalOperator", "FilterExpression");
    checkIndex(r);
    if (expression == null && legacy == null) {
      throw DynamoError.validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified"
              + " in the request.");
    }
    Table table = ctx.dataTable(c.table());
    KeySchema schema = table.keySchema();
    Query query;
    Projection projection;
    Condition condition = null;
    if (expression != null) {
      Expressions e =
          RequestExpressions.builder(r)
              .keyConditionExpression(expression)
              .filterExpression(filter)
              .projectionExpression(r.string("ProjectionExpression"))
              .build();
      projection = e.projectionExpression().orElse(null);
      condition = e.filterExpression().orElse(null);
      query = e.keyCondition(schema);
    } else {
      projection =
          c.attributesToGet() == null ? null : RequestExpressions.attributes(c.attributesToGet());
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
    Page page =
        table.query(
            QueryRequest.builder()
                .query(query)
                .filter(condition)
                .projection(projection)
                .select(select(c.select()))
                .consistentRead(c.consistent())
                .build());
    boolean whole = condition == null && projection == null && !"COUNT".equals(c.select());
    Query unshaped = query;
    return page(table, c, page, whole, n -> table.query(unshaped.limit(n)).items());
  }

  ObjectNode scan(DynamoRequest r) {
    Common c = common(r);
    Integer segment = r.integer("Segment", 0, 999_999);
    Integer totalSegments = r.integer("TotalSegments", 1, 1_000_000);
    String filter = r.string("FilterExpression");
    r.validate();
    RequestExpressions.checkParameters(
        r,
        List.of("ProjectionExpression", "FilterExpression"),
        List.of("AttributesToGet", "ScanFilter", "ConditionalOperator"));
    RequestExpressions.refuseLegacy(r, "ScanFilter", "FilterExpression");
    RequestExpressions.refuseLegacy(r, "ConditionalOperator", "FilterExpression");
    checkIndex(r);
    if (segment != null && totalSegments == null) {
      throw DynamoError.validation(
          "The TotalSegments parameter is required but was not present in the request when"
              + " Segment parameter is present");
    }
    if (totalSegments != null && segment == null) {
      throw DynamoError.validation(
          "The Segment parameter is required but was not present in the request when"
              + " parameter TotalSegments is present");
    }
    if (segment != null && segment >= totalSegments) {
      throw DynamoError.validation(
          "The Segment parameter is zero-based and must be less than parameter"
              + " TotalSegments: Segment: "
              + segment
              + " is not less than TotalSegments: "
              + totalSegments);
    }
    Projection projection;
    Condition condition;
    if (c.attributesToGet() != null) {
      projection = RequestExpressions.attributes(c.attributesToGet());
      condition = null;
    } else {
      Expressions e =
          RequestExpressions.builder(r)
              .filterExpression(filter)
              .projectionExpression(r.string("ProjectionExpression"))
              .build();
      projection = e.projectionExpression().orElse(null);
      condition = e.filterExpression().orElse(null);
    }
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
    Page page =
        table.scan(
            ScanRequest.builder()
                .scan(scan)
                .filter(condition)
                .projection(projection)
                .select(select(c.select()))
                .consistentRead(c.consistent())
                .build());
    boolean whole = condition == null && projection == null && !"COUNT".equals(c.select());
    Scan unshaped = scan;
    return page(table, c, page, whole, n -> table.scan(unshaped.limit(n)).items());
  }

  /**
   * The response of one page. {@code whole}: the page's items are the items read (no filter,
   * projection or COUNT); otherwise {@code reread} reads the first N items of the same page again,
   * whole, for what only they tell: their size (consumed capacity counts the items READ, before the
   * filter and projection, as DynamoDB does) and the last one's key. It is called only when
   * capacity is asked for or that key is needed; a concurrent writer can change what it sees, which
   * can change the capacity figure, never the items returned.
   */
  private static ObjectNode page(
      Table table, Common c, Page page, boolean whole, IntFunction<List<Item>> reread) {
    ObjectNode out = ServiceContext.NODES.objectNode();
    if (!"COUNT".equals(c.select())) {
      ArrayNode items = out.putArray("Items");
      for (Item i : page.items()) {
        items.add(AttributeJson.json(i));
      }
    }
    out.put("Count", page.count());
    out.put("ScannedCount", page.scannedCount());
    Key last = page.lastEvaluatedKey().orElse(null);
    boolean limitReached =
        last == null
            && c.limit() != null
            && page.scannedCount() == c.limit()
            && page.scannedCount() > 0;
    List<Item> read = null;
    if (!whole
        && page.scannedCount() > 0
        && (limitReached || ItemOperations.wantsCapacity(c.capacity()))) {
      read = reread.apply(page.scannedCount());
    }
    List<Item> scanned = whole ? page.items() : read;
    if (limitReached && scanned != null && !scanned.isEmpty()) {
      // DynamoDB returns a LastEvaluatedKey whenever Limit items were read, even when none follow
      // (the next page
      // is then empty); the engine omits it when it knows the end was reached.
      last = table.keySchema().keyOf(scanned.get(scanned.size() - 1));
    }
    if (last != null) {
      out.set("LastEvaluatedKey", AttributeJson.json(last, table.keySchema()));
    }
    long bytes = 0;
    if (scanned != null) {
      for (Item i : scanned) {
        bytes += CapacityUnits.itemSize(i);
      }
    }
    ItemOperations.putCapacity(
        out, c.capacity(), c.table(), CapacityUnits.readUnits(bytes, c.consistent()));
    return out;
  }
}
