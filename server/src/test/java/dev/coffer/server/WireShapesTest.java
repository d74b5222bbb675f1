package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.RawClient.Call;
import dev.coffer.server.RawClient.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every served operation's response, and every error type, checked member by member against the
 * DynamoDB API reference (Amazon DynamoDB API Reference, 2012-08-10: the "Response Elements" of
 * each action, the TableDescription, ConsumedCapacity and TimeToLiveDescription data types, and
 * "Common Errors"): no member the reference does not define, every member the response needs, each
 * with its JSON type; the {@code x-amz-crc32} header equal to the CRC32 of the body; {@code
 * x-amzn-RequestId} and {@code Content-Type} on every answer.
 */
class WireShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** TableDescription's members in the API reference. */
  private static final Set<String> TABLE_DESCRIPTION =
      Set.of(
          "ArchivalSummary",
          "AttributeDefinitions",
          "BillingModeSummary",
          "CreationDateTime",
          "DeletionProtectionEnabled",
          "GlobalSecondaryIndexes",
          "GlobalTableVersion",
          "GlobalTableWitnesses",
          "ItemCount",
          "KeySchema",
          "LatestStreamArn",
          "LatestStreamLabel",
          "LocalSecondaryIndexes",
          "MultiRegionConsistency",
          "OnDemandThroughput",
          "ProvisionedThroughput",
          "Replicas",
          "RestoreSummary",
          "SSEDescription",
          "StreamSpecification",
          "TableArn",
          "TableClassSummary",
          "TableId",
          "TableName",
          "TableSizeBytes",
          "TableStatus",
          "WarmThroughput");

  private static final Set<String> PROVISIONED_THROUGHPUT =
      Set.of(
          "LastDecreaseDateTime",
          "LastIncreaseDateTime",
          "NumberOfDecreasesToday",
          "ReadCapacityUnits",
          "WriteCapacityUnits");
  private static final Set<String> CONSUMED_CAPACITY =
      Set.of(
          "CapacityUnits",
          "GlobalSecondaryIndexes",
          "LocalSecondaryIndexes",
          "ReadCapacityUnits",
          "Table",
          "TableName",
          "WriteCapacityUnits");

  @TempDir Path dir;

  private ServeFixture serve;
  private final List<String> checked = new ArrayList<>();

  @BeforeEach
  void start() {
    serve = ServeFixture.start(dir);
  }

  @AfterEach
  void stop() {
    serve.close();
  }

  private JsonNode ok(String operation, String body) throws Exception {
    Reply r = RawClient.send(serve.endpoint(), Call.dynamo(operation, body));
    assertThat(r.status()).as(operation + ": " + r.text()).isEqualTo(200);
    return checkedBody(r);
  }

  private static JsonNode checkedBody(Reply r) throws Exception {
    assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.0");
    assertThat(r.header("x-amzn-RequestId")).matches("[A-Z0-9]{52}");
    CRC32 crc = new CRC32();
    crc.update(r.body());
    assertThat(r.header("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    return JSON.readTree(r.body());
  }

  private static void members(JsonNode n, Set<String> allowed, String... required) {
    assertThat(n.isObject()).isTrue();
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    assertThat(allowed).as("members of " + n).containsAll(names);
    assertThat(names).contains(required);
  }

  private static void tableDescription(JsonNode t, String status) {
    members(
        t,
        TABLE_DESCRIPTION,
        "AttributeDefinitions",
        "TableName",
        "KeySchema",
        "TableStatus",
        "CreationDateTime",
        "ProvisionedThroughput",
        "TableSizeBytes",
        "ItemCount",
        "TableArn",
        "TableId");
    assertThat(t.get("TableStatus").asText()).isEqualTo(status);
    assertThat(t.get("CreationDateTime").isNumber()).isTrue();
    assertThat(t.get("TableSizeBytes").isIntegralNumber()).isTrue();
    assertThat(t.get("ItemCount").isIntegralNumber()).isTrue();
    assertThat(t.get("TableId").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    for (JsonNode k : t.get("KeySchema")) {
      members(k, Set.of("AttributeName", "KeyType"), "AttributeName", "KeyType");
    }
    for (JsonNode d : t.get("AttributeDefinitions")) {
      members(d, Set.of("AttributeName", "AttributeType"), "AttributeName", "AttributeType");
    }
    members(
        t.get("ProvisionedThroughput"),
        PROVISIONED_THROUGHPUT,
        "NumberOfDecreasesToday",
        "ReadCapacityUnits",
        "WriteCapacityUnits");
    if (t.has("BillingModeSummary")) {
      members(
          t.get("BillingModeSummary"),
          Set.of("BillingMode", "LastUpdateToPayPerRequestDateTime"),
          "BillingMode");
    }
  }

  private static void capacity(JsonNode c, boolean indexes) {
    members(c, CONSUMED_CAPACITY, "TableName", "CapacityUnits");
    assertThat(c.get("CapacityUnits").isNumber()).isTrue();
    if (indexes) {
      members(
          c.get("Table"),
          Set.of("CapacityUnits", "ReadCapacityUnits", "WriteCapacityUnits"),
          "CapacityUnits");
    } else {
      assertThat(c.has("Table")).isFalse();
    }
  }

  @Test
  void everyOperationsResponseHasTheReferenceShape() throws Exception {
    JsonNode created =
        ok(
            "CreateTable",
            """
        {"TableName": "Shapes", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
          {"AttributeName": "sk", "AttributeType": "N"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
         "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}""");
    members(created, Set.of("TableDescription"), "TableDescription");
    tableDescription(created.get("TableDescription"), "ACTIVE");

    JsonNode described = ok("DescribeTable", "{\"TableName\": \"Shapes\"}");
    members(described, Set.of("Table"), "Table");
    tableDescription(described.get("Table"), "ACTIVE");

    JsonNode listed = ok("ListTables", "{\"Limit\": 1}");
    members(listed, Set.of("TableNames", "LastEvaluatedTableName"), "TableNames");
    assertThat(listed.get("TableNames").isArray()).isTrue();

    JsonNode updated =
        ok(
            "UpdateTable",
            """
        {"TableName": "Shapes", "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}}""");
    members(updated, Set.of("TableDescription"), "TableDescription");
    tableDescription(updated.get("TableDescription"), "ACTIVE");
    assertThat(
            updated.at("/TableDescription/ProvisionedThroughput/LastIncreaseDateTime").isNumber())
        .isTrue();

    JsonNode ttl = ok("DescribeTimeToLive", "{\"TableName\": \"Shapes\"}");
    members(ttl, Set.of("TimeToLiveDescription"), "TimeToLiveDescription");
    members(
        ttl.get("TimeToLiveDescription"),
        Set.of("AttributeName", "TimeToLiveStatus"),
        "TimeToLiveStatus");

    String item =
        "{\"pk\": {\"S\": \"a\"}, \"sk\": {\"N\": \"1\"}, \"b\": {\"B\": \"aGk=\"}, \"l\": {\"L\": [{\"NULL\":"
            + " true}, {\"BOOL\": false}]}, \"m\": {\"M\": {\"ns\": {\"NS\": [\"2\", \"1\"]}}}, \"ss\": {\"SS\": [\"x\"]}}";
    JsonNode put =
        ok(
            "PutItem",
            "{\"TableName\": \"Shapes\", \"Item\": "
                + item
                + ", \"ReturnConsumedCapacity\":"
                + " \"TOTAL\"}");
    members(
        put, Set.of("Attributes", "ConsumedCapacity", "ItemCollectionMetrics"), "ConsumedCapacity");
    capacity(put.get("ConsumedCapacity"), false);
    JsonNode putOld =
        ok(
            "PutItem",
            "{\"TableName\": \"Shapes\", \"Item\": " + item + ", \"ReturnValues\": \"ALL_OLD\"}");
    members(
        putOld, Set.of("Attributes", "ConsumedCapacity", "ItemCollectionMetrics"), "Attributes");
    assertThat(putOld.get("Attributes"))
        .isEqualTo(JSON.readTree(item.replace("[\"2\", \"1\"]", "[\"1\", \"2\"]")));
    assertThat(
            ok(
                "PutItem",
                "{\"TableName\": \"Shapes\", \"Item\": {\"pk\": {\"S\": \"z\"}, \"sk\": {\"N\": \"0\"}}}"))
        .isEqualTo(JSON.readTree("{}"));

    String key = "{\"pk\": {\"S\": \"a\"}, \"sk\": {\"N\": \"1\"}}";
    JsonNode got =
        ok(
            "GetItem",
            "{\"TableName\": \"Shapes\", \"Key\": "
                + key
                + ", \"ReturnConsumedCapacity\": \"INDEXES\"}");
    members(got, Set.of("Item", "ConsumedCapacity"), "Item", "ConsumedCapacity");
    capacity(got.get("ConsumedCapacity"), true);
    members(
        ok(
            "GetItem",
            "{\"TableName\": \"Shapes\", \"Key\": {\"pk\": {\"S\": \"none\"}, \"sk\": {\"N\": \"1\"}}}"),
        Set.of("Item", "ConsumedCapacity"));

    for (String op : List.of("Query", "Scan")) {
      String body =
          op.equals("Query")
              ? "{\"TableName\": \"Shapes\", \"KeyConditionExpression\": \"pk = :p\", \"ExpressionAttributeValues\":"
                  + " {\":p\": {\"S\": \"a\"}}, \"Limit\": 1, \"ReturnConsumedCapacity\": \"TOTAL\"}"
              : "{\"TableName\": \"Shapes\", \"Limit\": 1, \"ReturnConsumedCapacity\": \"TOTAL\"}";
      JsonNode page = ok(op, body);
      members(
          page,
          Set.of("Items", "Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"),
          "Items",
          "Count",
          "ScannedCount",
          "LastEvaluatedKey",
          "ConsumedCapacity");
      assertThat(page.get("Count").isIntegralNumber()).isTrue();
      capacity(page.get("ConsumedCapacity"), false);
      JsonNode count = ok(op, body.replace("\"Limit\": 1", "\"Select\": \"COUNT\""));
      members(
          count,
          Set.of("Count", "ScannedCount", "LastEvaluatedKey", "ConsumedCapacity"),
          "Count",
          "ScannedCount");
    }

    JsonNode batch =
        ok(
            "BatchGetItem",
            "{\"RequestItems\": {\"Shapes\": {\"Keys\": ["
                + key
                + "]}},"
                + " \"ReturnConsumedCapacity\": \"TOTAL\"}");
    members(
        batch,
        Set.of("Responses", "UnprocessedKeys", "ConsumedCapacity"),
        "Responses",
        "UnprocessedKeys");
    assertThat(batch.get("ConsumedCapacity").isArray()).isTrue();
    capacity(batch.get("ConsumedCapacity").get(0), false);

    JsonNode deleted =
        ok(
            "DeleteItem",
            "{\"TableName\": \"Shapes\", \"Key\": "
                + key
                + ", \"ReturnValues\": \"ALL_OLD\", \"ReturnConsumedCapacity\": \"TOTAL\"}");
    members(
        deleted,
        Set.of("Attributes", "ConsumedCapacity", "ItemCollectionMetrics"),
        "Attributes",
        "ConsumedCapacity");

    JsonNode dropped = ok("DeleteTable", "{\"TableName\": \"Shapes\"}");
    members(dropped, Set.of("TableDescription"), "TableDescription");
    tableDescription(dropped.get("TableDescription"), "DELETING");
  }

  private void error(Call call, int status, String type) throws Exception {
    Reply r = RawClient.send(serve.endpoint(), call);
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    JsonNode body = checkedBody(r);
    members(body, Set.of("__type", "message", "Message"), "__type");
    assertThat(body.get("__type").asText()).isEqualTo(type);
    if (!type.endsWith("UnknownOperationException")) {
      assertThat(body.has("message") || body.has("Message")).isTrue();
    }
    checked.add(type);
  }

  @Test
  void everyErrorTypeHasTheReferenceShape() throws Exception {
    ok(
        "CreateTable",
        """
        {"TableName": "Errs", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}""");
    error(
        Call.dynamo("GetItem", "{\"TableName\": \"Errs\", \"Key\": {}}"),
        400,
        "com.amazon.coral.validate#ValidationException");
    error(
        Call.dynamo("GetItem", "{\"TableName\": \"Gone\", \"Key\": {\"pk\": {\"S\": \"a\"}}}"),
        400,
        "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    error(
        Call.dynamo(
            "CreateTable",
            """
        {"TableName": "Errs", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
         "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}"""),
        400,
        "com.amazonaws.dynamodb.v20120810#ResourceInUseException");
    error(
        Call.dynamo("GetItem", "{\"TableName\": \"Errs\", \"Key\": {\"pk\": {\"S\": \"a\"}}}")
            .as("bob"),
        400,
        "com.amazon.coral.service#AccessDeniedException");
    error(
        Call.dynamo("ListTables", "{}").withAccessKey("AKIAUNKNOWN"),
        400,
        "com.amazon.coral.service#UnrecognizedClientException");
    error(
        Call.dynamo("ListTables", "{}").withSecret("bad"),
        400,
        "com.amazon.coral.service#InvalidSignatureException");
    error(
        Call.dynamo("ListTables", "{}").targetUnsigned(),
        400,
        "com.amazon.coral.service#IncompleteSignatureException");
    error(Call.dynamo("ListTables", "{,}"), 400, "com.amazon.coral.service#SerializationException");
    error(
        Call.dynamo("NoSuchOperation", "{}"),
        400,
        "com.amazon.coral.service#UnknownOperationException");
    Reply unsigned =
        RawClient.unsigned(
            serve.endpoint(),
            "POST",
            Map.of(
                "Content-Type",
                "application/x-amz-json-1.0",
                "X-Amz-Target",
                "DynamoDB_20120810.ListTables"),
            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(checkedBody(unsigned).get("__type").asText())
        .isEqualTo("com.amazon.coral.service#MissingAuthenticationTokenException");
    assertThat(checked).hasSize(9);
  }
}
