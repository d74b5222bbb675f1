package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The AWS SDK v2 {@code DynamoDbClient} against {@code coffer serve}, one test per operation, with
 * the Coffer-specific checks (the items really are in the store; capacity arithmetic exact).
 */
class DynamoDbOperationsTest {
  @TempDir Path dir;

  private ServeFixture serve;
  private DynamoDbClient ddb;

  @BeforeEach
  void start() {
    serve = ServeFixture.start(dir);
    ddb = serve.dynamo();
  }

  @AfterEach
  void stop() {
    ddb.close();
    serve.close();
  }

  private void music() {
    ddb.createTable(
        b ->
            b.tableName("Music")
                .attributeDefinitions(
                    def("Artist", ScalarAttributeType.S), def("SongTitle", ScalarAttributeType.S))
                .keySchema(key("Artist", KeyType.HASH), key("SongTitle", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  static AttributeDefinition def(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  @Test
  void createDescribeListUpdateDeleteTable() {
    CreateTableResponse created =
        ddb.createTable(
            b ->
                b.tableName("Orders")
                    .attributeDefinitions(
                        def("customer", ScalarAttributeType.S),
                        def("orderDate", ScalarAttributeType.N))
                    .keySchema(key("customer", KeyType.HASH), key("orderDate", KeyType.RANGE))
                    .provisionedThroughput(
                        ProvisionedThroughput.builder()
                            .readCapacityUnits(5L)
                            .writeCapacityUnits(7L)
                            .build()));
    assertThat(created.tableDescription().tableStatus()).isEqualTo(TableStatus.ACTIVE);
    assertThat(created.tableDescription().provisionedThroughput().readCapacityUnits())
        .isEqualTo(5L);
    assertThat(created.tableDescription().provisionedThroughput().writeCapacityUnits())
        .isEqualTo(7L);
    assertThat(created.tableDescription().tableArn())
        .isEqualTo("arn:aws:dynamodb:us-east-1:111122223333:table/Orders");
    assertThat(serve.store.listTables()).containsExactly("Orders");

    DescribeTableResponse d = ddb.describeTable(b -> b.tableName("Orders"));
    assertThat(d.table().keySchema())
        .containsExactly(key("customer", KeyType.HASH), key("orderDate", KeyType.RANGE));
    assertThat(d.table().attributeDefinitions())
        .containsExactly(
            def("customer", ScalarAttributeType.S), def("orderDate", ScalarAttributeType.N));
    assertThat(d.table().billingModeSummary()).isNull();

    assertThat(
            ddb.updateTable(
                    b ->
                        b.tableName("Orders")
                            .provisionedThroughput(
                                ProvisionedThroughput.builder()
                                    .readCapacityUnits(10L)
                                    .writeCapacityUnits(7L)
                                    .build()))
                .tableDescription()
                .provisionedThroughput()
                .readCapacityUnits())
        .isEqualTo(10L);
    assertThat(
            ddb.updateTable(b -> b.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST))
                .tableDescription()
                .billingModeSummary()
                .billingMode())
        .isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThatThrownBy(
            () ->
                ddb.updateTable(
                    b ->
                        b.tableName("Orders")
                            .attributeDefinitions(def("x", ScalarAttributeType.S))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("AttributeDefinitions is not supported");

    assertThat(
            ddb.describeTimeToLive(b -> b.tableName("Orders"))
                .timeToLiveDescription()
                .timeToLiveStatus())
        .isEqualTo(TimeToLiveStatus.DISABLED);

    assertThatThrownBy(
            () ->
                ddb.createTable(
                    b ->
                        b.tableName("Orders")
                            .attributeDefinitions(def("customer", ScalarAttributeType.S))
                            .keySchema(key("customer", KeyType.HASH))
                            .billingMode(BillingMode.PAY_PER_REQUEST)))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("Table already exists: Orders");

    assertThat(ddb.deleteTable(b -> b.tableName("Orders")).tableDescription().tableStatus())
        .isEqualTo(TableStatus.DELETING);
    assertThatThrownBy(() -> ddb.describeTable(b -> b.tableName("Orders")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Requested resource not found: Table: Orders not found");
    assertThat(serve.store.listTables()).isEmpty();
  }

  @Test
  void listTablesPages() {
    for (String t : List.of("t-a", "t-b", "t-c", "t-d", "t-e")) {
      ddb.createTable(
          b ->
              b.tableName(t)
                  .attributeDefinitions(def("k", ScalarAttributeType.S))
                  .keySchema(key("k", KeyType.HASH))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
    }
    ListTablesResponse first = ddb.listTables(b -> b.limit(2));
    assertThat(first.tableNames()).containsExactly("t-a", "t-b");
    assertThat(first.lastEvaluatedTableName()).isEqualTo("t-b");
    ListTablesResponse second = ddb.listTables(b -> b.limit(2).exclusiveStartTableName("t-b"));
    assertThat(second.tableNames()).containsExactly("t-c", "t-d");
    ListTablesResponse last = ddb.listTables(b -> b.limit(2).exclusiveStartTableName("t-d"));
    assertThat(last.tableNames()).containsExactly("t-e");
    assertThat(last.lastEvaluatedTableName()).isNull();
    assertThat(ddb.listTablesPaginator(b -> b.limit(2)).tableNames())
        .containsExactly("t-a", "t-b", "t-c", "t-d", "t-e");
  }

  @Test
  void putGetDeleteWithReturnValuesAndCapacity() {
    music();
    Map<String, AttributeValue> item =
        Map.of(
            "Artist",
            s("No One You Know"),
            "SongTitle",
            s("Call Me Today"),
            "AlbumTitle",
            s("Somewhat Famous"),
            "Awards",
            n("1"),
            "Blob",
            AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
            "Tags",
            AttributeValue.fromSs(List.of("a", "b")),
            "Nested",
            AttributeValue.fromM(
                Map.of(
                    "l",
                    AttributeValue.fromL(
                        List.of(
                            n("1"),
                            AttributeValue.fromBool(true),
                            AttributeValue.fromNul(true))))));
    PutItemResponse put =
        ddb.putItem(
            b ->
                b.tableName("Music")
                    .item(item)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .returnValues(ReturnValue.ALL_OLD));
    assertThat(put.attributes()).isEmpty();
    assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(1.0);
    assertThat(put.consumedCapacity().tableName()).isEqualTo("Music");

    Map<String, AttributeValue> key =
        Map.of("Artist", s("No One You Know"), "SongTitle", s("Call Me Today"));
    GetItemResponse got =
        ddb.getItem(
            b ->
                b.tableName("Music")
                    .key(key)
                    .consistentRead(true)
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
    assertThat(got.item()).isEqualTo(item);
    assertThat(got.consumedCapacity().capacityUnits()).isEqualTo(1.0);
    assertThat(got.consumedCapacity().table().capacityUnits()).isEqualTo(1.0);
    assertThat(
            ddb.getItem(
                    b ->
                        b.tableName("Music")
                            .key(key)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity()
                .capacityUnits())
        .isEqualTo(0.5);

    assertThat(
            ddb.getItem(
                    b ->
                        b.tableName("Music")
                            .key(key)
                            .projectionExpression("#a, Awards")
                            .expressionAttributeNames(Map.of("#a", "AlbumTitle")))
                .item())
        .isEqualTo(Map.of("AlbumTitle", s("Somewhat Famous"), "Awards", n("1")));
    assertThat(ddb.getItem(b -> b.tableName("Music").key(key).attributesToGet("Awards")).item())
        .isEqualTo(Map.of("Awards", n("1")));

    // a 5 KB item costs 5 write units, and its replacement by a small one costs the larger of the
    // two
    Map<String, AttributeValue> big =
        Map.of("Artist", s("A"), "SongTitle", s("B"), "Text", s("x".repeat(5000)));
    assertThat(
            ddb.putItem(
                    b ->
                        b.tableName("Music")
                            .item(big)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity()
                .capacityUnits())
        .isEqualTo(5.0);
    PutItemResponse replaced =
        ddb.putItem(
            b ->
                b.tableName("Music")
                    .item(Map.of("Artist", s("A"), "SongTitle", s("B")))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(replaced.attributes()).isEqualTo(big);
    assertThat(replaced.consumedCapacity().capacityUnits()).isEqualTo(5.0);

    assertThat(
            ddb.deleteItem(b -> b.tableName("Music").key(key).returnValues(ReturnValue.ALL_OLD))
                .attributes())
        .isEqualTo(item);
    assertThat(ddb.getItem(b -> b.tableName("Music").key(key)).hasItem()).isFalse();
    assertThat(
            ddb.deleteItem(
                    b ->
                        b.tableName("Music")
                            .key(key)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity()
                .capacityUnits())
        .isEqualTo(1.0);
  }

  @Test
  void queryWithExpressionAndLegacyConditionsPagesAndCounts() {
    music();
    for (int i = 0; i < 7; i++) {
      int k = i;
      ddb.putItem(
          b ->
              b.tableName("Music")
                  .item(Map.of("Artist", s("X"), "SongTitle", s("Song " + k), "n", n("" + k))));
    }
    ddb.putItem(b -> b.tableName("Music").item(Map.of("Artist", s("Y"), "SongTitle", s("Other"))));
    QueryResponse page =
        ddb.query(
            b ->
                b.tableName("Music")
                    .keyConditionExpression("Artist = :a AND begins_with(#t, :p)")
                    .expressionAttributeNames(Map.of("#t", "SongTitle"))
                    .expressionAttributeValues(Map.of(":a", s("X"), ":p", s("Song")))
                    .limit(3)
                    .scanIndexForward(false)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(page.items())
        .extracting(i -> i.get("SongTitle").s())
        .containsExactly("Song 6", "Song 5", "Song 4");
    assertThat(page.count()).isEqualTo(3);
    assertThat(page.scannedCount()).isEqualTo(3);
    assertThat(page.lastEvaluatedKey())
        .isEqualTo(Map.of("Artist", s("X"), "SongTitle", s("Song 4")));
    assertThat(page.consumedCapacity().capacityUnits()).isEqualTo(0.5);
    QueryResponse next =
        ddb.query(
            b ->
                b.tableName("Music")
                    .keyConditionExpression("Artist = :a")
                    .expressionAttributeValues(Map.of(":a", s("X")))
                    .scanIndexForward(false)
                    .exclusiveStartKey(page.lastEvaluatedKey()));
    assertThat(next.items())
        .extracting(i -> i.get("SongTitle").s())
        .containsExactly("Song 3", "Song 2", "Song 1", "Song 0");
    assertThat(next.hasLastEvaluatedKey()).isFalse();

    QueryResponse legacy =
        ddb.query(
            b ->
                b.tableName("Music")
                    .keyConditions(
                        Map.of(
                            "Artist",
                                Condition.builder()
                                    .comparisonOperator(ComparisonOperator.EQ)
                                    .attributeValueList(s("X"))
                                    .build(),
                            "SongTitle",
                                Condition.builder()
                                    .comparisonOperator(ComparisonOperator.BETWEEN)
                                    .attributeValueList(s("Song 2"), s("Song 4"))
                                    .build()))
                    .attributesToGet("SongTitle"));
    assertThat(legacy.items())
        .containsExactly(
            Map.of("SongTitle", s("Song 2")),
            Map.of("SongTitle", s("Song 3")),
            Map.of("SongTitle", s("Song 4")));

    QueryResponse count =
        ddb.query(
            b ->
                b.tableName("Music")
                    .keyConditionExpression("Artist = :a")
                    .expressionAttributeValues(Map.of(":a", s("X")))
                    .select(Select.COUNT));
    assertThat(count.count()).isEqualTo(7);
    assertThat(count.hasItems()).isFalse();
    assertThat(
            ddb.queryPaginator(
                    b ->
                        b.tableName("Music")
                            .keyConditionExpression("Artist = :a")
                            .expressionAttributeValues(Map.of(":a", s("X")))
                            .limit(2))
                .items())
        .hasSize(7);
  }

  @Test
  void scanWithSegmentsLimitAndStartKey() {
    ddb.createTable(
        b ->
            b.tableName("Flat")
                .attributeDefinitions(def("id", ScalarAttributeType.N))
                .keySchema(key("id", KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    for (int i = 0; i < 40; i++) {
      int k = i;
      ddb.putItem(b -> b.tableName("Flat").item(Map.of("id", n("" + k), "v", s("value " + k))));
    }
    int total = 0;
    for (int seg = 0; seg < 3; seg++) {
      int sg = seg;
      for (ScanResponse p :
          ddb.scanPaginator(b -> b.tableName("Flat").segment(sg).totalSegments(3).limit(5))) {
        total += p.count();
        assertThat(p.count()).isLessThanOrEqualTo(5);
      }
    }
    assertThat(total).isEqualTo(40);
    ScanResponse projected = ddb.scan(b -> b.tableName("Flat").projectionExpression("v").limit(1));
    assertThat(projected.items().get(0)).containsOnlyKeys("v");
    assertThat(projected.lastEvaluatedKey()).containsOnlyKeys("id");
    ScanResponse counted =
        ddb.scan(
            b ->
                b.tableName("Flat")
                    .select(Select.COUNT)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .consistentRead(true));
    assertThat(counted.count()).isEqualTo(40);
    assertThat(counted.consumedCapacity().capacityUnits()).isEqualTo(1.0);
  }

  @Test
  @SuppressWarnings("unchecked") // varargs of Map in KeysAndAttributes.keys
  void batchGetItemAcrossTables() {
    music();
    ddb.createTable(
        b ->
            b.tableName("Flat")
                .attributeDefinitions(def("id", ScalarAttributeType.S))
                .keySchema(key("id", KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    ddb.putItem(
        b -> b.tableName("Music").item(Map.of("Artist", s("A"), "SongTitle", s("1"), "x", n("1"))));
    ddb.putItem(b -> b.tableName("Flat").item(Map.of("id", s("k1"), "y", s("2"))));
    var r =
        ddb.batchGetItem(
            b ->
                b.requestItems(
                        Map.of(
                            "Music",
                                KeysAndAttributes.builder()
                                    .keys(
                                        Map.of("Artist", s("A"), "SongTitle", s("1")),
                                        Map.of("Artist", s("A"), "SongTitle", s("missing")))
                                    .projectionExpression("x")
                                    .build(),
                            "Flat",
                                KeysAndAttributes.builder()
                                    .keys(Map.of("id", s("k1")))
                                    .consistentRead(true)
                                    .build()))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    assertThat(r.responses().get("Music")).containsExactly(Map.of("x", n("1")));
    assertThat(r.responses().get("Flat")).containsExactly(Map.of("id", s("k1"), "y", s("2")));
    assertThat(r.unprocessedKeys()).isEmpty();
    assertThat(r.consumedCapacity())
        .extracting(ConsumedCapacity::tableName, ConsumedCapacity::capacityUnits)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Music", 1.0),
            org.assertj.core.groups.Tuple.tuple("Flat", 1.0));
    assertThatThrownBy(
            () ->
                ddb.batchGetItem(
                    b ->
                        b.requestItems(
                            Map.of(
                                "Flat",
                                KeysAndAttributes.builder()
                                    .keys(Map.of("id", s("k1")), Map.of("id", s("k1")))
                                    .build()))))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Provided list of item keys contains duplicates");
  }

  @Test
  void conditionsAndFiltersAreServed() {
    music();
    Map<String, AttributeValue> item = Map.of("Artist", s("A"), "SongTitle", s("B"));
    ddb.putItem(
        b -> b.tableName("Music").item(item).conditionExpression("attribute_not_exists(Artist)"));
    assertThatThrownBy(
            () ->
                ddb.putItem(
                    b ->
                        b.tableName("Music")
                            .item(item)
                            .conditionExpression("attribute_not_exists(Artist)")))
        .isInstanceOf(
            software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class);
    assertThat(
            ddb.scan(
                    b ->
                        b.tableName("Music")
                            .filterExpression("Artist = :a")
                            .expressionAttributeValues(Map.of(":a", s("A"))))
                .count())
        .isEqualTo(1);
    assertThat(
            ddb.updateItem(
                    b ->
                        b.tableName("Music")
                            .key(item)
                            .updateExpression("SET n = :n")
                            .expressionAttributeValues(Map.of(":n", n("1")))
                            .returnValues(ReturnValue.UPDATED_NEW))
                .attributes())
        .isEqualTo(Map.of("n", n("1")));
  }
}
