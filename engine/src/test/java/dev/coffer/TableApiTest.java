package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API: tables, items, errors users can act on, and the store staying usable after them.
 */
class TableApiTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private Coffer coffer;
  private Table users;
  private Table orders;

  @BeforeEach
  void open() {
    coffer = stores.open(dir);
    users =
        coffer.createTable(
            TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
    orders =
        coffer.createTable(
            TableSpec.builder()
                .name("orders")
                .partitionKey("customer", AttributeType.S)
                .sortKey("orderedAt", AttributeType.N)
                .build());
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  @Test
  void everyAttributeTypeRoundTrips() {
    Item item =
        Item.builder()
            .string("email", "a@example.com")
            .number("age", 42)
            .number("pi", "3.14159265358979323846264338327950288")
            .bytes("avatar", new byte[] {0, 1, 2, (byte) 0xff})
            .bool("active", true)
            .put("nothing", AttributeValue.nul())
            .put("tags", AttributeValue.ss(List.of("b", "a")))
            .put("scores", AttributeValue.ns(List.of("1", "2.5", "-3")))
            .put("blobs", AttributeValue.bs(List.of(new byte[] {1}, new byte[] {2})))
            .put("list", AttributeValue.l(List.of(AttributeValue.s("x"), AttributeValue.n(1))))
            .put(
                "map",
                AttributeValue.m(
                    Map.of("nested", AttributeValue.m(Map.of("deep", AttributeValue.bool(false))))))
            .build();
    users.putItem(item);
    assertThat(users.getItem(Key.of("a@example.com"))).contains(item);
    assertThat(users.getItem(Key.of("a@example.com"), List.of("age", "missing")))
        .contains(Item.builder().number("age", 42).build());
  }

  @Test
  void putReturnsTheOldItemAndDeleteReturnsTheDeletedOne() {
    Item first = Item.builder().string("email", "b@x").number("v", 1).build();
    Item second = Item.builder().string("email", "b@x").number("v", 2).build();
    assertThat(users.putItemReturningOld(first)).isEmpty();
    assertThat(users.putItemReturningOld(second)).contains(first);
    assertThat(users.deleteItemReturningOld(Key.of("b@x"))).contains(second);
    assertThat(users.deleteItemReturningOld(Key.of("b@x"))).isEmpty();
    users.deleteItem(Key.of("never-there"));
    assertThat(users.getItem(Key.of("b@x"))).isEmpty();
  }

  @Test
  void missingKeyAttributeIsAValidationErrorAndNothingIsWritten() {
    assertThatThrownBy(() -> users.putItem(Item.builder().string("name", "x").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("One or more parameter values were invalid: Missing the key email in the item")
        .satisfies(
            e -> assertThat(((CofferException) e).errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () ->
                orders.putItem(
                    Item.builder().string("customer", "c").string("orderedAt", "x").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Type mismatch for key orderedAt");
    assertThatThrownBy(() -> users.putItem(Item.builder().string("email", "").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("empty string");
    assertThat(users.scan(Scan.all()).count()).isZero();
  }

  @Test
  void limitsAreDynamoDbs() {
    assertThatThrownBy(
            () ->
                users.putItem(
                    Item.builder()
                        .string("email", "big")
                        .string("blob", "x".repeat(410_000))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Item size has exceeded the maximum allowed size");
    assertThatThrownBy(
            () -> users.putItem(Item.builder().string("email", "k".repeat(2049)).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Size of hashkey has exceeded the maximum size limit of2048 bytes");
    assertThatThrownBy(() -> orders.getItem(Key.of("c"))).isInstanceOf(ValidationException.class);
    // a 399 KB item fits, in a page of its own; the store stays usable after the rejections
    Item large =
        Item.builder().string("email", "large").string("blob", "y".repeat(399_000)).build();
    users.putItem(large);
    assertThat(users.getItem(Key.of("large"))).contains(large);
  }

  @Test
  void itemsLargerThanThePageTargetGetPagesOfTheirOwn() {
    for (int i = 0; i < 20; i++) {
      orders.putItem(
          Item.builder()
              .string("customer", "c")
              .number("orderedAt", i)
              .string("blob", (i % 3 == 0 ? "z".repeat(9000) : "small") + i)
              .build());
    }
    Page page = orders.query(Query.partition("c"));
    assertThat(page.count()).isEqualTo(20);
    assertThat(page.items().get(9).get("blob").s()).isEqualTo("z".repeat(9000) + 9);
  }

  @Test
  void queryValidation() {
    assertThatThrownBy(() -> orders.query(Query.partition("c").sortEquals("not a number")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Condition parameter type does not match schema type");
    assertThatThrownBy(() -> orders.query(Query.partition("c").sortBeginsWith(AttributeValue.n(1))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("begins_with");
    assertThatThrownBy(
            () ->
                orders.query(
                    Query.partition("c").sortBetween(AttributeValue.n(5), AttributeValue.n(1))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(
            "BETWEEN operator requires upper bound to be greater than or equal to lower bound");
    assertThatThrownBy(() -> users.query(Query.partition("a").sortEquals("x")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Query.partition("a").sortEquals("x").sortLessThan("y"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one sort key condition");
    assertThatThrownBy(() -> Query.partition("a").limit(0))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have"
                + " value greater than or equal to 1");
    assertThatThrownBy(() -> Scan.all().segment(3, 3))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is"
                + " not less than TotalSegments: 3");
  }

  @Test
  void lastEvaluatedKeyWheneverLimitItemsWereReadAsDynamoDb() {
    for (int i = 0; i < 6; i++) {
      orders.putItem(Item.builder().string("customer", "c").number("orderedAt", i).build());
    }
    Page first = orders.query(Query.partition("c").limit(3));
    assertThat(first.lastEvaluatedKey())
        .contains(Key.of(AttributeValue.s("c"), AttributeValue.n(2)));
    Page second =
        orders.query(
            Query.partition("c").limit(3).exclusiveStartKey(first.lastEvaluatedKey().get()));
    assertThat(second.items())
        .extracting(i -> i.get("orderedAt").n())
        .containsExactly("3", "4", "5");
    // DynamoDB returns a LastEvaluatedKey whenever Limit items were read, even when none follow
    assertThat(second.lastEvaluatedKey())
        .contains(Key.of(AttributeValue.s("c"), AttributeValue.n(5)));
    Page third =
        orders.query(
            Query.partition("c").limit(3).exclusiveStartKey(second.lastEvaluatedKey().get()));
    assertThat(third.count()).isZero();
    assertThat(third.lastEvaluatedKey()).isEmpty();
    assertThat(orders.query(Query.partition("c").limit(7)).lastEvaluatedKey()).isEmpty();
    Page backwards =
        orders.query(Query.partition("c").descending().limit(4).sortLessThan(AttributeValue.n(5)));
    assertThat(backwards.items())
        .extracting(i -> i.get("orderedAt").n())
        .containsExactly("4", "3", "2", "1");
    assertThat(backwards.lastEvaluatedKey()).isPresent();
    assertThat(orders.query(Query.partition("nobody")).count()).isZero();
  }

  @Test
  void pagesStopAtOneMegabyteLikeDynamoDb() {
    for (int i = 0; i < 30; i++) {
      orders.putItem(
          Item.builder()
              .string("customer", "big")
              .number("orderedAt", i)
              .string("blob", "b".repeat(40_000))
              .build());
    }
    Page first = orders.query(Query.partition("big"));
    assertThat(first.count()).isBetween(25, 27);
    assertThat(first.lastEvaluatedKey()).isPresent();
    Page rest =
        orders.query(Query.partition("big").exclusiveStartKey(first.lastEvaluatedKey().get()));
    assertThat(first.count() + rest.count()).isEqualTo(30);
    assertThat(rest.lastEvaluatedKey()).isEmpty();
    Page scanned = orders.scan(Scan.all());
    assertThat(scanned.lastEvaluatedKey()).isPresent();
  }

  @Test
  void syncWritesSurviveReopen(@TempDir Path other) {
    try (Coffer c =
        Coffer.open(other, stores.options().syncWrites(true).pageCacheBytes(0).build())) {
      c.createTable(TableSpec.builder().name("durable").partitionKey("id", AttributeType.N).build())
          .putItem(Item.builder().number("id", 7).string("v", "kept").build());
    }
    try (Coffer c = Coffer.open(other, stores.options().createIfMissing(false).build())) {
      assertThat(c.table("durable").getItem(Key.of(AttributeValue.n(7))))
          .get()
          .extracting(i -> i.get("v").s())
          .isEqualTo("kept");
    }
  }

  @Test
  void tableLifecycle() {
    assertThat(coffer.listTables()).containsExactly("orders", "users");
    assertThatThrownBy(
            () ->
                coffer.createTable(
                    TableSpec.builder().name("users").partitionKey("x", AttributeType.S).build()))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("users");
    assertThatThrownBy(() -> coffer.table("nope"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessage("Requested resource not found: Table: nope not found");
    TableDescription d = coffer.describeTable("orders");
    assertThat(d.keySchema())
        .isEqualTo(KeySchema.of("customer", AttributeType.S, "orderedAt", AttributeType.N));
    assertThat(d.dataKeyVersions()).containsExactly(1);
    assertThat(d.primaryDataKeyVersion()).isEqualTo(1);
    assertThat(d.tableId()).hasSize(32).doesNotContain("orders");
    assertThat(d.creationTime()).isNotNull();
    users.putItem(Item.builder().string("email", "gone@x").build());
    coffer.deleteTable("users");
    assertThat(coffer.listTables()).containsExactly("orders");
    assertThatThrownBy(() -> users.getItem(Key.of("gone@x")))
        .isInstanceOf(ResourceNotFoundException.class);
    Table again =
        coffer.createTable(
            TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
    assertThat(again.getItem(Key.of("gone@x"))).isEmpty();
    assertThatThrownBy(() -> coffer.deleteTable("users-x"))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badTableNamesAndSpecs() {
    assertThatThrownBy(() -> TableSpec.builder().name("ab"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tableName");
    assertThatThrownBy(() -> TableSpec.builder().name("with space"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> TableSpec.builder().name("okay").build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("keySchema");
    assertThatThrownBy(() -> TableSpec.builder().partitionKey("p", AttributeType.BOOL))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> TableSpec.builder().pageTargetBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageTargetBytes");
  }

  @Test
  void optionsValidateEachSetter() {
    assertThatThrownBy(
            () -> CofferOptions.builder().keyProvider(stores.provider).keyProviderUri("memory:"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyProvider was already set");
    assertThatThrownBy(() -> CofferOptions.builder().pageCacheBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageCacheBytes");
    assertThatThrownBy(() -> CofferOptions.builder().masterKeyId(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CofferOptions.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key provider");
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    coffer.close();
    coffer.close();
    assertThatThrownBy(() -> users.getItem(Key.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> coffer.listTables()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void createIfMissingOff() {
    assertThatThrownBy(
            () ->
                Coffer.open(dir.resolve("absent"), stores.options().createIfMissing(false).build()))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("No Coffer store");
  }

  @Test
  void secondOpenOfTheSameDirectoryIsAStorageErrorNotARocksDbOne() {
    assertThatThrownBy(() -> stores.open(dir))
        .isInstanceOf(StoreLockedException.class)
        .hasMessage(
            "The store at "
                + dir
                + " is already open in this process; use the open Coffer instead of opening"
                + " it again")
        .satisfies(
            e -> assertThat(((CofferException) e).errorCode()).isEqualTo("InternalServerError"));
    assertThat(users.scan(Scan.all()).count()).isZero();
  }
}
