package dev.coffer.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * (Over 400 lines: the generator, the canonical forms and dynalite's stand-in for transactions
 * belong together; split, each part would need the others' state.)
 *
 * <p>One seeded random sequence of data-plane calls made through the SDK's {@link DynamoDbClient}
 * on {@code coffer serve} and on dynalite at once, each answer compared in a canonical form (maps
 * by name, sets sorted, errors by their code): conditional PutItem and DeleteItem, UpdateItem (SET,
 * REMOVE, ADD, DELETE, list_append, if_not_exists, arithmetic; every ReturnValues; conditions;
 * updates that cannot apply), GetItem with projections, Query and Scan with FilterExpression,
 * ProjectionExpression, Select COUNT, Limit and paging (Count, ScannedCount, LastEvaluatedKey,
 * consumed capacity), BatchWriteItem and BatchGetItem.
 *
 * <p>dynalite has no transactions: a TransactWriteItems step runs on Coffer, and on dynalite as
 * what DynamoDB specifies it to be: each action's condition evaluated on the current item (a Query
 * with the condition as its filter, or on "no item"), then, only when every condition holds, the
 * actions applied one by one. The outcomes ({@code OK} or the cancellation reason codes) are
 * compared, and every later read compares the state they left.
 */
final class DataPlaneSequence {
  /** Operations compared, the mismatches, and the operations per kind. */
  record Tally(
      int operations,
      List<String> mismatches,
      Map<String, Integer> perKind,
      Map<String, Integer> knownDifferences) {}

  private static final String TABLE = "Plane";
  private static final String[] CONDITIONS = {
    "attribute_not_exists(pk)",
    "attribute_exists(pk)",
    "n > :x",
    "v = :v OR attribute_not_exists(v)",
    "begins_with(v, :pre)",
    "size(tags) >= :one",
    "NOT contains(tags, :t)",
    "n BETWEEN :x AND :y",
    "attribute_type(v, :typ)",
    "n IN (:x, :y, :one)"
  };
  private static final Set<String> HOLD_ON_NO_ITEM =
      Set.of(
          "attribute_not_exists(pk)",
          "v = :v OR attribute_not_exists(v)",
          "NOT contains(tags, :t)");
  private static final String[] UPDATES = {
    "SET v = :v",
    "ADD n :d",
    "SET n = n + :d",
    "REMOVE v",
    "SET v = if_not_exists(v, :v), n = :d",
    "ADD tags :ss",
    "DELETE tags :ss",
    "SET l = list_append(if_not_exists(l, :empty), :lst)",
    "REMOVE l[0], tags",
    "SET n = :d - n",
    "ADD v :d",
    "SET pk = :v",
    "SET #r = :v"
  };
  private static final String[] FILTERS = {
    "n > :x",
    "attribute_exists(v)",
    "contains(tags, :t)",
    "begins_with(v, :pre) OR n < :x",
    "attribute_not_exists(l)"
  };

  private final DynamoDbClient coffer;
  private final DynamoDbClient dynalite;
  private final Random rnd;
  private final List<String> mismatches = new ArrayList<>();
  private final Map<String, Integer> perKind = new TreeMap<>();
  private final Map<String, Integer> known = new TreeMap<>();
  private int operations;

  DataPlaneSequence(DynamoDbClient coffer, DynamoDbClient dynalite, Random rnd) {
    this.coffer = coffer;
    this.dynalite = dynalite;
    this.rnd = rnd;
  }

  Tally run(int steps) {
    for (DynamoDbClient c : List.of(coffer, dynalite)) {
      c.createTable(
          t ->
              t.tableName(TABLE)
                  .attributeDefinitions(
                      DynamoDbOperationsTest.def("pk", ScalarAttributeType.S),
                      DynamoDbOperationsTest.def("sk", ScalarAttributeType.N))
                  .keySchema(
                      DynamoDbOperationsTest.key("pk", KeyType.HASH),
                      DynamoDbOperationsTest.key("sk", KeyType.RANGE))
                  .billingMode(BillingMode.PAY_PER_REQUEST));
      c.waiter().waitUntilTableExists(t -> t.tableName(TABLE));
    }
    for (int i = 0; i < steps; i++) {
      step(i);
    }
    return new Tally(operations, mismatches, perKind, known);
  }

