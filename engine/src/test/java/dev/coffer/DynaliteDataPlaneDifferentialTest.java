// Over 400 lines: one differential driver with one method per DynamoDB operation, each sending the
// same random request to both sides and comparing the outcomes; the generators live in
// DataPlaneRequests.
package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.DataPlaneRequests.Exprs;
import dev.coffer.testkit.Dynalite;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The data plane against dynalite, an independent DynamoDB implementation (npm, MIT; testkit's
 * {@link Dynalite} installs it, and the test is skipped with a message when node or npm is
 * missing): the same seeded random sequences of PutItem, UpdateItem and DeleteItem with conditions
 * and ReturnValues, GetItem with projections, Query and Scan with filters, projections, Select
 * COUNT, Limit and paging, BatchWriteItem and BatchGetItem go to dynalite through the AWS SDK v2's
 * {@code DynamoDbClient} and to Coffer through its Java API; the outcomes must agree: items and
 * attributes returned, Count, ScannedCount, LastEvaluatedKey, and which calls fail with which error
 * code and message. The tables' whole contents are compared every 40 operations.
 *
 * <p>Where dynalite is known to differ from DynamoDB the request is kept out of the generator
 * ({@link DataPlaneRequests}) or the comparison is narrowed, and said so here:
 *
 * <ul>
 *   <li>Scan order is each implementation's hash order, so Scan pages are compared by what does not
 *       depend on the order: the items of all pages together, the total Count, the ScannedCount of
 *       each page and whether it has a LastEvaluatedKey.
 *   <li>BatchGetItem: dynalite shuffles each table's items; they are compared as sets.
 *   <li>ReturnValuesOnConditionCheckFailure: dynalite ignores it; Coffer's item is compared with
 *       the item dynalite holds.
 *   <li>Select COUNT or ALL_ATTRIBUTES with a projection: dynalite accepts it, DynamoDB refuses it
 *       (as Coffer does); not generated.
 *   <li>UpdateItem on an item that does not exist: a REMOVE of a nested path is ignored by DynamoDB
 *       and refused by dynalite; an update that only removes creates no item in DynamoDB and an
 *       item of the key alone in dynalite. Both are generated; Coffer is checked against DynamoDB's
 *       behaviour and dynalite against its known difference ({@link #knownAbsentItemDifference}).
 *   <li>Transactions: dynalite has none; {@link BatchAndTransactionTest}, {@link
 *       TransactionConcurrencyTest} and {@link TransactionCrashTest} check them against a reference
 *       model instead.
 *   <li>Page sizes: dynalite counts the 1 MB page and the 16 MB BatchGetItem cap differently; the
 *       items here are small, so neither is reached (Coffer's own tests cover both).
 * </ul>
 */
class DynaliteDataPlaneDifferentialTest {
  private static final long[] SEEDS = {101, 202, 303};
  private static final int OPERATIONS = 500;
  private static final KeySchema SORTED =
      KeySchema.of("pk", AttributeType.S, "sk", AttributeType.N);
  private static final KeySchema HASHED = KeySchema.of("pk", AttributeType.S);

  private static Dynalite dynalite;
  private static DynamoDbClient ddb;

  @TempDir Path dir;

  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final List<String> mismatches = new ArrayList<>();
  private Coffer coffer;
  private DataPlaneRequests gen;

  /** The item the last ConditionalCheckFailedException on Coffer's side carried. */
  private Item lastFailureItem;

  private String sorted;
  private String hashed;

  @BeforeAll
  static void start() {
    dynalite = Dynalite.start();
    ddb =
        DynamoDbClient.builder()
            .endpointOverride(URI.create(dynalite.endpoint().toString()))
            .region(Region.US_EAST_1)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
            .build();
  }

  @AfterAll
  static void stop() {
    if (ddb != null) {
      ddb.close();
    }
    if (dynalite != null) {
      dynalite.close();
    }
  }

  /** What one call did: an error (code and message) or a value. */
  private record Outcome(String error, String message, Object value) {}

  private Outcome onCoffer(Supplier<Object> call) {
    lastFailureItem = null;
    try {
      return new Outcome(null, null, call.get());
    } catch (ConditionalCheckFailedException e) {
      lastFailureItem = e.item().orElse(null);
      return new Outcome(e.errorCode(), e.getMessage(), null);
    } catch (CofferException e) {
      return new Outcome(e.errorCode(), e.getMessage(), null);
    }
  }

  private static Outcome onDynalite(Supplier<Object> call) {
    try {
      return new Outcome(null, null, call.get());
    } catch (DynamoDbException e) {
      return new Outcome(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage(), null);
    }
  }

  private void compare(String kind, String request, Outcome coffer, Outcome dynalite) {
    counts.merge(kind, 1, Integer::sum);
    counts.merge("compared", 1, Integer::sum);
    if (dynalite.error() != null) {
      counts.merge("refused by dynalite: " + dynalite.error(), 1, Integer::sum);
    }
    if (!Objects.equals(coffer.error(), dynalite.error())
        || !Objects.equals(coffer.message(), dynalite.message())
        || !Objects.equals(coffer.value(), dynalite.value())) {
      mismatches.add(
          kind + " " + request + "\n    coffer:   " + coffer + "\n    dynalite: " + dynalite);
    }
  }

  @Test
  void randomSequencesAgreeWithDynalite() {
    for (long seed : SEEDS) {
      run(seed);
    }
    System.out.println(
        "dynalite data-plane differential: " + counts + "; mismatches: " + mismatches.size());
    assertThat(mismatches).as("operations where Coffer and dynalite disagree").isEmpty();
    assertThat(counts.get("compared")).isGreaterThan(SEEDS.length * OPERATIONS);
  }

  private void run(long seed) {
    gen = new DataPlaneRequests(new Random(seed));
    sorted = "sorted" + seed;
    hashed = "hashed" + seed;
    createDynaliteTable(sorted, true);
    createDynaliteTable(hashed, false);
    try (Coffer c = new TestStores().open(dir.resolve("s" + seed))) {
      coffer = c;
      c.createTable(
          TableSpec.builder()
              .name(sorted)
              .partitionKey("pk", AttributeType.S)
              .sortKey("sk", AttributeType.N)
              .pageTargetBytes(512)
              .build());
      c.createTable(TableSpec.builder().name(hashed).partitionKey("pk", AttributeType.S).build());
      for (int i = 0; i < OPERATIONS; i++) {
        int r = gen.nextInt(100);
        if (r < 22) {
          put();
        } else if (r < 46) {
          update();
        } else if (r < 55) {
          delete();
        } else if (r < 64) {
          get();
        } else if (r < 78) {
          query();
        } else if (r < 86) {
          scan();
        } else if (r < 93) {
          batchWrite();
        } else {
          batchGet();
        }
        if (i % 40 == 39) {
          compareTables();
        }
      }
      compareTables();
    }
  }

  private static void createDynaliteTable(String name, boolean sortKey) {
    List<AttributeDefinition> defs =
        new ArrayList<>(
            List.of(
                AttributeDefinition.builder()
                    .attributeName("pk")
                    .attributeType(ScalarAttributeType.S)
                    .build()));
    List<KeySchemaElement> keys =
        new ArrayList<>(
            List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    if (sortKey) {
      defs.add(
          AttributeDefinition.builder()
              .attributeName("sk")
              .attributeType(ScalarAttributeType.N)
              .build());
      keys.add(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build());
    }
    ddb.createTable(
        b ->
            b.tableName(name)
                .attributeDefinitions(defs)
                .keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  // ---------------------------------------------------------------------------------- the requests

  private boolean pickSorted() {
    return gen.nextInt(3) > 0;
  }

  private Key randomKey(boolean sortedTable) {
    return sortedTable
        ? Key.of(AttributeValue.s("p" + gen.nextInt(4)), AttributeValue.n(gen.nextInt(20)))
        : Key.of(AttributeValue.s("h" + gen.nextInt(30)));
  }

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> values(
      Exprs e) {
    return e.values.isEmpty() ? null : SdkItems.sdk(e.values);
  }

  private static Map<String, String> names(Exprs e) {
    return e.names.isEmpty() ? null : e.names;
  }

  private static ReturnValue returnValue(String name) {
    return ReturnValue.valueOf(name);
  }

  private void put() {
    boolean s = pickSorted();
    String table = s ? sorted : hashed;
    KeySchema schema = s ? SORTED : HASHED;
    Item item = gen.item(randomKey(s), schema);
    Exprs e = new Exprs();
    if (gen.chance(60)) {
      e.condition = gen.condition(e, true, 2);
    }
    String rv = gen.chance(3) ? "ALL_NEW" : gen.chance(40) ? "ALL_OLD" : "NONE";
    boolean onFailure = gen.chance(30);
    Outcome c =
        onCoffer(
            () ->
                coffer
                    .table(table)
                    .putItem(
                        PutItemRequest.builder()
                            .item(item)
                            .condition(
                                e.condition == null
                                    ? null
                                    : e.parse().conditionExpression().orElseThrow())
                            .returnValues(returnValue(rv))
                            .returnValuesOnConditionCheckFailure(
                                onFailure
                                    ? ReturnValuesOnConditionCheckFailure.ALL_OLD
                                    : ReturnValuesOnConditionCheckFailure.NONE)
                            .build())
                    .attributes()
                    .orElse(null));
    Outcome before = onDynalite(() -> current(table, schema.keyOf(item), schema));
    Outcome d =
        onDynalite(
            () ->
                SdkItems.item(
                    nullIfEmpty(
                        ddb.putItem(
                                b ->
                                    b.tableName(table)
                                        .item(SdkItems.sdk(item))
                                        .conditionExpression(e.condition)
                                        .expressionAttributeNames(names(e))
                                        .expressionAttributeValues(values(e))
                                        .returnValues(rv))
                            .attributes())));
    compare("PutItem", e.condition + " " + rv, c, d);
    checkFailureItem(c, onFailure, before);
  }

  private void update() {
    boolean s = pickSorted();
    String table = s ? sorted : hashed;
    KeySchema schema = s ? SORTED : HASHED;
    Key key = randomKey(s);
    boolean exists = coffer.table(table).getItem(key).isPresent();
    Exprs e = new Exprs();
    e.update = gen.update(e, exists);
    if (gen.chance(40)) {
      e.condition = gen.condition(e, true, 1);
    }
    String rv =
        List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW").get(gen.nextInt(5));
    boolean onFailure = gen.chance(30);
    Outcome before = onDynalite(() -> current(table, key, schema));
    Outcome c =
        onCoffer(
            () -> {
              Expressions parsed = e.parse();
              return coffer
                  .table(table)
                  .updateItem(
                      UpdateItemRequest.builder()
                          .key(key)
                          .update(parsed.updateExpression().orElseThrow())
                          .condition(parsed.conditionExpression().orElse(null))
                          .returnValues(returnValue(rv))
                          .returnValuesOnConditionCheckFailure(
                              onFailure
                                  ? ReturnValuesOnConditionCheckFailure.ALL_OLD
                                  : ReturnValuesOnConditionCheckFailure.NONE)
                          .build())
                  .attributes()
                  .orElse(null);
            });
    Outcome d =
        onDynalite(
            () ->
                SdkItems.item(
                    nullIfEmpty(
                        ddb.updateItem(
                                b ->
                                    b.tableName(table)
                                        .key(SdkItems.sdk(key, schema))
                                        .updateExpression(e.update)
                                        .conditionExpression(e.condition)
                                        .expressionAttributeNames(names(e))
                                        .expressionAttributeValues(values(e))
                                        .returnValues(rv))
                            .attributes())));
    String request = e.update + (e.condition == null ? "" : " IF " + e.condition) + " " + rv;
    if (!exists && c.error() == null && (!e.updateAddsData || e.updateRemovesNested)) {
      knownAbsentItemDifference(table, key, schema, e, request, c, d);
      return;
    }
    compare("UpdateItem", request, c, d);
    checkFailureItem(c, onFailure, before);
  }

  /**
   * An update that DynamoDB applies to an item that does not exist otherwise than dynalite (4.0.0,
   * actions/updateItem.js), which Coffer does as DynamoDB (the sources, ScyllaDB's compatibility
   * tests run against DynamoDB, are in
   * UpdateApplierTest#onAnItemThatDoesNotExistOnlyRemovingCreatesNothing):
   *
   * <ul>
   *   <li>a REMOVE of a nested path or list element ({@code REMOVE d.y}, {@code REMOVE e[0]}):
   *       DynamoDB ignores it; dynalite refuses the update ({@code The document path provided in
   *       the update expression is invalid for update});
   *   <li>an update that only removes (REMOVE, DELETE from a set): DynamoDB creates no item and
   *       returns nothing; dynalite stores an item of the key alone.
   * </ul>
   *
   * Coffer's outcome is checked against DynamoDB's, dynalite's against its known difference, and
   * dynalite's item is then set to Coffer's so that the sequences go on from one state.
   */
  private void knownAbsentItemDifference(
      String table, Key key, KeySchema schema, Exprs e, String request, Outcome c, Outcome d) {
    String kind;
    boolean dynaliteAsKnown;
    Item dynaliteItem = current(table, key, schema);
    if (e.updateRemovesNested) {
      kind = "known dynalite difference: nested REMOVE on an absent item (dynalite refuses)";
      dynaliteAsKnown =
          "ValidationException".equals(d.error())
              && "The document path provided in the update expression is invalid for update"
                  .equals(d.message())
              && dynaliteItem == null;
    } else {
      kind =
          "known dynalite difference: only REMOVE/DELETE on an absent item (dynalite creates it)";
      dynaliteAsKnown = d.error() == null && keyItem(key, schema).equals(dynaliteItem);
    }
    Item mine = coffer.table(table).getItem(key).orElse(null);
    boolean cofferAsDynamoDb = e.updateAddsData ? mine != null : mine == null && c.value() == null;
    counts.merge(kind, 1, Integer::sum);
    counts.merge("compared", 1, Integer::sum);
    if (!dynaliteAsKnown || !cofferAsDynamoDb) {
      mismatches.add(
          "UpdateItem on an absent item "
              + request
              + "\n    coffer:   "
              + c
              + ", item "
              + mine
              + "\n    dynalite: "
              + d
              + ", item "
              + dynaliteItem);
    }
    if (mine == null) {
      ddb.deleteItem(b -> b.tableName(table).key(SdkItems.sdk(key, schema)));
    } else {
      ddb.putItem(b -> b.tableName(table).item(SdkItems.sdk(mine)));
    }
  }

  private static Item keyItem(Key key, KeySchema schema) {
    Item.Builder b = Item.builder().put(schema.partitionKeyName(), key.partition());
    if (schema.hasSortKey()) {
      b.put(schema.sortKeyName(), key.sort());
    }
    return b.build();
  }

  private void delete() {
    boolean s = pickSorted();
    String table = s ? sorted : hashed;
    KeySchema schema = s ? SORTED : HASHED;
    Key key = randomKey(s);
    Exprs e = new Exprs();
    if (gen.chance(50)) {
      e.condition = gen.condition(e, true, 2);
    }
    String rv = gen.chance(50) ? "ALL_OLD" : "NONE";
    Outcome c =
        onCoffer(
            () ->
                coffer
                    .table(table)
                    .deleteItem(
                        DeleteItemRequest.builder()
                            .key(key)
                            .condition(
                                e.condition == null
                                    ? null
                                    : e.parse().conditionExpression().orElseThrow())
                            .returnValues(returnValue(rv))
                            .build())
                    .attributes()
                    .orElse(null));
    Outcome d =
        onDynalite(
            () ->
                SdkItems.item(
                    nullIfEmpty(
                        ddb.deleteItem(
                                b ->
                                    b.tableName(table)
                                        .key(SdkItems.sdk(key, schema))
                                        .conditionExpression(e.condition)
                                        .expressionAttributeNames(names(e))
                                        .expressionAttributeValues(values(e))
                                        .returnValues(rv))
                            .attributes())));
    compare("DeleteItem", e.condition + " " + rv, c, d);
  }

  private void get() {
    boolean s = pickSorted();
    String table = s ? sorted : hashed;
    KeySchema schema = s ? SORTED : HASHED;
    Key key = randomKey(s);
    Exprs e = new Exprs();
    if (gen.chance(60)) {
      e.projection = gen.projection(e, true);
    }
    Outcome c =
        onCoffer(
            () ->
                coffer
                    .table(table)
                    .getItem(
                        GetItemRequest.builder()
                            .key(key)
                            .consistentRead(true)
                            .projection(
                                e.projection == null
                                    ? null
                                    : e.parse().projectionExpression().orElseThrow())
                            .build())
                    .item()
                    .orElse(null));
    Outcome d =
        onDynalite(
            () -> {
              var r =
                  ddb.getItem(
                      b ->
                          b.tableName(table)
                              .key(SdkItems.sdk(key, schema))
                              .consistentRead(true)
                              .projectionExpression(e.projection)
                              .expressionAttributeNames(names(e)));
              return r.hasItem() ? SdkItems.item(r.item()) : null;
            });
    compare("GetItem", e.projection, c, d);
  }

  /** One page as both sides report it. */
  private record PageView(List<Item> items, int count, int scannedCount, Key lastEvaluatedKey) {}

  private void query() {
    boolean onSorted = gen.chance(85);
    String table = onSorted ? sorted : hashed;
    KeySchema schema = onSorted ? SORTED : HASHED;
    Exprs e = new Exprs();
    String pk = onSorted ? "p" + gen.nextInt(4) : "h" + gen.nextInt(30);
    e.keyCondition = e.name("pk") + " = " + e.value(AttributeValue.s(pk));
    if (onSorted && gen.chance(60)) {
      String sk = e.name("sk");
      int lo = gen.nextInt(20);
      e.keyCondition +=
          switch (gen.nextInt(4)) {
            case 0 ->
                " AND "
                    + sk
                    + " BETWEEN "
                    + e.value(AttributeValue.n(lo))
                    + " AND "
                    + e.value(AttributeValue.n(lo + gen.nextInt(8)));
            case 1 -> " AND " + sk + " < " + e.value(AttributeValue.n(lo));
            case 2 -> " AND " + sk + " >= " + e.value(AttributeValue.n(lo));
            default -> " AND " + sk + " = " + e.value(AttributeValue.n(lo));
          };
    }
    if (gen.chance(60)) {
      e.filter = gen.condition(e, false, 1);
      if (gen.chance(5)) {
        e.filter =
            e.filter
                + " AND "
                + e.name(onSorted && gen.chance(50) ? "sk" : "pk")
                + " <> "
                + e.value(AttributeValue.s("zz")); // refused: a key attribute in a Query filter
      }
    }
    boolean count = gen.chance(15);
    if (!count && gen.chance(30)) {
      e.projection = gen.projection(e, false);
    }
    Integer limit = gen.chance(60) ? 1 + gen.nextInt(8) : null;
    boolean forward = gen.chance(70);
    String request =
        e.keyCondition
            + (e.filter == null ? "" : " FILTER " + e.filter)
            + " limit "
            + limit
            + (forward ? "" : " desc")
            + (count ? " COUNT" : "");
    Key cofferStart = null;
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> dynaliteStart = null;
    for (int page = 0; page < 40; page++) {
      Key from = cofferStart;
      Outcome c =
          onCoffer(
              () -> {
                Expressions parsed = e.parse();
                Query q = parsed.keyCondition(schema);
                q = limit == null ? q : q.limit(limit);
                q = forward ? q : q.descending();
                q = from == null ? q : q.exclusiveStartKey(from);
                Page p =
                    coffer
                        .table(table)
                        .query(
                            QueryRequest.builder()
                                .query(q)
                                .filter(parsed.filterExpression().orElse(null))
                                .projection(parsed.projectionExpression().orElse(null))
                                .select(count ? Select.COUNT : null)
                                .build());
                return new PageView(
                    p.items(), p.count(), p.scannedCount(), p.lastEvaluatedKey().orElse(null));
              });
      var start = dynaliteStart;
      Outcome d =
          onDynalite(
              () -> {
                QueryResponse r =
                    ddb.query(
                        b ->
                            b.tableName(table)
                                .keyConditionExpression(e.keyCondition)
                                .filterExpression(e.filter)
                                .projectionExpression(e.projection)
                                .expressionAttributeNames(names(e))
                                .expressionAttributeValues(values(e))
                                .limit(limit)
                                .scanIndexForward(forward)
                                .select(count ? "COUNT" : null)
                                .exclusiveStartKey(start));
                return new PageView(
                    r.items().stream().map(SdkItems::item).toList(),
                    r.count(),
                    r.scannedCount(),
                    SdkItems.key(r.lastEvaluatedKey(), schema));
              });
      compare("Query", request + " page " + page, c, d);
      if (c.value() == null || d.value() == null) {
        return;
      }
      cofferStart = ((PageView) c.value()).lastEvaluatedKey();
      Key dynaliteKey = ((PageView) d.value()).lastEvaluatedKey();
      if (cofferStart == null || dynaliteKey == null) {
        return;
      }
      dynaliteStart = SdkItems.sdk(dynaliteKey, schema);
    }
  }

  /** A scan, read to its end, in the form both orders agree on. */
  private record ScanView(
      Set<Item> items, int count, List<Integer> scannedPerPage, List<Boolean> keyPerPage) {}

  private void scan() {
    boolean s = pickSorted();
    String table = s ? sorted : hashed;
    KeySchema schema = s ? SORTED : HASHED;
    Exprs e = new Exprs();
    if (gen.chance(60)) {
      e.filter = gen.condition(e, true, 2);
    }
    boolean count = gen.chance(15);
    if (!count && gen.chance(30)) {
      e.projection = gen.projection(e, true);
    }
    Integer limit = gen.chance(60) ? 1 + gen.nextInt(15) : null;
    String request =
        e.filter + " projection " + e.projection + " limit " + limit + (count ? " COUNT" : "");
    Outcome c =
        onCoffer(
            () -> {
              Expressions parsed = e.parse();
              ScanView v = new ScanView(new HashSet<>(), 0, new ArrayList<>(), new ArrayList<>());
              int total = 0;
              Scan scan = limit == null ? Scan.all() : Scan.all().limit(limit);
              for (int page = 0; page < 500; page++) {
                Page p =
                    coffer
                        .table(table)
                        .scan(
                            ScanRequest.builder()
                                .scan(scan)
                                .filter(parsed.filterExpression().orElse(null))
                                .projection(parsed.projectionExpression().orElse(null))
                                .select(count ? Select.COUNT : null)
                                .build());
                v.items().addAll(p.items());
                total += p.count();
                v.scannedPerPage().add(p.scannedCount());
                v.keyPerPage().add(p.lastEvaluatedKey().isPresent());
                if (p.lastEvaluatedKey().isEmpty()) {
                  break;
                }
                scan = scan.exclusiveStartKey(p.lastEvaluatedKey().get());
              }
              return new ScanView(v.items(), total, v.scannedPerPage(), v.keyPerPage());
            });
    Outcome d =
        onDynalite(
            () -> {
              ScanView v = new ScanView(new HashSet<>(), 0, new ArrayList<>(), new ArrayList<>());
              int total = 0;
              Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start =
                  null;
              for (int page = 0; page < 500; page++) {
                var from = start;
                ScanResponse r =
                    ddb.scan(
                        b ->
                            b.tableName(table)
                                .filterExpression(e.filter)
                                .projectionExpression(e.projection)
                                .expressionAttributeNames(names(e))
                                .expressionAttributeValues(values(e))
                                .limit(limit)
                                .select(count ? "COUNT" : null)
                                .exclusiveStartKey(from));
                r.items().forEach(i -> v.items().add(SdkItems.item(i)));
                total += r.count();
                v.scannedPerPage().add(r.scannedCount());
                v.keyPerPage().add(r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty());
                if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) {
                  break;
                }
                start = r.lastEvaluatedKey();
              }
              return new ScanView(v.items(), total, v.scannedPerPage(), v.keyPerPage());
            });
    compare("Scan", request, c, d);
  }

  private void batchWrite() {
    Map<String, List<WriteRequest>> writes = new LinkedHashMap<>();
    int n = 1 + gen.nextInt(10);
    for (int i = 0; i < n; i++) {
      boolean s = pickSorted();
      Key key = randomKey(s);
      WriteRequest w =
          gen.chance(70)
              ? WriteRequest.put(gen.item(key, s ? SORTED : HASHED))
              : WriteRequest.delete(key);
      writes.computeIfAbsent(s ? sorted : hashed, t -> new ArrayList<>()).add(w);
    }
    Outcome c =
        onCoffer(
            () ->
                coffer
                    .batchWriteItem(BatchWriteItemRequest.builder().requestItems(writes).build())
                    .unprocessedItems());
    Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> sdk =
        new LinkedHashMap<>();
    writes.forEach(
        (t, list) ->
            sdk.put(
                t,
                list.stream()
                    .map(
                        w ->
                            w.isPut()
                                ? software.amazon.awssdk.services.dynamodb.model.WriteRequest
                                    .builder()
                                    .putRequest(p -> p.item(SdkItems.sdk(w.item())))
                                    .build()
                                : software.amazon.awssdk.services.dynamodb.model.WriteRequest
                                    .builder()
                                    .deleteRequest(
                                        r ->
                                            r.key(
                                                SdkItems.sdk(
                                                    w.key(), t.equals(sorted) ? SORTED : HASHED)))
                                    .build())
                    .toList()));
    Outcome d = onDynalite(() -> ddb.batchWriteItem(b -> b.requestItems(sdk)).unprocessedItems());
    compare("BatchWriteItem", writes.toString(), c, d);
  }

  private void batchGet() {
    Map<String, List<Key>> keys = new LinkedHashMap<>();
    int n = 1 + gen.nextInt(20);
    for (int i = 0; i < n; i++) {
      boolean s = pickSorted();
      keys.computeIfAbsent(s ? sorted : hashed, t -> new ArrayList<>()).add(randomKey(s));
    }
    Map<String, Exprs> projections = new LinkedHashMap<>();
    keys.keySet()
        .forEach(
            t -> {
              Exprs e = new Exprs();
              if (gen.chance(40)) {
                e.projection = gen.projection(e, true);
              }
              projections.put(t, e);
            });
    Outcome c =
        onCoffer(
            () -> {
              BatchGetItemRequest.Builder b = BatchGetItemRequest.builder();
              keys.forEach(
                  (t, ks) ->
                      b.requestItems(
                          t,
                          KeysAndAttributes.builder()
                              .keys(ks)
                              .projection(
                                  projections.get(t).projection == null
                                      ? null
                                      : projections
                                          .get(t)
                                          .parse()
                                          .projectionExpression()
                                          .orElseThrow())
                              .build()));
              Map<String, Set<Item>> out = new LinkedHashMap<>();
              coffer
                  .batchGetItem(b.build())
                  .responses()
                  .forEach((t, items) -> out.put(t, new HashSet<>(items)));
              return out;
            });
    Outcome d =
        onDynalite(
            () -> {
              Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> req =
                  new LinkedHashMap<>();
              keys.forEach(
                  (t, ks) ->
                      req.put(
                          t,
                          software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                              .keys(
                                  ks.stream()
                                      .map(k -> SdkItems.sdk(k, t.equals(sorted) ? SORTED : HASHED))
                                      .toList())
                              .projectionExpression(projections.get(t).projection)
                              .expressionAttributeNames(names(projections.get(t)))
                              .build()));
              BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(req));
              Map<String, Set<Item>> out = new LinkedHashMap<>();
              keys.keySet().forEach(t -> out.put(t, new HashSet<>()));
              r.responses()
                  .forEach((t, items) -> items.forEach(i -> out.get(t).add(SdkItems.item(i))));
              return out;
            });
    compare("BatchGetItem", keys.toString(), c, d);
  }

  // --------------------------------------------------------------------------------- the helpers

  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>
      nullIfEmpty(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> m) {
    return m == null || m.isEmpty() ? null : m;
  }

  private static Item current(String table, Key key, KeySchema schema) {
    var r =
        ddb.getItem(b -> b.tableName(table).key(SdkItems.sdk(key, schema)).consistentRead(true));
    return r.hasItem() ? SdkItems.item(r.item()) : null;
  }

  /**
   * ReturnValuesOnConditionCheckFailure (dynalite ignores it): the item Coffer's exception carries
   * must be the item dynalite held before the call, when it was asked for.
   */
  private void checkFailureItem(Outcome c, boolean asked, Outcome before) {
    if (!"ConditionalCheckFailedException".equals(c.error())) {
      return;
    }
    counts.merge("ReturnValuesOnConditionCheckFailure (against dynalite's item)", 1, Integer::sum);
    Item carried = lastFailureItem;
    Item expected = asked ? (Item) before.value() : null;
    if (!Objects.equals(carried, expected)) {
      mismatches.add(
          "ReturnValuesOnConditionCheckFailure: coffer " + carried + ", dynalite held " + expected);
    }
  }

  /** Every item of both tables on both sides. */
  private void compareTables() {
    for (String table : List.of(sorted, hashed)) {
      Set<Item> mine = new HashSet<>(coffer.table(table).scan(Scan.all()).items());
      Set<Item> theirs = new HashSet<>();
      ddb.scanPaginator(b -> b.tableName(table)).items().forEach(i -> theirs.add(SdkItems.item(i)));
      counts.merge("table contents", 1, Integer::sum);
      if (!mine.equals(theirs)) {
        List<Item> onlyMine =
            mine.stream()
                .filter(i -> !theirs.contains(i))
                .sorted(Comparator.comparing(Item::toString))
                .toList();
        List<Item> onlyTheirs =
            theirs.stream()
                .filter(i -> !mine.contains(i))
                .sorted(Comparator.comparing(Item::toString))
                .toList();
        mismatches.add(
            "table " + table + ": only in coffer " + onlyMine + "; only in dynalite " + onlyTheirs);
        if (onlyMine.isEmpty()) {
          continue;
        }
        // continue from dynalite's state so that one difference is reported once
        coffer.batchWriteItem(
            BatchWriteItemRequest.builder()
                .requestItems(
                    table,
                    onlyMine.stream()
                        .map(
                            i ->
                                WriteRequest.delete(
                                    (table.equals(sorted) ? SORTED : HASHED).keyOf(i)))
                        .limit(25)
                        .toList())
                .build());
      }
    }
  }
}
