package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.IncorrectKeyException;
import dev.coffer.kms.KeyManagement;
import dev.coffer.kms.NotFoundException;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix of the Java API (issue 17): every case is a call with bad input that must
 * throw its exception type with a message containing the case's fragment (the part that names the
 * problem), and change nothing. Successful writes run between the cases and are recorded in a
 * reference; after the last case every table is scanned and must hold exactly the reference, and
 * the store must list exactly the tables created. One case per line in {@link #cases}: name,
 * exception type, fragment, call.
 */
class BadInputApiMatrixTest {
  @TempDir Path dir;

  private final InMemoryKeyProvider keys =
      InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
  private final Map<String, Map<Key, Item>> reference = new LinkedHashMap<>();
  private final List<DynamicTest> tests = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private Coffer coffer;
  private String master;
  private int bad;

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  @TestFactory
  Stream<DynamicTest> everyBadCallIsRefusedAndNothingIsWritten() throws Exception {
    master = keys.createKey(KeyManagement.CreateKeyRequest.withDescription("api matrix")).keyId();
    coffer =
        Coffer.open(
            dir.resolve("store"),
            CofferOptions.builder().keyProvider(keys).masterKeyId(master).build());
    Table music =
        coffer.createTable(
            TableSpec.builder()
                .name("Music")
                .partitionKey("Artist", AttributeType.S)
                .sortKey("SongTitle", AttributeType.S)
                .build());
    Table numbers =
        coffer.createTable(
            TableSpec.builder().name("Numbers").partitionKey("id", AttributeType.N).build());
    Table bin =
        coffer.createTable(
            TableSpec.builder()
                .name("Bin")
                .partitionKey("pk", AttributeType.B)
                .sortKey("sk", AttributeType.N)
                .build());
    for (String t : List.of("Music", "Numbers", "Bin")) {
      reference.put(t, new HashMap<>());
    }
    cases(music, numbers, bin);
    tests.add(
        DynamicTest.dynamicTest(
            "a full read of the store equals what was written", this::fullRead));
    assertThat(bad).as("bad calls in the matrix").isGreaterThanOrEqualTo(60);
    return tests.stream();
  }

  private void cases(Table music, Table numbers, Table bin) throws Exception {
    Item song =
        Item.builder()
            .string("Artist", "Acme Band")
            .string("SongTitle", "Happy Day")
            .number("Awards", 10)
            .build();
    Key songKey = Key.of("Acme Band", "Happy Day");

    // opening a store
    bad(
        "open without a key provider",
        IllegalStateException.class,
        "a store needs a key provider",
        () -> Coffer.open(dir.resolve("s1"), CofferOptions.builder().masterKeyId(master).build()));
    bad(
        "open with a blank provider URI",
        IllegalArgumentException.class,
        "keyProviderUri must not be blank",
        () -> CofferOptions.builder().keyProviderUri(" "));
    bad(
        "open with a negative cache",
        IllegalArgumentException.class,
        "pageCacheBytes must be 0 (off) or more",
        () -> CofferOptions.builder().pageCacheBytes(-1));
    bad(
        "open with a page target of 10 bytes",
        IllegalArgumentException.class,
        "pageTargetBytes must be 128",
        () -> CofferOptions.builder().pageTargetBytes(10));
    bad(
        "open with an access interval of 2 days",
        IllegalArgumentException.class,
        "accessCheckInterval must be 0 to 1",
        () -> CofferOptions.builder().accessCheckInterval(Duration.ofDays(2)));
    bad(
        "open with an unknown master key",
        NotFoundException.class,
        "alias/nope is not found",
        () ->
            Coffer.open(
                dir.resolve("s2"),
                CofferOptions.builder().keyProvider(keys).masterKeyId("alias/nope").build()));
    bad(
        "open a missing store without createIfMissing",
        StorageException.class,
        "(and createIfMissing is off)",
        () ->
            Coffer.open(
                dir.resolve("s3"),
                CofferOptions.builder()
                    .keyProvider(keys)
                    .masterKeyId(master)
                    .createIfMissing(false)
                    .build()));
    bad(
        "open a store that is a file",
        StorageException.class,
        "Cannot read the store directory",
        () ->
            Coffer.open(
                Files.writeString(dir.resolve("file.txt"), "x"),
                CofferOptions.builder().keyProvider(keys).masterKeyId(master).build()));
    bad(
        "open the store twice in one process",
        StoreLockedException.class,
        "already open in this process",
        () ->
            Coffer.open(
                dir.resolve("store"),
                CofferOptions.builder().keyProvider(keys).masterKeyId(master).build()));
    String other = keys.createKey(KeyManagement.CreateKeyRequest.withDescription("other")).keyId();

    // tables
    bad(
        "table spec without a name",
        ValidationException.class,
        "Value null at 'tableName'",
        () -> TableSpec.builder().partitionKey("pk", AttributeType.S).build());
    bad(
        "table spec without a partition key",
        ValidationException.class,
        "Value null at 'keySchema'",
        () -> TableSpec.builder().name("T11").build());
    bad(
        "table name of 2 characters",
        ValidationException.class,
        "Value 'ab' at 'tableName' failed to satisfy constraint",
        () ->
            coffer.createTable(
                TableSpec.builder().name("ab").partitionKey("pk", AttributeType.S).build()));
    bad(
        "table name with a space",
        ValidationException.class,
        "Value 'a b c' at 'tableName'",
        () ->
            coffer.createTable(
                TableSpec.builder().name("a b c").partitionKey("pk", AttributeType.S).build()));
    bad(
        "table name of 256 characters",
        ValidationException.class,
        "have length between 3 and 255",
        () ->
            coffer.createTable(
                TableSpec.builder()
                    .name("t".repeat(256))
                    .partitionKey("pk", AttributeType.S)
                    .build()));
    bad(
        "partition key of type BOOL",
        ValidationException.class,
        "key attribute pk has type BOOL",
        () -> TableSpec.builder().name("T11").partitionKey("pk", AttributeType.BOOL).build());
    bad(
        "sort key of type L",
        ValidationException.class,
        "key attribute sk has type L",
        () ->
            TableSpec.builder()
                .name("T11")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.L)
                .build());
    bad(
        "sort key named like the partition key",
        ValidationException.class,
        "both keys are named pk",
        () ->
            TableSpec.builder()
                .name("T11")
                .partitionKey("pk", AttributeType.S)
                .sortKey("pk", AttributeType.N)
                .build());
    bad(
        "empty key attribute name",
        ValidationException.class,
        "The partition key attribute name must be 1 to 255 characters long",
        () -> TableSpec.builder().name("T11").partitionKey("", AttributeType.S).build());
    bad(
        "table page target of 10 bytes",
        IllegalArgumentException.class,
        "pageTargetBytes must be 128",
        () -> TableSpec.builder().pageTargetBytes(10));
    bad(
        "rotate after -1 days",
        IllegalArgumentException.class,
        "rotateAfterDays must be 0",
        () -> TableSpec.builder().rotateAfterDays(-1));
    bad(
        "create an existing table",
        ResourceInUseException.class,
        "Table already exists: Music",
        () ->
            coffer.createTable(
                TableSpec.builder().name("Music").partitionKey("x", AttributeType.S).build()));
    bad(
        "open a missing table",
        ResourceNotFoundException.class,
        "Table: NoSuchTable not found",
        () -> coffer.table("NoSuchTable"));
    bad(
        "describe a missing table",
        ResourceNotFoundException.class,
        "Table: NoSuchTable not found",
        () -> coffer.describeTable("NoSuchTable"));
    bad(
        "delete a missing table",
        ResourceNotFoundException.class,
        "Table: NoSuchTable not found",
        () -> coffer.deleteTable("NoSuchTable"));

    // values and items
    bad(
        "number that is text",
        ValidationException.class,
        "The parameter cannot be converted to a numeric value",
        () -> AttributeValue.n("ten"));
    bad(
        "number with 39 digits",
        ValidationException.class,
        "more than 38 significant digits",
        () -> AttributeValue.n("1".repeat(39)));
    bad(
        "number overflow",
        ValidationException.class,
        "Number overflow",
        () -> AttributeValue.n("1E+126"));
    bad(
        "number underflow",
        ValidationException.class,
        "Number underflow",
        () -> AttributeValue.n("1E-131"));
    bad(
        "number NaN",
        ValidationException.class,
        "cannot be converted to a numeric value: NaN",
        () -> AttributeValue.n("NaN"));
    bad(
        "number with spaces",
        ValidationException.class,
        "cannot be converted to a numeric value:  1",
        () -> AttributeValue.n(" 1"));
    bad(
        "string with an unpaired surrogate",
        ValidationException.class,
        "unpaired UTF-16 surrogate U+D800",
        () -> AttributeValue.s("a\ud800"));
    bad(
        "empty string set",
        ValidationException.class,
        "An string set may not be empty",
        () -> AttributeValue.ss(List.of()));
    bad(
        "string set with duplicates",
        ValidationException.class,
        "Input collection contains duplicates",
        () -> AttributeValue.ss("a", "a"));
    bad(
        "number set with equal numbers",
        ValidationException.class,
        "Input collection contains duplicates",
        () -> AttributeValue.ns("1", "1.00"));
    bad(
        "empty binary set",
        ValidationException.class,
        "An binary set may not be empty",
        () -> AttributeValue.bs(List.of()));
    bad(
        "binary set with duplicates",
        ValidationException.class,
        "Input collection contains duplicates",
        () -> AttributeValue.bs(List.of(new byte[] {1}, new byte[] {1})));
    bad(
        "number set with a bad number",
        ValidationException.class,
        "cannot be converted to a numeric value: x",
        () -> AttributeValue.ns("1", "x"));
    bad(
        "list nested 33 levels",
        ValidationException.class,
        "Nesting Levels have exceeded supported limits",
        () -> {
          AttributeValue v = AttributeValue.s("x");
          for (int i = 0; i < 33; i++) {
            v = AttributeValue.l(v);
          }
        });
    bad(
        "map with an empty name",
        ValidationException.class,
        "An attribute name may not be empty",
        () -> AttributeValue.m(Map.of("", AttributeValue.nul())));
    bad(
        "item attribute with an empty name",
        ValidationException.class,
        "An attribute name may not be empty",
        () -> Item.builder().string("", "x"));
    bad(
        "item attribute name of 65536 bytes",
        ValidationException.class,
        "Attribute name is too large, must be less than 65536 bytes",
        () -> Item.builder().string("n".repeat(65_536), "x"));
    bad(
        "item attribute name with a surrogate",
        ValidationException.class,
        "unpaired UTF-16 surrogate U+DC00",
        () -> Item.builder().string("a\udc00", "x"));
    bad(
        "null attribute value",
        NullPointerException.class,
        "value of a",
        () -> Item.builder().put("a", null));

    // writes
    good(
        "put Acme Band / Happy Day",
        () -> music.putItem(song),
        ref -> ref.get("Music").put(songKey, song));
    bad(
        "put without the sort key",
        ValidationException.class,
        "Missing the key SongTitle in the item",
        () -> music.putItem(Item.builder().string("Artist", "a").build()));
    bad(
        "put without any key",
        ValidationException.class,
        "Missing the key Artist in the item",
        () -> music.putItem(Item.builder().string("x", "a").build()));
    bad(
        "put a key of the wrong type",
        ValidationException.class,
        "Type mismatch for key id expected: N actual: S",
        () -> numbers.putItem(Item.builder().string("id", "7").build()));
    bad(
        "put an empty string partition key",
        ValidationException.class,
        "cannot contain an empty string value. Key: Artist",
        () -> music.putItem(Item.builder().string("Artist", "").string("SongTitle", "b").build()));
    bad(
        "put an empty string sort key",
        ValidationException.class,
        "cannot contain an empty string value. Key: SongTitle",
        () -> music.putItem(Item.builder().string("Artist", "a").string("SongTitle", "").build()));
    bad(
        "put an empty binary partition key",
        ValidationException.class,
        "cannot contain an empty binary value. Key: pk",
        () ->
            bin.putItem(
                Item.builder().put("pk", AttributeValue.b(new byte[0])).number("sk", 1).build()));
    bad(
        "put a partition key of 2049 bytes",
        ValidationException.class,
        "Size of hashkey has exceeded the maximum size limit",
        () ->
            music.putItem(
                Item.builder()
                    .string("Artist", "a".repeat(2049))
                    .string("SongTitle", "b")
                    .build()));
    bad(
        "put a sort key of 1025 bytes",
        ValidationException.class,
        "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
        () ->
            music.putItem(
                Item.builder()
                    .string("Artist", "a")
                    .string("SongTitle", "b".repeat(1025))
                    .build()));
    bad(
        "put a binary sort key... of a number table",
        ValidationException.class,
        "Type mismatch for key sk expected: N actual: S",
        () ->
            bin.putItem(
                Item.builder()
                    .put("pk", AttributeValue.b(new byte[] {1}))
                    .string("sk", "1")
                    .build()));
    bad(
        "put an item over 400 KB",
        ValidationException.class,
        "Item size has exceeded the maximum allowed size",
        () ->
            music.putItem(
                Item.builder()
                    .string("Artist", "a")
                    .string("SongTitle", "b")
                    .string("blob", "x".repeat(410 * 1024))
                    .build()));
    bad(
        "put into a deleted table handle",
        ResourceNotFoundException.class,
        "Table: Scratch not found",
        () -> {
          Table scratch =
              coffer.createTable(
                  TableSpec.builder().name("Scratch").partitionKey("k", AttributeType.S).build());
          coffer.deleteTable("Scratch");
          scratch.putItem(Item.builder().string("k", "x").build());
        });
    bad("put a null item", NullPointerException.class, "item", () -> music.putItem((Item) null));
    Item withSets =
        Item.builder()
            .number("id", 7)
            .put("tags", AttributeValue.ss("a", "b"))
            .put(
                "m",
                AttributeValue.m(
                    Map.of("x", AttributeValue.l(AttributeValue.n(1), AttributeValue.bool(true)))))
            .build();
    good(
        "put number 7",
        () -> numbers.putItem(withSets),
        ref -> ref.get("Numbers").put(Key.of(AttributeValue.n(7)), withSets));

    // reads
    bad(
        "get with the wrong key type",
        ValidationException.class,
        "Type mismatch for key id expected: N actual: S",
        () -> numbers.getItem(Key.of("7")));
    bad(
        "get without the sort key",
        ValidationException.class,
        "The provided key element does not match the schema: missing SongTitle",
        () -> music.getItem(Key.of("Acme Band")));
    bad(
        "get with a sort key on a table without one",
        ValidationException.class,
        "the table has no sort key",
        () -> numbers.getItem(Key.of(AttributeValue.n(7), AttributeValue.n(1))));
    bad(
        "get projecting no attributes",
        ValidationException.class,
        "Invalid ProjectionExpression: The expression can not be empty",
        () -> music.getItem(songKey, List.of()));
    bad(
        "get projecting a name twice",
        ValidationException.class,
        "Two document paths overlap",
        () -> music.getItem(songKey, List.of("Awards", "Awards")));
    bad(
        "delete with the wrong key type",
        ValidationException.class,
        "Type mismatch for key id expected: N actual: S",
        () -> numbers.deleteItem(Key.of("7")));
    bad(
        "query with a limit of 0",
        ValidationException.class,
        "Value '0' at 'limit' failed to satisfy constraint",
        () -> Query.partition("a").limit(0));
    bad(
        "query of the wrong partition key type",
        ValidationException.class,
        "Condition parameter type does not match schema type (expected N, got S)",
        () -> numbers.query(Query.partition("7")));
    bad(
        "query of a sort condition on a table without sort key",
        ValidationException.class,
        "the table has no sort key",
        () -> numbers.query(Query.partition(AttributeValue.n(7)).sortEquals("x")));
    bad(
        "query of a sort value of the wrong type",
        ValidationException.class,
        "Condition parameter type does not match schema type",
        () -> bin.query(Query.partition(AttributeValue.b(new byte[] {1})).sortEquals("x")));
    bad(
        "query BETWEEN in the wrong order",
        ValidationException.class,
        "BETWEEN operator requires upper bound to be greater than or equal to lower bound",
        () -> music.query(Query.partition("Acme Band").sortBetween("z", "a")));
    bad(
        "query begins_with on a number sort key",
        ValidationException.class,
        "operator or function: begins_with, operand type: N",
        () ->
            bin.query(
                Query.partition(AttributeValue.b(new byte[] {1}))
                    .sortBeginsWith(AttributeValue.n(1))));
    bad(
        "query with a start key of another partition",
        ValidationException.class,
        "outside query boundaries",
        () -> music.query(Query.partition("Acme Band").exclusiveStartKey(Key.of("Other", "x"))));
    bad(
        "query with an empty partition key",
        ValidationException.class,
        "cannot contain an empty string value. Key: Artist",
        () -> music.query(Query.partition("")));
    bad(
        "scan with a limit of 0",
        ValidationException.class,
        "Value '0' at 'limit'",
        () -> Scan.all().limit(0));
    bad(
        "scan segment 5 of 2",
        ValidationException.class,
        "Segment: 5 is not less than TotalSegments: 2",
        () -> Scan.all().segment(5, 2));
    bad(
        "scan of 1000001 segments",
        ValidationException.class,
        "Value '1000001' at 'totalSegments'",
        () -> Scan.all().segment(0, 1_000_001));
    bad(
        "scan segment -1",
        ValidationException.class,
        "Value '-1' at 'segment'",
        () -> Scan.all().segment(-1, 2));
    bad(
        "scan with a start key of the wrong shape",
        ValidationException.class,
        "The provided starting key is invalid",
        () -> numbers.scan(Scan.all().exclusiveStartKey(Key.of("x"))));

    // expressions
    bad(
        "condition syntax error",
        ValidationException.class,
        "Invalid ConditionExpression: Syntax error",
        () -> Condition.expression("a = = b"));
    bad(
        "condition reserved word",
        ValidationException.class,
        "reserved keyword: status",
        () -> Condition.expression("status = :s", null, Map.of(":s", AttributeValue.s("x"))));
    bad(
        "condition undefined value",
        ValidationException.class,
        "attribute value: :v",
        () -> Condition.expression("a = :v"));
    bad(
        "condition unused name",
        ValidationException.class,
        "unused in expressions",
        () -> Condition.expression("a = :v", Map.of("#x", "x"), Map.of(":v", AttributeValue.n(1))));
    bad(
        "condition ordering a BOOL value",
        ValidationException.class,
        "Incorrect operand type",
        () -> Condition.expression("a < :b", null, Map.of(":b", AttributeValue.bool(true))));
    bad(
        "condition unknown function",
        ValidationException.class,
        "Invalid function name; function: f",
        () -> Condition.expression("f(a)"));
    bad(
        "condition nested too deeply",
        ValidationException.class,
        "nested too deeply",
        () -> Condition.expression("(".repeat(300) + "a = b" + ")".repeat(300)));
    bad(
        "condition over 4 KB",
        ValidationException.class,
        "Expression size has exceeded",
        () -> Condition.expression("attribute_exists(a)" + " ".repeat(4100)));
    bad(
        "filter empty",
        ValidationException.class,
        "Invalid FilterExpression: The expression can not be empty",
        () -> Condition.filterExpression(""));
    bad(
        "update SET twice",
        ValidationException.class,
        "The \"SET\" section can only be used once",
        () -> Update.expression("SET a = :v SET b = :v", null, Map.of(":v", AttributeValue.n(1))));
    bad(
        "update overlapping paths",
        ValidationException.class,
        "Two document paths overlap",
        () -> Update.expression("SET a = :v, a.b = :v", null, Map.of(":v", AttributeValue.n(1))));
    bad(
        "update ADD of a string",
        ValidationException.class,
        "Incorrect operand type",
        () -> Update.expression("ADD a :v", null, Map.of(":v", AttributeValue.s("x"))));
    bad(
        "update with no action",
        ValidationException.class,
        "Invalid UpdateExpression: The expression can not be empty",
        () -> Update.builder().build());
    bad(
        "projection conflicting paths",
        ValidationException.class,
        "Two document paths conflict",
        () -> Projection.expression("a.b, a[0]"));
    bad(
        "projection with a value placeholder",
        ValidationException.class,
        "Invalid ProjectionExpression: Syntax error; token: \":v\"",
        () -> Projection.expression(":v"));
    bad(
        "key condition with OR",
        ValidationException.class,
        "Invalid operator used in KeyConditionExpression: OR",
        () ->
            Query.keyCondition(
                music.keySchema(),
                "Artist = :a OR Artist = :a",
                null,
                Map.of(":a", AttributeValue.s("x"))));
    bad(
        "key condition on a non-key attribute",
        ValidationException.class,
        "Query condition missed key schema",
        () ->
            Query.keyCondition(
                music.keySchema(), "Awards = :a", null, Map.of(":a", AttributeValue.s("x"))));
    bad(
        "expressions: names without an expression",
        ValidationException.class,
        "ExpressionAttributeNames can only be specified when using expressions",
        () -> Expressions.builder().expressionAttributeNames(Map.of("#a", "a")).build());
    bad(
        "expressions: empty names map",
        ValidationException.class,
        "ExpressionAttributeNames must not be empty",
        () ->
            Expressions.builder()
                .projectionExpression("a")
                .expressionAttributeNames(Map.of())
                .build());
    bad(
        "expressions: placeholder key too long",
        ValidationException.class,
        "a key that is too long; size of key: 256",
        () ->
            Expressions.builder()
                .projectionExpression("a")
                .expressionAttributeNames(Map.of("#" + "a".repeat(255), "a"))
                .build());
    bad(
        "expressions: key condition without one",
        ValidationException.class,
        "Either the KeyConditions or KeyConditionExpression parameter must be specified",
        () ->
            Expressions.builder()
                .projectionExpression("a")
                .build()
                .keyCondition(music.keySchema()));

    // keys and lifecycle
    bad(
        "rotate the master key to an unknown key",
        NotFoundException.class,
        "alias/nope is not found",
        () -> coffer.rotateMasterKey("alias/nope"));
    bad(
        "reencrypt at -1 bytes per second",
        IllegalArgumentException.class,
        "bytesPerSecond must be 0",
        () -> ReencryptOptions.builder().bytesPerSecond(-1));
    bad(
        "reencrypt persisting every 0 pages",
        IllegalArgumentException.class,
        "persistEveryPages must be 1",
        () -> ReencryptOptions.builder().persistEveryPages(0));
    Item binItem =
        Item.builder()
            .put("pk", AttributeValue.b(new byte[] {1, 2}))
            .number("sk", "-1.5")
            .put("bs", AttributeValue.bs(List.of(new byte[] {0}, new byte[] {1})))
            .build();
    good(
        "put a binary key",
        () -> bin.putItem(binItem),
        ref ->
            ref.get("Bin")
                .put(
                    Key.of(AttributeValue.b(new byte[] {1, 2}), AttributeValue.n("-1.5")),
                    binItem));
    good("rotate the master key to another key", () -> coffer.rotateMasterKey(other), ref -> {});
    bad(
        "open with the old master key after a rotation",
        IncorrectKeyException.class,
        "does not identify a CMK that can perform this operation",
        () -> {
          coffer.close();
          try {
            Coffer.open(
                dir.resolve("store"),
                CofferOptions.builder().keyProvider(keys).masterKeyId(master).build());
          } finally {
            coffer =
                Coffer.open(
                    dir.resolve("store"),
                    CofferOptions.builder().keyProvider(keys).masterKeyId(other).build());
          }
        });
    good(
        "delete number 7",
        () -> coffer.table("Numbers").deleteItem(Key.of(AttributeValue.n(7))),
        ref -> ref.get("Numbers").remove(Key.of(AttributeValue.n(7))));
  }

  private void bad(String name, Class<? extends Throwable> type, String fragment, Call call) {
    assertThat(names.add(name)).as("distinct case names: " + name).isTrue();
    bad++;
    tests.add(
        DynamicTest.dynamicTest(
            name,
            () -> {
              if (System.getProperty("matrix.discover") != null) {
                try {
                  call.run();
                  System.out.println("DISCOVER " + name + " | no exception");
                } catch (Throwable e) {
                  System.out.println(
                      "DISCOVER "
                          + name
                          + " | "
                          + e.getClass().getSimpleName()
                          + " | "
                          + e.getMessage());
                }
                return;
              }
              assertThatThrownBy(call::run)
                  .as(name)
                  .isInstanceOf(type)
                  .satisfies(
                      e -> assertThat(String.valueOf(e.getMessage())).as(name).contains(fragment));
            }));
  }

  private void good(String name, Call call, Consumer<Map<String, Map<Key, Item>>> effect) {
    assertThat(names.add(name)).as("distinct case names: " + name).isTrue();
    tests.add(
        DynamicTest.dynamicTest(
            name,
            () -> {
              call.run();
              effect.accept(reference);
            }));
  }

  private void fullRead() {
    try {
      assertThat(new TreeSet<>(coffer.listTables())).isEqualTo(new TreeSet<>(reference.keySet()));
      for (Map.Entry<String, Map<Key, Item>> e : reference.entrySet()) {
        Table t = coffer.table(e.getKey());
        Map<Key, Item> found = new HashMap<>();
        Key start = null;
        do {
          Page page = t.scan(start == null ? Scan.all() : Scan.all().exclusiveStartKey(start));
          for (Item item : page.items()) {
            found.put(t.keySchema().keyOf(item), item);
          }
          start = page.lastEvaluatedKey().orElse(null);
        } while (start != null);
        assertThat(found).as("the items of " + e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(reference.values().stream().mapToInt(Map::size).sum()).isGreaterThanOrEqualTo(2);
    } finally {
      coffer.close();
      keys.close();
    }
  }
}