  private void compare(String kind, String label, Function<DynamoDbClient, String> call) {
    compare(kind, label, call, null, (a, b) -> null);
  }

  /**
   * Compares one call's outcomes; {@code knownDifference} names a documented difference between
   * dynalite and DynamoDB for this pair of outcomes (or null): it is counted, not a mismatch, and
   * the item at {@code key} is copied from Coffer to dynalite so that later steps compare equal
   * states.
   */
  private void compare(
      String kind,
      String label,
      Function<DynamoDbClient, String> call,
      Map<String, AttributeValue> key,
      java.util.function.BiFunction<String, String, String> knownDifference) {
    String a = outcome(call, coffer);
    String b = outcome(call, dynalite);
    operations++;
    perKind.merge(kind, 1, Integer::sum);
    if (a.equals(b)) {
      return;
    }
    String reason = knownDifference.apply(a, b);
    if (reason == null) {
      mismatches.add(label + ": coffer " + a + " / dynalite " + b);
      return;
    }
    known.merge(reason, 1, Integer::sum);
    Map<String, AttributeValue> now = coffer.getItem(g -> g.tableName(TABLE).key(key)).item();
    if (now == null || now.isEmpty()) {
      dynalite.deleteItem(d -> d.tableName(TABLE).key(key));
    } else {
      dynalite.putItem(p -> p.tableName(TABLE).item(now));
    }
  }

  private static final String ONLY_REMOVES_FROM_ABSENT =
      "REMOVE or DELETE alone on an item that does not exist: no item in DynamoDB and Coffer, an"
          + " item of the key alone in dynalite";

  /**
   * After a call whose known dynalite difference may be in the stored item alone (the answers
   * equal): when the items at {@code key} differ, counts {@code reason} and copies Coffer's item to
   * dynalite.
   */
  private void alignAfterKnownDifference(String reason, Map<String, AttributeValue> key) {
    Map<String, AttributeValue> mine = coffer.getItem(g -> g.tableName(TABLE).key(key)).item();
    Map<String, AttributeValue> theirs = dynalite.getItem(g -> g.tableName(TABLE).key(key)).item();
    if (canon(mine.isEmpty() ? null : mine).equals(canon(theirs.isEmpty() ? null : theirs))) {
      return;
    }
    known.merge(reason, 1, Integer::sum);
    if (mine.isEmpty()) {
      dynalite.deleteItem(d -> d.tableName(TABLE).key(key));
    } else {
      dynalite.putItem(p -> p.tableName(TABLE).item(mine));
    }
  }

  private static String outcome(Function<DynamoDbClient, String> call, DynamoDbClient c) {
    try {
      return call.apply(c);
    } catch (DynamoDbException e) {
      return "error " + e.awsErrorDetails().errorCode();
    }
  }

  // ---- canonical forms ----

  static String canon(AttributeValue v) {
    if (v == null) {
      return "null";
    }
    return switch (v.type()) {
      case S -> "S:" + v.s();
      case N -> "N:" + new java.math.BigDecimal(v.n()).stripTrailingZeros().toPlainString();
      case B -> "B:" + v.b().asUtf8String();
      case BOOL -> "BOOL:" + v.bool();
      case NUL -> "NULL";
      case SS -> "SS:" + new TreeSet<>(v.ss());
      case NS ->
          "NS:"
              + new TreeSet<>(
                  v.ns().stream()
                      .map(x -> new java.math.BigDecimal(x).stripTrailingZeros().toPlainString())
                      .toList());
      case BS -> "BS:" + new TreeSet<>(v.bs().stream().map(SdkBytes::asUtf8String).toList());
      case L -> "L:" + v.l().stream().map(DataPlaneSequence::canon).toList();
      case M -> "M:" + canon(v.m());
      default -> "?" + v;
    };
  }

