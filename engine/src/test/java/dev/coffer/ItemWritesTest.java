package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UpdateItem, conditional PutItem and DeleteItem, GetItem with projections: the request API. */
class ItemWritesTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private Coffer coffer;
  private Table users;
  private Table events;

  @BeforeEach
  void open() {
    coffer = stores.open(dir);
    users =
        coffer.createTable(
            TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
    events =
        coffer.createTable(
            TableSpec.builder()
                .name("events")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .pageTargetBytes(512)
                .build());
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  private static Item user(String email, int logins) {
    return Item.builder().string("email", email).number("logins", logins).build();
  }

  @Test
  void signUpCreatesOnlyWhenTheEmailIsFree() {
    PutItemRequest create =
        PutItemRequest.builder()
            .item(user("a@x", 0))
            .condition(Condition.attributeNotExists("email"))
            .build();
    assertThat(users.putItem(create).attributes()).isEmpty();
    assertThatThrownBy(() -> users.putItem(create.toBuilder().item(user("a@x", 9)).build()))
        .isInstanceOf(ConditionalCheckFailedException.class)
        .hasMessage("The conditional request failed")
        .satisfies(e -> assertThat(((ConditionalCheckFailedException) e).item()).isEmpty());
    assertThat(users.getItem(Key.of("a@x"))).contains(user("a@x", 0));
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                users.putItem(
                    create.toBuilder()
                        .item(user("a@x", 9))
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .build()));
    assertThat(failed.item()).contains(user("a@x", 0));
    assertThat(failed.errorCode()).isEqualTo("ConditionalCheckFailedException");
  }

  @Test
  void putReturnsAllOldAndRefusesOtherReturnValues() {
    users.putItem(user("b@x", 1));
    PutItemResponse r =
        users.putItem(
            PutItemRequest.builder()
                .item(user("b@x", 2))
                .condition(Condition.path("logins").eq(AttributeValue.n(1)))
                .returnValues(ReturnValue.ALL_OLD)
                .build());
    assertThat(r.attributes()).contains(user("b@x", 1));
    assertThatThrownBy(
            () ->
                users.putItem(
                    PutItemRequest.builder()
                        .item(user("b@x", 3))
                        .returnValues(ReturnValue.ALL_NEW)
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("ReturnValues can only be ALL_OLD or NONE");
    assertThat(users.getItem(Key.of("b@x"))).contains(user("b@x", 2));
  }

  @Test
  void updateItemUpsertsAndReturnsWhatWasAskedFor() {
    Update addLogin =
        Update.builder()
            .add("logins", AttributeValue.n(1))
            .set("last", AttributeValue.s("today"))
            .build();
    UpdateItemResponse created =
        users.updateItem(
            UpdateItemRequest.builder()
                .key(Key.of("c@x"))
                .update(addLogin)
                .returnValues(ReturnValue.ALL_NEW)
                .build());
    Item expected =
        Item.builder().string("email", "c@x").number("logins", 1).string("last", "today").build();
    assertThat(created.attributes()).contains(expected);
    assertThat(users.getItem(Key.of("c@x"))).contains(expected);

    UpdateItemResponse updatedNew =
        users.updateItem(
            UpdateItemRequest.builder()
                .key(Key.of("c@x"))
                .update(addLogin)
                .returnValues(ReturnValue.UPDATED_NEW)
                .build());
    assertThat(updatedNew.attributes())
        .contains(Item.builder().number("logins", 2).string("last", "today").build());
    UpdateItemResponse updatedOld =
        users.updateItem(
            UpdateItemRequest.builder()
                .key(Key.of("c@x"))
                .update(Update.expression("REMOVE #l", Map.of("#l", "last"), null))
                .returnValues(ReturnValue.UPDATED_OLD)
                .build());
    assertThat(updatedOld.attributes()).contains(Item.builder().string("last", "today").build());
    UpdateItemResponse allOld =
        users.updateItem(
            UpdateItemRequest.builder()
                .key(Key.of("c@x"))
                .update(addLogin)
                .returnValues(ReturnValue.ALL_OLD)
                .build());
    assertThat(allOld.attributes())
        .contains(Item.builder().string("email", "c@x").number("logins", 2).build());
    assertThat(
            users
                .updateItem(UpdateItemRequest.builder().key(Key.of("c@x")).update(addLogin).build())
                .attributes())
        .isEmpty();
    assertThat(users.getItem(Key.of("c@x")).orElseThrow().get("logins"))
        .isEqualTo(AttributeValue.n(4));
  }

  @Test
  void updateWithoutAnExpressionCreatesTheItemFromItsKey() {
    users.updateItem(UpdateItemRequest.builder().key(Key.of("d@x")).build());
    assertThat(users.getItem(Key.of("d@x")))
        .contains(Item.builder().string("email", "d@x").build());
  }

  /**
   * As DynamoDB (UpdateApplierTest#onAnItemThatDoesNotExistOnlyRemovingCreatesNothing gives the
   * sources): an update that only removes (REMOVE of a top-level or nested path or of a list
   * element, DELETE from a set) on an item that does not exist creates nothing, through UpdateItem
   * and through TransactWriteItems; a SET of a nested path on it is refused.
   */
  @Test
  void removingFromAnItemThatDoesNotExistCreatesNothing() {
    AttributeValue cat = AttributeValue.ss("cat");
    for (Update u :
        List.of(
            Update.expression("REMOVE l[0]"),
            Update.expression("REMOVE logins"),
            Update.expression("REMOVE m.x"),
            Update.builder().delete("tags", cat).build(),
            Update.builder().remove("logins").delete("tags", cat).build())) {
      for (ReturnValue rv : ReturnValue.values()) {
        UpdateItemResponse r =
            users.updateItem(
                UpdateItemRequest.builder()
                    .key(Key.of("ghost@x"))
                    .update(u)
                    .condition(Condition.attributeNotExists("email"))
                    .returnValues(rv)
                    .build());
        assertThat(r.attributes()).as("%s %s", u, rv).isEmpty();
        assertThat(users.getItem(Key.of("ghost@x"))).as("%s %s", u, rv).isEmpty();
      }
      coffer.transactWriteItems(
          TransactWriteItemsRequest.builder()
              .transactItems(
                  List.of(
                      TransactWriteItem.update("users", Key.of("ghost@x"), u, null),
                      TransactWriteItem.put("users", user("real@x", 1))))
              .build());
      assertThat(users.getItem(Key.of("ghost@x"))).as("%s in a transaction", u).isEmpty();
      assertThat(users.getItem(Key.of("real@x"))).contains(user("real@x", 1));
    }
    assertThat(users.scan(Scan.all()).items()).containsExactly(user("real@x", 1));
    assertThatThrownBy(
            () ->
                users.updateItem(
                    UpdateItemRequest.builder()
                        .key(Key.of("ghost@x"))
                        .update(Update.expression("SET m.x = :v", null, Map.of(":v", cat)))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("The document path provided in the update expression is invalid for update");
    // with anything that adds data, the update creates the item (the nested REMOVE is ignored)
    users.updateItem(
        UpdateItemRequest.builder()
            .key(Key.of("ghost@x"))
            .update(
                Update.expression(
                    "REMOVE m.x ADD logins :one", null, Map.of(":one", AttributeValue.n(1))))
            .build());
    assertThat(users.getItem(Key.of("ghost@x"))).contains(user("ghost@x", 1));
    // and on an item that exists, a REMOVE writes as before
    users.updateItem(
        UpdateItemRequest.builder()
            .key(Key.of("ghost@x"))
            .update(Update.expression("REMOVE logins"))
            .build());
    assertThat(users.getItem(Key.of("ghost@x")))
        .contains(Item.builder().string("email", "ghost@x").build());
  }

  @Test
  void conditionalUpdateAndDeleteChangeNothingWhenTheConditionFails() {
    users.putItem(user("e@x", 5));
    UpdateItemRequest update =
        UpdateItemRequest.builder()
            .key(Key.of("e@x"))
            .update(Update.builder().add("logins", AttributeValue.n(-10)).build())
            .condition(Condition.path("logins").ge(AttributeValue.n(10)))
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    assertThatThrownBy(() -> users.updateItem(update))
        .isInstanceOf(ConditionalCheckFailedException.class)
        .satisfies(
            e -> assertThat(((ConditionalCheckFailedException) e).item()).contains(user("e@x", 5)));
    DeleteItemRequest delete =
        DeleteItemRequest.builder()
            .key(Key.of("e@x"))
            .condition(Condition.path("logins").eq(AttributeValue.n(6)))
            .build();
    assertThatThrownBy(() -> users.deleteItem(delete))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(users.getItem(Key.of("e@x"))).contains(user("e@x", 5));
    DeleteItemResponse deleted =
        users.deleteItem(
            delete.toBuilder()
                .condition(Condition.path("logins").eq(AttributeValue.n(5)))
                .returnValues(ReturnValue.ALL_OLD)
                .build());
    assertThat(deleted.attributes()).contains(user("e@x", 5));
    assertThat(users.getItem(Key.of("e@x"))).isEmpty();
    // a conditional delete of an absent item: the condition is evaluated on "no item"
    assertThat(
            users
                .deleteItem(
                    delete.toBuilder().condition(Condition.attributeNotExists("email")).build())
                .attributes())
        .isEmpty();
  }

  @Test
  void anUpdateThatCannotApplyIsRefusedWithDynamoDbsMessageAndChangesNothing() {
    users.putItem(
        Item.builder()
            .string("email", "f@x")
            .put("tags", AttributeValue.l(AttributeValue.s("a")))
            .string("name", "Ada")
            .build());
    Item before = users.getItem(Key.of("f@x")).orElseThrow();
    assertThatThrownBy(
            () ->
                users.updateItem(
                    UpdateItemRequest.builder()
                        .key(Key.of("f@x"))
                        .update(
                            Update.expression(
                                "SET #n = #n + :one",
                                Map.of("#n", "name"),
                                Map.of(":one", AttributeValue.n(1))))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("An operand in the update expression has an incorrect data type");
    assertThatThrownBy(
            () ->
                users.updateItem(
                    UpdateItemRequest.builder()
                        .key(Key.of("f@x"))
                        .update(
                            Update.expression(
                                "SET email = :e", null, Map.of(":e", AttributeValue.s("g@x"))))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "One or more parameter values were invalid: Cannot update attribute email. This attribute is part"
                + " of the key");
    assertThatThrownBy(
            () ->
                users.updateItem(
                    UpdateItemRequest.builder()
                        .key(Key.of("f@x"))
                        .update(
                            Update.builder()
                                .set("big", AttributeValue.s("x".repeat(410_000)))
                                .build())
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Item size to update has exceeded the maximum allowed size");
    assertThat(users.getItem(Key.of("f@x"))).contains(before);
  }

  @Test
  void getItemProjectsNestedPaths() {
    users.putItem(
        Item.builder()
            .string("email", "h@x")
            .put(
                "address",
                AttributeValue.m(
                    Map.of("city", AttributeValue.s("Oslo"), "zip", AttributeValue.s("0150"))))
            .put(
                "tags",
                AttributeValue.l(
                    AttributeValue.s("p"), AttributeValue.s("q"), AttributeValue.s("r")))
            .build());
    GetItemResponse r =
        users.getItem(
            GetItemRequest.builder()
                .key(Key.of("h@x"))
                .projection(Projection.expression("address.city, tags[2], nothere"))
                .consistentRead(true)
                .build());
    assertThat(r.item())
        .contains(
            Item.builder()
                .put("address", AttributeValue.m(Map.of("city", AttributeValue.s("Oslo"))))
                .put("tags", AttributeValue.l(AttributeValue.s("r")))
                .build());
    assertThat(
            users
                .getItem(
                    GetItemRequest.builder()
                        .key(Key.of("h@x"))
                        .projection(Projection.attributes("missing"))
                        .build())
                .item())
        .contains(Item.empty());
    assertThat(users.getItem(GetItemRequest.builder().key(Key.of("nobody")).build()).item())
        .isEmpty();
  }

  @Test
  void conditionalWritesInMultiItemPartitionsKeepTheTreeConsistent() {
    // many conditional writes into one small-paged partition: splits, delta records and folds
    for (int i = 0; i < 300; i++) {
      events.putItem(
          PutItemRequest.builder()
              .item(
                  Item.builder()
                      .string("pk", "p")
                      .number("sk", i)
                      .string("payload", "v".repeat(i % 50))
                      .build())
              .condition(Condition.attributeNotExists("pk"))
              .build());
    }
    for (int i = 0; i < 300; i += 3) {
      events.updateItem(
          UpdateItemRequest.builder()
              .key(Key.of(AttributeValue.s("p"), AttributeValue.n(i)))
              .update(Update.builder().add("hits", AttributeValue.n(1)).build())
              .condition(Condition.attributeExists("pk"))
              .build());
    }
    for (int i = 1; i < 300; i += 3) {
      events.deleteItem(
          DeleteItemRequest.builder()
              .key(Key.of(AttributeValue.s("p"), AttributeValue.n(i)))
              .condition(Condition.attributeExists("pk"))
              .build());
    }
    Page all = events.query(Query.partition("p"));
    assertThat(all.count()).isEqualTo(200);
    assertThat(all.items().stream().filter(i -> i.has("hits")).count()).isEqualTo(100);
    assertThat(events.verify().clean()).isTrue();
    List<Item> scanned = events.scan(Scan.all()).items();
    assertThat(scanned).containsExactlyElementsOf(all.items());
  }
}
