package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The same SDK client code against {@code coffer serve} and against dynalite (an independent
 * DynamoDB implementation, npm): {@link #sameClientCode} runs one scenario with the same assertions
 * on each (the few places where the two differ branch on the target, and each is listed in
 * docs/serve.md); {@link #randomSequencesAgree} runs one seeded random sequence of writes and reads
 * on both at once and compares every answer field by field; {@link #dataPlaneSequencesAgree} does
 * the same for the data plane ({@link DataPlaneSequence}: conditional writes, UpdateItem with every
 * ReturnValues, filtered and projected Query/Scan with Select, batches, transactions). Skipped when
 * node/npm are missing.
 */
class DifferentialTest {
  @TempDir Path dir;

  private static Map<String, AttributeValue> item(Object... kv) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      m.put(
          (String) kv[i],
          v instanceof AttributeValue a
              ? a
              : v instanceof Number n
                  ? AttributeValue.fromN(n.toString())
                  : AttributeValue.fromS((String) v));
    }
    return m;
  }

  private static String errorCode(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (DynamoDbException e) {
      return e.awsErrorDetails().errorCode();
    }
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  @SuppressWarnings("unchecked") // varargs of Map in KeysAndAttributes.keys
  void sameClientCode(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbClient ddb = t.client();
      var created =
          ddb.createTable(
              b ->
                  b.tableName("Music")
                      .attributeDefinitions(
                          DynamoDbOperationsTest.def("Artist", ScalarAttributeType.S),
                          DynamoDbOperationsTest.def("SongTitle", ScalarAttributeType.S))
                      .keySchema(
                          DynamoDbOperationsTest.key("Artist", KeyType.HASH),
                          DynamoDbOperationsTest.key("SongTitle", KeyType.RANGE))
                      .provisionedThroughput(
                          ProvisionedThroughput.builder()
                              .readCapacityUnits(5L)
                              .writeCapacityUnits(5L)
                              .build()));
      // Difference 1: dynalite answers CreateTable with CREATING (like DynamoDB), Coffer's tables
      // are ACTIVE at once.
      assertThat(created.tableDescription().tableStatus())
          .isEqualTo(target == Targets.DYNALITE ? TableStatus.CREATING : TableStatus.ACTIVE);
      ddb.waiter().waitUntilTableExists(b -> b.tableName("Music"));
      var described = ddb.describeTable(b -> b.tableName("Music")).table();
      assertThat(described.tableStatus()).isEqualTo(TableStatus.ACTIVE);
      assertThat(described.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
      assertThat(described.itemCount()).isZero();
      assertThat(described.tableArn()).endsWith(":table/Music");
      assertThat(ddb.listTables().tableNames()).containsExactly("Music");

      ddb.putItem(
          b ->
              b.tableName("Music")
                  .item(
                      item(
                          "Artist",
                          "No One You Know",
                          "SongTitle",
                          "Call Me Today",
                          "AlbumTitle",
                          "Somewhat Famous",
                          "Awards",
                          1)));
      ddb.putItem(
          b ->
              b.tableName("Music")
                  .item(
                      item(
                          "Artist",
                          "No One You Know",
                          "SongTitle",
                          "Howdy",
                          "AlbumTitle",
                          "Somewhat Famous",
                          "Awards",
                          2)));
      ddb.putItem(
          b ->
              b.tableName("Music")
                  .item(
                      item(
                          "Artist",
                          "Acme Band",
                          "SongTitle",
                          "Happy Day",
                          "AlbumTitle",
                          "Songs About Life",
                          "Awards",
                          10)));
      var old =
          ddb.putItem(
              b ->
                  b.tableName("Music")
                      .item(
                          item(
                              "Artist",
                              "Acme Band",
                              "SongTitle",
                              "Happy Day",
                              "AlbumTitle",
                              "Songs About Life",
                              "Awards",
                              11))
                      .returnValues(ReturnValue.ALL_OLD)
                      .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      assertThat(old.attributes().get("Awards").n()).isEqualTo("10");
      assertThat(old.consumedCapacity().capacityUnits()).isEqualTo(1.0);

      var got =
          ddb.getItem(
              b ->
                  b.tableName("Music")
                      .key(item("Artist", "No One You Know", "SongTitle", "Howdy"))
                      .projectionExpression("AlbumTitle, #w")
                      .expressionAttributeNames(Map.of("#w", "Awards"))
                      .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      assertThat(got.item()).isEqualTo(item("AlbumTitle", "Somewhat Famous", "Awards", 2));
      assertThat(got.consumedCapacity().capacityUnits()).isEqualTo(0.5);
      assertThat(
              ddb.getItem(b -> b.tableName("Music").key(item("Artist", "Nobody", "SongTitle", "x")))
                  .hasItem())
          .isFalse();

      QueryResponse q =
          ddb.query(
              b ->
                  b.tableName("Music")
                      .keyConditionExpression("Artist = :a AND begins_with(SongTitle, :t)")
                      .expressionAttributeValues(
                          Map.of(
                              ":a",
                              AttributeValue.fromS("No One You Know"),
                              ":t",
                              AttributeValue.fromS("Ho"))));
      assertThat(q.items()).extracting(i -> i.get("SongTitle").s()).containsExactly("Howdy");
      QueryResponse legacy =
          ddb.query(
              b ->
                  b.tableName("Music")
                      .keyConditions(
                          Map.of(
                              "Artist",
                              Condition.builder()
                                  .comparisonOperator(ComparisonOperator.EQ)
                                  .attributeValueList(AttributeValue.fromS("No One You Know"))
                                  .build()))
                      .limit(1)
                      .scanIndexForward(false));
      assertThat(legacy.items()).extracting(i -> i.get("SongTitle").s()).containsExactly("Howdy");
      assertThat(legacy.lastEvaluatedKey())
          .isEqualTo(item("Artist", "No One You Know", "SongTitle", "Howdy"));
      assertThat(
              ddb.query(
                      b ->
                          b.tableName("Music")
                              .keyConditionExpression("Artist = :a")
                              .expressionAttributeValues(
                                  Map.of(":a", AttributeValue.fromS("No One You Know")))
                              .select(Select.COUNT))
                  .count())
          .isEqualTo(2);

      ScanResponse all = ddb.scan(b -> b.tableName("Music"));
      assertThat(all.count()).isEqualTo(3);
      assertThat(all.scannedCount()).isEqualTo(3);
      var batch =
          ddb.batchGetItem(
              b ->
                  b.requestItems(
                      Map.of(
                          "Music",
                          KeysAndAttributes.builder()
                              .keys(
                                  item("Artist", "Acme Band", "SongTitle", "Happy Day"),
                                  item("Artist", "Nobody", "SongTitle", "x"))
                              .attributesToGet("Awards")
                              .build())));
      assertThat(batch.responses().get("Music")).containsExactly(item("Awards", 11));
      assertThat(batch.unprocessedKeys()).isEmpty();

      var deleted =
          ddb.deleteItem(
              b ->
                  b.tableName("Music")
                      .key(item("Artist", "Acme Band", "SongTitle", "Happy Day"))
                      .returnValues(ReturnValue.ALL_OLD));
      assertThat(deleted.attributes().get("Awards").n()).isEqualTo("11");

      // errors: the same error codes from both
      assertThat(errorCode(() -> ddb.getItem(b -> b.tableName("Nope").key(item("k", "v")))))
          .isEqualTo("ResourceNotFoundException");
      assertThat(errorCode(() -> ddb.describeTable(b -> b.tableName("Nope"))))
          .isEqualTo("ResourceNotFoundException");
      assertThat(errorCode(() -> ddb.getItem(b -> b.tableName("Music").key(item("Artist", "x")))))
          .isEqualTo("ValidationException");
      assertThat(errorCode(() -> ddb.putItem(b -> b.tableName("Music").item(item("Artist", "x")))))
          .isEqualTo("ValidationException");
      assertThat(
              errorCode(
                  () ->
                      ddb.query(
                          b ->
                              b.tableName("Music")
                                  .keyConditionExpression("SongTitle = :s")
                                  .expressionAttributeValues(
                                      Map.of(":s", AttributeValue.fromS("x"))))))
          .isEqualTo("ValidationException");
      assertThat(
              errorCode(
                  () ->
                      ddb.query(
                          b ->
                              b.tableName("Music")
                                  .keyConditionExpression("Artist = :a")
                                  .expressionAttributeValues(
                                      Map.of(
                                          ":a",
                                          AttributeValue.fromS("x"),
                                          ":unused",
                                          AttributeValue.fromS("y"))))))
          .isEqualTo("ValidationException");
      assertThat(errorCode(() -> ddb.scan(b -> b.tableName("Music").segment(3).totalSegments(2))))
          .isEqualTo("ValidationException");
      assertThat(
              errorCode(
                  () ->
                      ddb.createTable(
                          b ->
                              b.tableName("Music")
                                  .attributeDefinitions(
                                      DynamoDbOperationsTest.def("Artist", ScalarAttributeType.S))
                                  .keySchema(DynamoDbOperationsTest.key("Artist", KeyType.HASH))
                                  .billingMode(BillingMode.PAY_PER_REQUEST))))
          .isEqualTo("ResourceInUseException");
      assertThat(
              errorCode(
                  () ->
                      ddb.createTable(
                          b ->
                              b.tableName("Other")
                                  .attributeDefinitions(
                                      DynamoDbOperationsTest.def("Artist", ScalarAttributeType.S))
                                  .keySchema(DynamoDbOperationsTest.key("Artist", KeyType.HASH)))))
          .isEqualTo("ValidationException");
      assertThat(
              errorCode(
                  () ->
                      ddb.batchGetItem(
                          b ->
                              b.requestItems(
                                  Map.of(
                                      "Music",
                                      KeysAndAttributes.builder()
                                          .keys(
                                              item("Artist", "a", "SongTitle", "b"),
                                              item("Artist", "a", "SongTitle", "b"))
                                          .build())))))
          .isEqualTo("ValidationException");

      ddb.deleteTable(b -> b.tableName("Music"));
      ddb.waiter().waitUntilTableNotExists(b -> b.tableName("Music"));
      assertThat(ddb.listTables().tableNames()).isEmpty();
    }
  }

  /** Operations and mismatches of {@link #randomSequencesAgree}, for the report. */
  private record Tally(int operations, List<String> mismatches) {}

  @Test
  void randomSequencesAgree() {
    try (Targets.Running coffer = Targets.COFFER.start(dir.resolve("coffer"));
        Targets.Running dynalite = Targets.DYNALITE.start(dir.resolve("dynalite"))) {
      Tally tally = compare(coffer.client(), dynalite.client(), new Random(20261204L), 600);
      System.out.println(
          "differential: "
              + tally.operations()
              + " operations compared, "
              + tally.mismatches().size()
              + " mismatches");
      assertThat(tally.mismatches()).isEmpty();
    }
  }

  private static Tally compare(DynamoDbClient a, DynamoDbClient b, Random rnd, int steps) {
    List<String> mismatches = new ArrayList<>();
    int ops = 0;
    for (DynamoDbClient c : List.of(a, b)) {
      c.createTable(
          t ->
              t.tableName("Tbl")
                  .attributeDefinitions(
                      DynamoDbOperationsTest.def("pk", ScalarAttributeType.S),
                      DynamoDbOperationsTest.def("sk", ScalarAttributeType.N))
                  .keySchema(
                      DynamoDbOperationsTest.key("pk", KeyType.HASH),
                      DynamoDbOperationsTest.key("sk", KeyType.RANGE))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      c.waiter().waitUntilTableExists(t -> t.tableName("Tbl"));
    }
    for (int i = 0; i < steps; i++) {
      String pk = "p" + rnd.nextInt(4);
      int sk = rnd.nextInt(30) - 10;
      int op = rnd.nextInt(10);
      int limit = 1 + rnd.nextInt(6);
      boolean forward = rnd.nextBoolean();
      int bound = rnd.nextInt(30) - 10;
      String value = "v" + rnd.nextInt(1000);
      String label;
      List<Supplier<Object>> calls = new ArrayList<>();
      for (DynamoDbClient c : List.of(a, b)) {
        switch (op) {
          case 0, 1, 2 ->
              calls.add(
                  () ->
                      c
                          .putItem(
                              r ->
                                  r.tableName("Tbl")
                                      .item(
                                          item(
                                              "pk",
                                              pk,
                                              "sk",
                                              sk,
                                              "v",
                                              value,
                                              "n",
                                              AttributeValue.fromN(Integer.toString(sk * 7))))
                                      .returnValues(ReturnValue.ALL_OLD)
                                      .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                          .toBuilder()
                          .responseMetadata(null)
                          .build()
                          .toString());
          case 3 ->
              calls.add(
                  () ->
                      c.deleteItem(
                              r ->
                                  r.tableName("Tbl")
                                      .key(item("pk", pk, "sk", sk))
                                      .returnValues(ReturnValue.ALL_OLD))
                          .attributes());
          case 4 ->
              calls.add(
                  () ->
                      c.getItem(
                              r ->
                                  r.tableName("Tbl")
                                      .key(item("pk", pk, "sk", sk))
                                      .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                          .item());
          case 5 -> calls.add(() -> pages(c, pk, "sk > :b", bound, limit, forward));
          case 6 -> calls.add(() -> pages(c, pk, "sk BETWEEN :b AND :c", bound, limit, forward));
          case 7 -> calls.add(() -> pages(c, pk, "sk <= :b", bound, limit, forward));
          case 8 ->
              calls.add(
                  () -> {
                    // Scan order is the implementation's own (dynalite: a hash of the partition
                    // key; Coffer: its
                    // partition tokens): compare the items as a sorted set, and the counts.
                    Set<String> items = new java.util.TreeSet<>();
                    int count = 0;
                    for (ScanResponse p : c.scanPaginator(r -> r.tableName("Tbl").limit(limit))) {
                      p.items().forEach(it -> items.add(it.toString()));
                      count += p.count();
                    }
                    return count + " " + items;
                  });
          default ->
              calls.add(
                  () -> {
                    try {
                      return c.query(
                              r ->
                                  r.tableName("Tbl")
                                      .keyConditionExpression("pk = :p AND sk = :b")
                                      .expressionAttributeValues(
                                          Map.of(
                                              ":p",
                                              AttributeValue.fromS(pk),
                                              ":b",
                                              AttributeValue.fromS("not a number"))))
                          .toString();
                    } catch (DynamoDbException e) {
                      return e.awsErrorDetails().errorCode();
                    }
                  });
        }
      }
      label = "step " + i + " op " + op + " " + pk + "/" + sk;
      Object x = calls.get(0).get();
      Object y = calls.get(1).get();
      ops++;
      if (!String.valueOf(x).equals(String.valueOf(y))) {
        mismatches.add(label + ": coffer " + x + " / dynalite " + y);
      }
    }
    return new Tally(ops, mismatches);
  }

  /** Every page of a query: items, Count, ScannedCount and LastEvaluatedKey of each. */
  private static String pages(
      DynamoDbClient c, String pk, String sortCondition, int bound, int limit, boolean forward) {
    StringBuilder sb = new StringBuilder();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":p", AttributeValue.fromS(pk));
    values.put(":b", AttributeValue.fromN(Integer.toString(bound)));
    if (sortCondition.contains(":c")) {
      values.put(":c", AttributeValue.fromN(Integer.toString(bound + 8)));
    }
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r =
          c.query(
              q ->
                  q.tableName("Tbl")
                      .keyConditionExpression("pk = :p AND " + sortCondition)
                      .expressionAttributeValues(values)
                      .limit(limit)
                      .scanIndexForward(forward)
                      .exclusiveStartKey(from)
                      .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      sb.append(r.items())
          .append(' ')
          .append(r.count())
          .append('/')
          .append(r.scannedCount())
          .append(' ')
          .append(r.lastEvaluatedKey())
          .append(' ')
          .append(r.consumedCapacity().capacityUnits())
          .append('\n');
      start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return sb.toString();
  }

  @Test
  void dataPlaneSequencesAgree() {
    try (Targets.Running coffer = Targets.COFFER.start(dir.resolve("coffer"));
        Targets.Running dynalite = Targets.DYNALITE.start(dir.resolve("dynalite"))) {
      DataPlaneSequence.Tally tally =
          new DataPlaneSequence(coffer.client(), dynalite.client(), new Random(20261205L)).run(900);
      System.out.println(
          "differential (data plane): "
              + tally.operations()
              + " operations compared, "
              + tally.mismatches().size()
              + " mismatches; per kind "
              + tally.perKind()
              + "; known dynalite differences "
              + tally.knownDifferences());
      assertThat(tally.mismatches()).isEmpty();
    }
  }
}