  static String canon(Map<String, AttributeValue> item) {
    if (item == null) {
      return "none";
    }
    Map<String, String> sorted = new TreeMap<>();
    item.forEach((k, v) -> sorted.put(k, canon(v)));
    return sorted.toString();
  }

  private static String capacity(ConsumedCapacity c) {
    return c == null ? "-" : c.tableName() + "=" + c.capacityUnits();
  }

  // ---- random pieces ----

  private String pk() {
    return "p" + rnd.nextInt(3);
  }

  private int sk() {
    return rnd.nextInt(12);
  }

  private static Map<String, AttributeValue> key(String pk, int sk) {
    Map<String, AttributeValue> k = new LinkedHashMap<>();
    k.put("pk", AttributeValue.fromS(pk));
    k.put("sk", AttributeValue.fromN(Integer.toString(sk)));
    return k;
  }

  private Map<String, AttributeValue> randomItem(String pk, int sk) {
    Map<String, AttributeValue> item = key(pk, sk);
    if (rnd.nextInt(4) > 0) {
      item.put("v", AttributeValue.fromS("v" + rnd.nextInt(6)));
    }
    if (rnd.nextInt(4) > 0) {
      item.put("n", AttributeValue.fromN(Integer.toString(rnd.nextInt(20) - 5)));
    }
    if (rnd.nextBoolean()) {
      item.put(
          "tags", AttributeValue.fromSs(List.of("t" + rnd.nextInt(3), "t" + (3 + rnd.nextInt(3)))));
    }
    return item;
  }

