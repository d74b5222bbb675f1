package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.server.RawClient.Call;
import dev.coffer.server.RawClient.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The data plane on the wire (UpdateItem, conditional PutItem/DeleteItem, filtered Query/Scan with
 * Select, BatchWriteItem, TransactWriteItems, TransactGetItems), through the SDK's {@link
 * DynamoDbClient} for the semantics and raw signed requests for the JSON shapes the SDK would hide:
 * {@code Item} on ConditionalCheckFailedException, {@code Message} and {@code CancellationReasons}
 * on TransactionCanceledException, {@code UnprocessedItems: {}}, consumed capacity (transactions
 * twice the units), the legacy parameters refused, and AccessDenied for a principal the key
 * refuses.
 */
class DataPlaneWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private ServeFixture serve;
  private DynamoDbClient ddb;

  @BeforeEach
  void start() {
    serve = ServeFixture.start(dir);
    ddb = serve.dynamo();
    ddb.createTable(
        b ->
            b.tableName("Accounts")
                .attributeDefinitions(
                    DynamoDbOperationsTest.def("id", ScalarAttributeType.S),
                    DynamoDbOperationsTest.def("sk", ScalarAttributeType.N))
                .keySchema(
                    DynamoDbOperationsTest.key("id", KeyType.HASH),
                    DynamoDbOperationsTest.key("sk", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  @AfterEach
  void stop() {
    ddb.close();
    serve.close();
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static Map<String, AttributeValue> key(String id, long sk) {
    return Map.of("id", s(id), "sk", n(sk));
  }

  private static Map<String, AttributeValue> item(String id, long sk, Object... kv) {
    Map<String, AttributeValue> m = new LinkedHashMap<>(key(id, sk));
    for (int i = 0; i < kv.length; i += 2) {
      m.put(
          (String) kv[i], kv[i + 1] instanceof Number x ? n(x.longValue()) : s((String) kv[i + 1]));
    }
    return m;
  }

  private JsonNode raw(int status, String operation, String body) throws Exception {
    Reply r = RawClient.send(serve.endpoint(), Call.dynamo(operation, body));
    assertThat(r.status()).as(operation + ": " + r.text()).isEqualTo(status);
    CRC32 crc = new CRC32();
    crc.update(r.body());
    assertThat(r.header("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    return JSON.readTree(r.body());
  }

  private static void members(JsonNode n, String... names) {
    List<String> got = new ArrayList<>();
    n.fieldNames().forEachRemaining(got::add);
    assertThat(got).as(n.toString()).containsExactlyInAnyOrder(names);
  }

  private static String code(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (DynamoDbException e) {
      return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }
  }

  @Test
  void updateItemAnswersEveryReturnValues() {
    var none =
        ddb.updateItem(
            b ->
                b.tableName("Accounts")
                    .key(key("a", 1))
                    .updateExpression("SET balance = :v")
                    .expressionAttributeValues(Map.of(":v", n(10))));
    assertThat(none.hasAttributes()).isFalse();
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("a", 1))).item())
        .isEqualTo(item("a", 1, "balance", 10));
    ddb.updateItem(
        b ->
            b.tableName("Accounts")
                .key(key("a", 1))
                .updateExpression("SET #o = :o")
                .expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("ann"))));

    var allOld =
        ddb.updateItem(
            b ->
                b.tableName("Accounts")
                    .key(key("a", 1))
                    .updateExpression("ADD balance :d")
                    .expressionAttributeValues(Map.of(":d", n(5)))
                    .returnValues(ReturnValue.ALL_OLD));
    assertThat(allOld.attributes()).isEqualTo(item("a", 1, "balance", 10, "owner", "ann"));
    var updatedOld =
        ddb.updateItem(
            b ->
                b.tableName("Accounts")
                    .key(key("a", 1))
                    .updateExpression("ADD balance :d")
                    .expressionAttributeValues(Map.of(":d", n(5)))
                    .returnValues(ReturnValue.UPDATED_OLD));
    assertThat(updatedOld.attributes()).isEqualTo(Map.of("balance", n(15)));
    var allNew =
        ddb.updateItem(
            b ->
                b.tableName("Accounts")
                    .key(key("a", 1))
                    .updateExpression("SET balance = balance - :d")
                    .expressionAttributeValues(Map.of(":d", n(1)))
                    .returnValues(ReturnValue.ALL_NEW));
    assertThat(allNew.attributes()).isEqualTo(item("a", 1, "balance", 19, "owner", "ann"));
    var updatedNew =
        ddb.updateItem(
            b ->
                b.tableName("Accounts")
                    .key(key("a", 1))
                    .updateExpression("REMOVE #o SET t = :t")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":t", s("x")))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(updatedNew.attributes()).isEqualTo(Map.of("t", s("x")));
    assertThat(updatedNew.consumedCapacity().capacityUnits()).isEqualTo(1.0);

    // a condition that fails: nothing written, the item when asked for
    ConditionalCheckFailedException failed =
        (ConditionalCheckFailedException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ddb.updateItem(
                        b ->
                            b.tableName("Accounts")
                                .key(key("a", 1))
                                .updateExpression("SET balance = :z")
                                .conditionExpression("balance > :min")
                                .expressionAttributeValues(Map.of(":z", n(0), ":min", n(100)))
                                .returnValuesOnConditionCheckFailure(
                                    ReturnValuesOnConditionCheckFailure.ALL_OLD)));
    assertThat(failed.awsErrorDetails().errorMessage()).isEqualTo("The conditional request failed");
    assertThat(failed.item()).isEqualTo(item("a", 1, "balance", 19, "t", "x"));
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("a", 1))).item().get("balance"))
        .isEqualTo(n(19));

    // the engine's validation messages on the wire
    assertThat(
            code(
                () ->
                    ddb.updateItem(
                        b ->
                            b.tableName("Accounts")
                                .key(key("a", 1))
                                .updateExpression("SET id = :v")
                                .expressionAttributeValues(Map.of(":v", s("b"))))))
        .startsWith("ValidationException: ");
    assertThat(
            code(
                () ->
                    ddb.updateItem(
                        b ->
                            b.tableName("Accounts")
                                .key(key("a", 1))
                                .updateExpression("ADD t :v")
                                .expressionAttributeValues(Map.of(":v", n(1))))))
        .startsWith("ValidationException");
    assertThat(
            code(
                () ->
                    ddb.updateItem(
                        b ->
                            b.tableName("Accounts")
                                .key(key("a", 1))
                                .expressionAttributeValues(Map.of(":v", n(1))))))
        .isEqualTo(
            "ValidationException: ExpressionAttributeValues"
                + " can only be specified when using expressions: UpdateExpression and ConditionExpression are null");
  }

  @Test
  void conditionalPutAndDeleteCarryTheItemWhenAsked() throws Exception {
    ddb.putItem(
        b ->
            b.tableName("Accounts")
                .item(item("u", 1, "email", "e@x"))
                .conditionExpression("attribute_not_exists(id)"));
    assertThatThrownBy(
            () ->
                ddb.putItem(
                    b ->
                        b.tableName("Accounts")
                            .item(item("u", 1, "email", "other"))
                            .conditionExpression("attribute_not_exists(id)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("u", 1))).item().get("email"))
        .isEqualTo(s("e@x"));

    JsonNode withItem =
        raw(
            400,
            "PutItem",
            "{\"TableName\": \"Accounts\", \"Item\": {\"id\": {\"S\": \"u\"}, \"sk\":"
                + " {\"N\": \"1\"}}, \"ConditionExpression\": \"attribute_not_exists(id)\","
                + " \"ReturnValuesOnConditionCheckFailure\": \"ALL_OLD\"}");
    members(withItem, "__type", "message", "Item");
    assertThat(withItem.get("__type").asText())
        .isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
    assertThat(withItem.get("message").asText()).isEqualTo("The conditional request failed");
    assertThat(withItem.get("Item"))
        .isEqualTo(
            JSON.readTree(
                "{\"id\": {\"S\": \"u\"}, \"sk\": {\"N\": \"1\"}, \"email\": {\"S\": \"e@x\"}}"));
    JsonNode without =
        raw(
            400,
            "DeleteItem",
            "{\"TableName\": \"Accounts\", \"Key\": {\"id\": {\"S\": \"u\"}, \"sk\":"
                + " {\"N\": \"1\"}}, \"ConditionExpression\": \"email = :e\", \"ExpressionAttributeValues\": {\":e\":"
                + " {\"S\": \"nope\"}}}");
    members(without, "__type", "message");

    var deleted =
        ddb.deleteItem(
            b ->
                b.tableName("Accounts")
                    .key(key("u", 1))
                    .conditionExpression("email = :e")
                    .expressionAttributeValues(Map.of(":e", s("e@x")))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
    assertThat(deleted.attributes()).isEqualTo(item("u", 1, "email", "e@x"));
    assertThat(deleted.consumedCapacity().table().capacityUnits()).isEqualTo(1.0);
    assertThat(
            code(
                () ->
                    ddb.putItem(
                        b ->
                            b.tableName("Accounts")
                                .item(item("u", 2))
                                .expressionAttributeValues(Map.of(":e", s("x"))))))
        .isEqualTo(
            "ValidationException: ExpressionAttributeValues"
                + " can only be specified when using expressions: ConditionExpression is null");
    assertThat(
            code(
                () ->
                    ddb.putItem(
                        b ->
                            b.tableName("Accounts")
                                .item(item("u", 2))
                                .returnValues(ReturnValue.ALL_NEW))))
        .isEqualTo("ValidationException: ReturnValues can only be ALL_OLD or NONE");
  }

  @Test
  void filtersSelectAndProjectionOnQueryAndScan() throws Exception {
    for (int i = 0; i < 10; i++) {
      int k = i;
      ddb.putItem(
          b -> b.tableName("Accounts").item(item("q", k, "v", k % 3, "pad", "x".repeat(1000))));
    }
    var q =
        ddb.query(
            b ->
                b.tableName("Accounts")
                    .keyConditionExpression("id = :id")
                    .filterExpression("v = :z")
                    .expressionAttributeValues(Map.of(":id", s("q"), ":z", n(0)))
                    .projectionExpression("sk")
                    .limit(7)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(q.count()).isEqualTo(3); // sk 0, 3, 6
    assertThat(q.scannedCount()).isEqualTo(7);
    assertThat(q.items())
        .containsExactly(Map.of("sk", n(0)), Map.of("sk", n(3)), Map.of("sk", n(6)));
    assertThat(q.lastEvaluatedKey()).isEqualTo(key("q", 6));
    // 7 items of about 1 KB read (before the filter and the projection): 2 units of 4 KB, halved
    assertThat(q.consumedCapacity().capacityUnits()).isEqualTo(1.0);
    var count =
        ddb.scan(
            b ->
                b.tableName("Accounts")
                    .filterExpression("v <> :z")
                    .expressionAttributeValues(Map.of(":z", n(0)))
                    .select(Select.COUNT));
    assertThat(count.count()).isEqualTo(6);
    assertThat(count.scannedCount()).isEqualTo(10);
    assertThat(count.hasItems()).isFalse();
    JsonNode rawCount =
        raw(200, "Scan", "{\"TableName\": \"Accounts\", \"Select\": \"COUNT\", \"Limit\": 2}");
    members(rawCount, "Count", "ScannedCount", "LastEvaluatedKey");
    assertThat(
            code(
                () ->
                    ddb.query(
                        b ->
                            b.tableName("Accounts")
                                .keyConditionExpression("id = :id")
                                .filterExpression("sk > :z")
                                .expressionAttributeValues(Map.of(":id", s("q"), ":z", n(0))))))
        .isEqualTo(
            "ValidationException: Filter Expression can only contain non-primary key attributes: Primary key"
                + " attribute: sk");
    assertThat(
            code(() -> ddb.scan(b -> b.tableName("Accounts").select(Select.SPECIFIC_ATTRIBUTES))))
        .startsWith(
            "ValidationException: Must specify the AttributesToGet or ProjectionExpression");
  }

  @Test
  void batchWriteItem() throws Exception {
    JsonNode ok =
        raw(
            200,
            "BatchWriteItem",
            "{\"RequestItems\": {\"Accounts\": ["
                + "{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"b\"}, \"sk\": {\"N\": \"1\"}}}},"
                + "{\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"b\"}, \"sk\": {\"N\": \"2\"}, \"x\": {\"S\": \"y\"}}}}]},"
                + " \"ReturnConsumedCapacity\": \"TOTAL\"}");
    members(ok, "UnprocessedItems", "ConsumedCapacity");
    assertThat(ok.get("UnprocessedItems")).isEqualTo(JSON.readTree("{}"));
    assertThat(ok.get("ConsumedCapacity"))
        .isEqualTo(JSON.readTree("[{\"TableName\": \"Accounts\", \"CapacityUnits\": 2.0}]"));
    var deleted =
        ddb.batchWriteItem(
            b ->
                b.requestItems(
                    Map.of(
                        "Accounts",
                        List.of(
                            WriteRequest.builder()
                                .deleteRequest(d -> d.key(key("b", 1)))
                                .build()))));
    assertThat(deleted.unprocessedItems()).isEmpty();
    assertThat(ddb.scan(b -> b.tableName("Accounts")).items())
        .containsExactly(item("b", 2, "x", "y"));

    List<WriteRequest> many = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      many.add(
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(item("m", i)).build())
              .build());
    }
    assertThat(code(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("Accounts", many)))))
        .isEqualTo(
            "ValidationException: 1 validation error detected: Value null at 'requestItems.Accounts.member'"
                + " failed to satisfy constraint: Member must have length less than or equal to 25");
    assertThat(
            code(
                () ->
                    ddb.batchWriteItem(
                        b ->
                            b.requestItems(
                                Map.of(
                                    "Accounts",
                                    List.of(
                                        WriteRequest.builder()
                                            .putRequest(p -> p.item(item("d", 1)))
                                            .build(),
                                        WriteRequest.builder()
                                            .deleteRequest(p -> p.key(key("d", 1)))
                                            .build()))))))
        .isEqualTo("ValidationException: Provided list of item keys contains duplicates");
    assertThat(
            code(
                () ->
                    ddb.batchWriteItem(
                        b ->
                            b.requestItems(
                                Map.of(
                                    "Accounts",
                                    List.of(
                                        WriteRequest.builder()
                                            .putRequest(p -> p.item(Map.of("id", s("k"))))
                                            .build()))))))
        .isEqualTo("ValidationException: The provided key element does not match the schema");
    assertThat(
            code(
                () ->
                    ddb.batchWriteItem(
                        b ->
                            b.requestItems(
                                Map.of(
                                    "Nope",
                                    List.of(
                                        WriteRequest.builder()
                                            .putRequest(p -> p.item(item("k", 1)))
                                            .build()))))))
        .isEqualTo("ResourceNotFoundException: Requested resource not found");
    assertThat(
            raw(400, "BatchWriteItem", "{\"RequestItems\": {\"Accounts\": [{}]}}")
                .get("message")
                .asText())
        .isEqualTo(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported"
                + " datatypes");
    assertThat(ddb.scan(b -> b.tableName("Accounts")).count()).isEqualTo(1);
  }

  @Test
  void transactWriteItemsAllOrNothingWithReasons() throws Exception {
    ddb.putItem(b -> b.tableName("Accounts").item(item("t", 1, "balance", 100)));
    ddb.putItem(b -> b.tableName("Accounts").item(item("t", 2, "balance", 0)));
    var done =
        ddb.transactWriteItems(
            b ->
                b.transactItems(
                        TransactWriteItem.builder()
                            .update(
                                Update.builder()
                                    .tableName("Accounts")
                                    .key(key("t", 1))
                                    .updateExpression("SET balance = balance - :a")
                                    .conditionExpression("balance >= :a")
                                    .expressionAttributeValues(Map.of(":a", n(30)))
                                    .build())
                            .build(),
                        TransactWriteItem.builder()
                            .update(
                                Update.builder()
                                    .tableName("Accounts")
                                    .key(key("t", 2))
                                    .updateExpression("SET balance = balance + :a")
                                    .expressionAttributeValues(Map.of(":a", n(30)))
                                    .build())
                            .build(),
                        TransactWriteItem.builder()
                            .put(
                                Put.builder()
                                    .tableName("Accounts")
                                    .item(item("t", 3, "log", "moved 30"))
                                    .conditionExpression("attribute_not_exists(id)")
                                    .build())
                            .build(),
                        TransactWriteItem.builder()
                            .conditionCheck(
                                c ->
                                    c.tableName("Accounts")
                                        .key(key("t", 4))
                                        .conditionExpression("attribute_not_exists(id)"))
                            .build())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    // four actions of items under 1 KB, twice the units each
    assertThat(done.consumedCapacity()).hasSize(1);
    assertThat(done.consumedCapacity().get(0).capacityUnits()).isEqualTo(8.0);
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("t", 1))).item().get("balance"))
        .isEqualTo(n(70));

    String cancelled =
        "{\"TransactItems\": ["
            + "{\"Update\": {\"TableName\": \"Accounts\", \"Key\": {\"id\": {\"S\": \"t\"}, \"sk\": {\"N\": \"2\"}},"
            + " \"UpdateExpression\": \"SET balance = :z\", \"ExpressionAttributeValues\": {\":z\": {\"N\": \"0\"}}}},"
            + "{\"ConditionCheck\": {\"TableName\": \"Accounts\","
            + " \"Key\": {\"id\": {\"S\": \"t\"}, \"sk\": {\"N\": \"1\"}},"
            + " \"ConditionExpression\": \"balance > :m\", \"ExpressionAttributeValues\": {\":m\": {\"N\": \"1000\"}},"
            + " \"ReturnValuesOnConditionCheckFailure\": \"ALL_OLD\"}},"
            + "{\"Delete\": {\"TableName\": \"Accounts\", \"Key\": {\"id\": {\"S\": \"t\"}, \"sk\": {\"N\": \"3\"}},"
            + " \"ConditionExpression\": \"attribute_not_exists(id)\"}}]}";
    JsonNode err = raw(400, "TransactWriteItems", cancelled);
    members(err, "__type", "Message", "CancellationReasons");
    assertThat(err.get("__type").asText())
        .isEqualTo("com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
    assertThat(err.get("Message").asText())
        .isEqualTo(
            "Transaction cancelled, please refer cancellation reasons for"
                + " specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]");
    assertThat(err.get("CancellationReasons"))
        .isEqualTo(
            JSON.readTree(
                "[{\"Code\": \"None\"},"
                    + " {\"Item\": {\"id\": {\"S\": \"t\"}, \"sk\": {\"N\": \"1\"}, \"balance\": {\"N\": \"70\"}},"
                    + " \"Code\": \"ConditionalCheckFailed\", \"Message\": \"The conditional request failed\"},"
                    + " {\"Code\": \"ConditionalCheckFailed\", \"Message\": \"The conditional request failed\"}]"));
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("t", 2))).item().get("balance"))
        .isEqualTo(n(30));
    TransactionCanceledException sdk =
        (TransactionCanceledException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    ddb.transactWriteItems(
                        b ->
                            b.transactItems(
                                TransactWriteItem.builder()
                                    .delete(
                                        d ->
                                            d.tableName("Accounts")
                                                .key(key("t", 3))
                                                .conditionExpression("attribute_not_exists(id)"))
                                    .build())));
    assertThat(sdk.cancellationReasons())
        .extracting(CancellationReason::code)
        .containsExactly("ConditionalCheckFailed");

    // ClientRequestToken: the same request again is not applied twice; another request under it is
    // refused
    TransactWriteItem add =
        TransactWriteItem.builder()
            .update(
                Update.builder()
                    .tableName("Accounts")
                    .key(key("t", 2))
                    .updateExpression("ADD balance :one")
                    .expressionAttributeValues(Map.of(":one", n(1)))
                    .build())
            .build();
    ddb.transactWriteItems(b -> b.transactItems(add).clientRequestToken("token-1"));
    ddb.transactWriteItems(b -> b.transactItems(add).clientRequestToken("token-1"));
    assertThat(ddb.getItem(b -> b.tableName("Accounts").key(key("t", 2))).item().get("balance"))
        .isEqualTo(n(31));
    assertThatThrownBy(
            () ->
                ddb.transactWriteItems(
                    b ->
                        b.transactItems(
                                add,
                                TransactWriteItem.builder()
                                    .conditionCheck(
                                        c ->
                                            c.tableName("Accounts")
                                                .key(key("t", 1))
                                                .conditionExpression("attribute_exists(id)"))
                                    .build())
                            .clientRequestToken("token-1")))
        .isInstanceOf(IdempotentParameterMismatchException.class)
        .hasMessageContaining(
            "The request uses the same client token as a previous, but non-identical request.");

    assertThat(code(() -> ddb.transactWriteItems(b -> b.transactItems(add, add))))
        .startsWith(
            "ValidationException: Transaction request cannot include multiple operations on one item");
    assertThat(raw(400, "TransactWriteItems", "{\"TransactItems\": [{}]}").get("message").asText())
        .isEqualTo("TransactItems can only contain one of Check, Put, Update or Delete");
    assertThat(raw(400, "TransactWriteItems", "{\"TransactItems\": []}").get("message").asText())
        .isEqualTo(
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member"
                + " must have length greater than or equal to 1");
  }

  @Test
  void transactGetItems() throws Exception {
    ddb.putItem(b -> b.tableName("Accounts").item(item("g", 1, "a", "x", "b", "y")));
    var got =
        ddb.transactGetItems(
            b ->
                b.transactItems(
                        TransactGetItem.builder()
                            .get(
                                Get.builder()
                                    .tableName("Accounts")
                                    .key(key("g", 1))
                                    .projectionExpression("#a")
                                    .expressionAttributeNames(Map.of("#a", "a"))
                                    .build())
                            .build(),
                        TransactGetItem.builder()
                            .get(Get.builder().tableName("Accounts").key(key("g", 2)).build())
                            .build())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(got.responses().get(0).item()).isEqualTo(Map.of("a", s("x")));
    assertThat(got.responses().get(1).hasItem()).isFalse();
    assertThat(got.consumedCapacity().get(0).capacityUnits()).isEqualTo(4.0);
    JsonNode raw =
        raw(
            200,
            "TransactGetItems",
            "{\"TransactItems\": [{\"Get\": {\"TableName\": \"Accounts\", \"Key\":"
                + " {\"id\": {\"S\": \"g\"}, \"sk\": {\"N\": \"2\"}}}}]}");
    assertThat(raw).isEqualTo(JSON.readTree("{\"Responses\": [{}]}"));
  }

  @Test
  void legacyParametersAreRefusedNotIgnored() throws Exception {
    Map<String, String> calls =
        Map.of(
            "PutItem",
                "{\"TableName\": \"Accounts\", \"Item\": {\"id\": {\"S\": \"l\"}, \"sk\": {\"N\": \"1\"}},"
                    + " \"Expected\": {\"id\": {\"Exists\": false}}}",
            "UpdateItem",
                "{\"TableName\": \"Accounts\", \"Key\": {\"id\": {\"S\": \"l\"}, \"sk\": {\"N\": \"1\"}},"
                    + " \"AttributeUpdates\": {\"v\": {\"Action\": \"PUT\", \"Value\": {\"S\": \"x\"}}}}",
            "DeleteItem",
                "{\"TableName\": \"Accounts\", \"Key\": {\"id\": {\"S\": \"l\"}, \"sk\": {\"N\": \"1\"}},"
                    + " \"Expected\": {\"id\": {\"Exists\": true, \"Value\": {\"S\": \"l\"}}}}",
            "Query",
                "{\"TableName\": \"Accounts\", \"KeyConditions\": {\"id\": {\"ComparisonOperator\": \"EQ\","
                    + " \"AttributeValueList\": [{\"S\": \"l\"}]}},"
                    + " \"QueryFilter\": {\"v\": {\"ComparisonOperator\": \"NULL\"}}}",
            "Scan",
                "{\"TableName\": \"Accounts\", \"ScanFilter\": {\"v\": {\"ComparisonOperator\": \"NULL\"}}}");
    for (Map.Entry<String, String> c : calls.entrySet()) {
      JsonNode err = raw(400, c.getKey(), c.getValue());
      assertThat(err.get("__type").asText())
          .isEqualTo("com.amazon.coral.validate#ValidationException");
      assertThat(err.get("message").asText())
          .startsWith("Coffer does not support the legacy ")
          .contains(" instead.");
    }
    assertThat(
            raw(
                    400,
                    "PutItem",
                    "{\"TableName\": \"Accounts\", \"Item\": {\"id\": {\"S\": \"l\"}, \"sk\":"
                        + " {\"N\": \"1\"}}, \"Expected\": {\"id\": {\"Exists\": false}}, \"ConditionExpression\":"
                        + " \"attribute_not_exists(id)\"}")
                .get("message")
                .asText())
        .isEqualTo(
            "Can not use both expression and"
                + " non-expression parameters in the same request: Non-expression parameters: {Expected} Expression"
                + " parameters: {ConditionExpression}");
    assertThat(ddb.scan(b -> b.tableName("Accounts")).count()).isZero();
  }

  @Test
  void aPrincipalTheKeyRefusesIsDeniedEveryDataPlaneCall() throws Exception {
    String item = "{\"id\": {\"S\": \"d\"}, \"sk\": {\"N\": \"1\"}}";
    Map<String, String> calls =
        Map.of(
            "UpdateItem",
                "{\"TableName\": \"Accounts\", \"Key\": "
                    + item
                    + ", \"UpdateExpression\": \"SET v = :v\","
                    + " \"ExpressionAttributeValues\": {\":v\": {\"S\": \"x\"}}}",
            "PutItem",
                "{\"TableName\": \"Accounts\", \"Item\": "
                    + item
                    + ", \"ConditionExpression\":"
                    + " \"attribute_not_exists(id)\"}",
            "BatchWriteItem",
                "{\"RequestItems\": {\"Accounts\": [{\"PutRequest\": {\"Item\": " + item + "}}]}}",
            "TransactWriteItems",
                "{\"TransactItems\": [{\"Put\": {\"TableName\": \"Accounts\", \"Item\": "
                    + item
                    + "}}]}",
            "TransactGetItems",
                "{\"TransactItems\": [{\"Get\": {\"TableName\": \"Accounts\", \"Key\": "
                    + item
                    + "}}]}",
            "Scan", "{\"TableName\": \"Accounts\", \"FilterExpression\": \"attribute_exists(v)\"}");
    Set<String> denied = new java.util.TreeSet<>();
    for (Map.Entry<String, String> c : calls.entrySet()) {
      Reply r = RawClient.send(serve.endpoint(), Call.dynamo(c.getKey(), c.getValue()).as("bob"));
      assertThat(r.status()).isEqualTo(400);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("__type").asText())
          .isEqualTo("com.amazon.coral.service#AccessDeniedException");
      assertThat(body.get("message").asText())
          .contains("user/bob is not authorized to perform: kms:Decrypt");
      denied.add(c.getKey());
    }
    assertThat(denied).hasSize(6);
    assertThat(ddb.scan(b -> b.tableName("Accounts")).count()).isZero();
  }
}