  /** The placeholders an expression uses, with random values. */
  private Map<String, AttributeValue> values(String... expressions) {
    Map<String, AttributeValue> all = new LinkedHashMap<>();
    all.put(":x", AttributeValue.fromN(Integer.toString(rnd.nextInt(16) - 3)));
    // :y >= :x, so that "n BETWEEN :x AND :y" is valid (DynamoDB refuses a lower bound above the
    // upper one)
    all.put(
        ":y",
        AttributeValue.fromN(
            Integer.toString(Integer.parseInt(all.get(":x").n()) + rnd.nextInt(9))));
    all.put(":v", AttributeValue.fromS("v" + rnd.nextInt(6)));
    all.put(":pre", AttributeValue.fromS(rnd.nextBoolean() ? "v" : "v" + rnd.nextInt(6)));
    all.put(":one", AttributeValue.fromN("1"));
    all.put(":t", AttributeValue.fromS("t" + rnd.nextInt(6)));
    all.put(":typ", AttributeValue.fromS(rnd.nextBoolean() ? "S" : "N"));
    all.put(":d", AttributeValue.fromN(Integer.toString(rnd.nextInt(7) - 2)));
    all.put(":ss", AttributeValue.fromSs(List.of("t" + rnd.nextInt(6))));
    all.put(":empty", AttributeValue.fromL(List.of()));
    all.put(
        ":lst",
        AttributeValue.fromL(List.of(AttributeValue.fromN(Integer.toString(rnd.nextInt(9))))));
    String joined = String.join(" ", expressions);
    Map<String, AttributeValue> used = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(k) + "(?![A-Za-z0-9_])")
              .matcher(joined)
              .find()) {
            used.put(k, v);
          }
        });
    return used.isEmpty() ? null : used;
  }

  private static Map<String, String> names(String... expressions) {
    return String.join(" ", expressions).contains("#r") ? Map.of("#r", "region") : null;
  }

  private String condition() {
    return CONDITIONS[rnd.nextInt(CONDITIONS.length)];
  }

  // ---- the steps ----

  private void step(int i) {
    int op = rnd.nextInt(12);
    String pk = pk();
    int sk = sk();
    String label = "step " + i + " op " + op + " " + pk + "/" + sk;
    switch (op) {
      case 0, 1 -> {
        Map<String, AttributeValue> item = randomItem(pk, sk);
        String cond = rnd.nextInt(3) == 0 ? null : condition();
        Map<String, AttributeValue> vals = cond == null ? null : values(cond);
        boolean old = rnd.nextBoolean();
        compare(
            "PutItem",
            label + " put if " + cond,
            c -> {
              var r =
                  c.putItem(
                      b ->
                          b.tableName(TABLE)
                              .item(item)
                              .conditionExpression(cond)
                              .expressionAttributeValues(vals)
                              .returnValues(old ? ReturnValue.ALL_OLD : ReturnValue.NONE)
                              .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
              return canon(r.hasAttributes() ? r.attributes() : null)
                  + " "
                  + capacity(r.consumedCapacity());
            });
      }
      case 2, 3, 4 -> {
        String update = UPDATES[rnd.nextInt(UPDATES.length)];
        String cond = rnd.nextInt(3) == 0 ? condition() : null;
        Map<String, AttributeValue> vals = values(update, cond == null ? "" : cond);
        Map<String, String> names = names(update);
        ReturnValue rv =
            ReturnValue.knownValues().stream()
                .sorted()
                .toList()
                .get(rnd.nextInt(ReturnValue.knownValues().size()));
        boolean cap = rnd.nextBoolean();
        // REMOVE and DELETE alone on an item that does not exist: DynamoDB (and Coffer) create
        // nothing, dynalite creates the item from its key (engine UpdateApplierTest gives the
        // sources); the states are brought together after the call.
        boolean onlyRemovesFromAbsent =
            (update.startsWith("REMOVE") || update.startsWith("DELETE"))
                && !coffer.getItem(g -> g.tableName(TABLE).key(key(pk, sk))).hasItem();
        compare(
            "UpdateItem",
            label + " update " + update + " if " + cond + " " + rv,
            c -> {
              var r =
                  c.updateItem(
                      b ->
                          b.tableName(TABLE)
                              .key(key(pk, sk))
                              .updateExpression(update)
                              .conditionExpression(cond)
                              .expressionAttributeValues(vals)
                              .expressionAttributeNames(names)
                              .returnValues(rv)
                              .returnConsumedCapacity(cap ? ReturnConsumedCapacity.TOTAL : null));
              // dynalite answers an UPDATED_* that selects nothing with "Attributes": {}; DynamoDB
              // (and Coffer) leave
              // Attributes out: the same for this comparison.
              return canon(r.hasAttributes() && !r.attributes().isEmpty() ? r.attributes() : null)
                  + " "
                  + capacity(r.consumedCapacity());
            },
            key(pk, sk),
            (a, b) -> {
              if (a.equals("error ConditionalCheckFailedException")
                  && b.equals("error ValidationException")) {
                return "condition false and update invalid: DynamoDB evaluates the condition first"
                    + " (ConditionalCheckFailedException), dynalite applies the update first (ValidationException)";
              }
              if (update.startsWith("REMOVE l[0]")
                  && !a.startsWith("error")
                  && b.equals("error ValidationException")) {
                return "REMOVE of a list element on an item that does not exist: ignored (and no"
                    + " item created) by DynamoDB and Coffer; a ValidationException in dynalite";
              }
              if (onlyRemovesFromAbsent && !a.startsWith("error") && !b.startsWith("error")) {
                return ONLY_REMOVES_FROM_ABSENT;
              }
              return null;
            });
        if (onlyRemovesFromAbsent) {
          alignAfterKnownDifference(ONLY_REMOVES_FROM_ABSENT, key(pk, sk));
        }
      }
      case 5 -> {
        String cond = rnd.nextBoolean() ? null : condition();
        Map<String, AttributeValue> vals = cond == null ? null : values(cond);
        compare(
            "DeleteItem",
            label + " delete if " + cond,
            c -> {
              var r =
                  c.deleteItem(
                      b ->
                          b.tableName(TABLE)
                              .key(key(pk, sk))
                              .conditionExpression(cond)
                              .expressionAttributeValues(vals)
                              .returnValues(ReturnValue.ALL_OLD)
                              .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
              return canon(r.hasAttributes() ? r.attributes() : null)
                  + " "
                  + capacity(r.consumedCapacity());
            });
      }
      case 6 -> {
        String projection =
            rnd.nextBoolean() ? null : rnd.nextBoolean() ? "v, n" : "tags, l[0], sk";
        compare(
            "GetItem",
            label + " get " + projection,
            c ->
                canon(
                    c.getItem(
                            b ->
                                b.tableName(TABLE)
                                    .key(key(pk, sk))
                                    .projectionExpression(projection))
                        .item()));
      }
      case 7, 8 -> query(label, pk);
      case 9 -> scan(label);
      case 10 -> batch(label);
      default -> transaction(label);
    }
  }

  private void query(String label, String pk) {
    String filter = rnd.nextInt(3) == 0 ? null : FILTERS[rnd.nextInt(FILTERS.length)];
    boolean count = rnd.nextInt(4) == 0;
    String projection = count || rnd.nextBoolean() ? null : "sk, v";
    Integer limit = rnd.nextBoolean() ? null : 1 + rnd.nextInt(5);
    boolean forward = rnd.nextBoolean();
    Map<String, AttributeValue> vals = values(filter == null ? "" : filter);
    Map<String, AttributeValue> withKey = new LinkedHashMap<>(vals == null ? Map.of() : vals);
    withKey.put(":p", AttributeValue.fromS(pk));
    compare(
        "Query",
        label
            + " query filter "
            + filter
            + " count "
            + count
            + " proj "
            + projection
            + " limit "
            + limit,
        c -> {
          StringBuilder sb = new StringBuilder();
          Map<String, AttributeValue> start = null;
          do {
            Map<String, AttributeValue> from = start;
            QueryResponse r =
                c.query(
                    q ->
                        q.tableName(TABLE)
                            .keyConditionExpression("pk = :p")
                            .filterExpression(filter)
                            .expressionAttributeValues(withKey)
                            .projectionExpression(projection)
                            .select(count ? Select.COUNT : null)
                            .limit(limit)
                            .scanIndexForward(forward)
                            .exclusiveStartKey(from)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            sb.append(r.items().stream().map(DataPlaneSequence::canon).toList())
                .append(' ')
                .append(r.count())
                .append('/')
                .append(r.scannedCount())
                .append(' ')
                .append(canon(r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null))
                .append(' ')
                .append(capacity(r.consumedCapacity()))
                .append('\n');
            start = r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null;
          } while (start != null);
          return sb.toString();
        });
  }

  private void scan(String label) {
    String filter = rnd.nextInt(3) == 0 ? null : FILTERS[rnd.nextInt(FILTERS.length)];
    boolean count = rnd.nextInt(4) == 0;
    String projection = count || rnd.nextBoolean() ? null : "pk, sk, n";
    int limit = 1 + rnd.nextInt(8);
    Map<String, AttributeValue> vals = values(filter == null ? "" : filter);
    // Scan order is each implementation's own: compare the items as a sorted set and the summed
    // counts.
    compare(
        "Scan",
        label + " scan filter " + filter + " count " + count + " proj " + projection,
        c -> {
          Set<String> items = new TreeSet<>();
          int matched = 0;
          int scanned = 0;
          for (ScanResponse p :
              c.scanPaginator(
                  r ->
                      r.tableName(TABLE)
                          .filterExpression(filter)
                          .expressionAttributeValues(vals)
                          .projectionExpression(projection)
                          .select(count ? Select.COUNT : null)
                          .limit(limit))) {
            p.items().forEach(it -> items.add(canon(it)));
            matched += p.count();
            scanned += p.scannedCount();
          }
          return matched + "/" + scanned + " " + items;
        });
  }

  private void batch(String label) {
    Set<String> keys = new LinkedHashSet<>();
    int n = 1 + rnd.nextInt(6);
    List<WriteRequest> writes = new ArrayList<>();
    List<Map<String, AttributeValue>> gets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String pk = pk();
      int sk = sk();
      if (!keys.add(pk + "/" + sk)) {
        continue;
      }
      gets.add(key(pk, sk));
      writes.add(
          rnd.nextInt(3) == 0
              ? WriteRequest.builder().deleteRequest(d -> d.key(key(pk, sk))).build()
              : WriteRequest.builder().putRequest(p -> p.item(randomItem(pk, sk))).build());
    }
    if (rnd.nextBoolean()) {
      String projection = rnd.nextBoolean() ? null : "pk, sk, v";
      compare(
          "BatchGetItem",
          label + " batch get " + keys,
          c -> {
            var r =
                c.batchGetItem(
                    b ->
                        b.requestItems(
                            Map.of(
                                TABLE,
                                KeysAndAttributes.builder()
                                    .keys(gets)
                                    .projectionExpression(projection)
                                    .build())));
            Set<String> items = new TreeSet<>();
            r.responses().getOrDefault(TABLE, List.of()).forEach(it -> items.add(canon(it)));
            return items + " unprocessed " + r.unprocessedKeys().size();
          });
    } else {
      compare(
          "BatchWriteItem",
          label + " batch write " + keys,
          c -> {
            var r =
                c.batchWriteItem(
                    b ->
                        b.requestItems(Map.of(TABLE, writes))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return "unprocessed "
                + r.unprocessedItems().size()
                + " "
                + r.consumedCapacity().stream().map(DataPlaneSequence::capacity).toList();
          });
    }
  }

  /** One action of a transaction, as dynalite is made to run it. */
  private record Action(
      String kind,
      Map<String, AttributeValue> key,
      Map<String, AttributeValue> item,
      String update,
      String condition,
      Map<String, AttributeValue> values) {}

  private void transaction(String label) {
    Set<String> keys = new LinkedHashSet<>();
    List<Action> actions = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      String pk = pk();
      int sk = sk();
      if (!keys.add(pk + "/" + sk)) {
        continue;
      }
      String cond = rnd.nextBoolean() ? condition() : null;
      int kind = rnd.nextInt(4);
      String update = kind == 1 ? (rnd.nextBoolean() ? "ADD n :d" : "SET v = :v") : null;
      if (kind == 3 && cond == null) {
        cond = condition();
      }
      String c = cond;
      Map<String, AttributeValue> vals = values(update == null ? "" : update, c == null ? "" : c);
      actions.add(
          switch (kind) {
            case 0 -> new Action("Put", key(pk, sk), randomItem(pk, sk), null, c, vals);
            case 1 -> new Action("Update", key(pk, sk), null, update, c, vals);
            case 2 -> new Action("Delete", key(pk, sk), null, null, c, vals);
            default -> new Action("ConditionCheck", key(pk, sk), null, null, c, vals);
          });
    }
    String described =
        actions.stream()
            .map(a -> a.kind() + " " + canon(a.key()) + " if " + a.condition())
            .toList()
            .toString();
    String a = outcome(c -> transactOnCoffer(actions), coffer);
    String b = outcome(c -> transactOnDynalite(actions), dynalite);
    operations++;
    perKind.merge("TransactWriteItems", 1, Integer::sum);
    if (!a.equals(b)) {
      mismatches.add(
          label + " transaction " + described + ": coffer " + a + " / dynalite-as-specified " + b);
    }
  }

  private String transactOnCoffer(List<Action> actions) {
    List<TransactWriteItem> items = new ArrayList<>();
    for (Action a : actions) {
      TransactWriteItem.Builder t = TransactWriteItem.builder();
      switch (a.kind()) {
        case "Put" ->
            t.put(
                p ->
                    p.tableName(TABLE)
                        .item(a.item())
                        .conditionExpression(a.condition())
                        .expressionAttributeValues(a.values()));
        case "Update" ->
            t.update(
                u ->
                    u.tableName(TABLE)
                        .key(a.key())
                        .updateExpression(a.update())
                        .conditionExpression(a.condition())
                        .expressionAttributeValues(a.values()));
        case "Delete" ->
            t.delete(
                d ->
                    d.tableName(TABLE)
                        .key(a.key())
                        .conditionExpression(a.condition())
                        .expressionAttributeValues(a.values()));
        default ->
            t.conditionCheck(
                k ->
                    k.tableName(TABLE)
                        .key(a.key())
                        .conditionExpression(a.condition())
                        .expressionAttributeValues(a.values()));
      }
      items.add(t.build());
    }
    try {
      coffer.transactWriteItems(r -> r.transactItems(items));
      return "OK";
    } catch (TransactionCanceledException e) {
      return "cancelled " + e.cancellationReasons().stream().map(r -> r.code()).toList();
    }
  }

  private String transactOnDynalite(List<Action> actions) {
    List<String> reasons = new ArrayList<>();
    boolean all = true;
    for (Action a : actions) {
      boolean holds = a.condition() == null || holds(a);
      reasons.add(holds ? "None" : "ConditionalCheckFailed");
      all &= holds;
    }
    if (!all) {
      return "cancelled " + reasons;
    }
    for (Action a : actions) {
      switch (a.kind()) {
        case "Put" -> dynalite.putItem(p -> p.tableName(TABLE).item(a.item()));
        case "Update" -> {
          Map<String, AttributeValue> only = new LinkedHashMap<>();
          a.values()
              .forEach(
                  (k, v) -> {
                    if (a.update().contains(k)) {
                      only.put(k, v);
                    }
                  });
          dynalite.updateItem(
              u ->
                  u.tableName(TABLE)
                      .key(a.key())
                      .updateExpression(a.update())
                      .expressionAttributeValues(only.isEmpty() ? null : only));
        }
        case "Delete" -> dynalite.deleteItem(d -> d.tableName(TABLE).key(a.key()));
        default -> {}
      }
    }
    return "OK";
  }

  /** Whether the action's condition holds on its item in dynalite now (or on "no item"). */
  private boolean holds(Action a) {
    Map<String, AttributeValue> current =
        dynalite.getItem(g -> g.tableName(TABLE).key(a.key())).item();
    Map<String, AttributeValue> vals = new LinkedHashMap<>();
    (a.values() == null ? Map.<String, AttributeValue>of() : a.values())
        .forEach(
            (k, v) -> {
              if (a.condition().contains(k)) {
                vals.put(k, v);
              }
            });
    if (current == null || current.isEmpty()) {
      // A condition on "no item" (no attribute exists): of CONDITIONS, only these hold.
      return HOLD_ON_NO_ITEM.contains(a.condition());
    }
    Map<String, AttributeValue> withKey = new LinkedHashMap<>(vals);
    withKey.put(":kp", a.key().get("pk"));
    withKey.put(":ks", a.key().get("sk"));
    // The condition as a Scan filter on exactly this item (a Query filter may not name key
    // attributes).
    String filter = "(" + a.condition() + ") AND pk = :kp AND sk = :ks";
    int found = 0;
    for (ScanResponse p :
        dynalite.scanPaginator(
            s -> s.tableName(TABLE).filterExpression(filter).expressionAttributeValues(withKey))) {
      found += p.count();
    }
    return found == 1;
  }
}
