package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems through the public API. */
class BatchAndTransactionTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private final MutableClock clock = new MutableClock();
  private Coffer coffer;
  private Table accounts;
  private Table ledger;

  @BeforeEach
  void open() {
    coffer = Coffer.open(dir, stores.options().clock(clock).build());
    accounts =
        coffer.createTable(
            TableSpec.builder().name("accounts").partitionKey("id", AttributeType.S).build());
    ledger =
        coffer.createTable(
            TableSpec.builder()
                .name("ledger")
                .partitionKey("account", AttributeType.S)
                .sortKey("seq", AttributeType.N)
                .pageTargetBytes(512)
                .build());
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  private static Item account(String id, long balance) {
    return Item.builder().string("id", id).number("balance", balance).build();
  }

  private static Item entry(String account, int seq) {
    return Item.builder()
        .string("account", account)
        .number("seq", seq)
        .string("memo", "m" + seq)
        .build();
  }

  private static Key seq(String account, int seq) {
    return Key.of(AttributeValue.s(account), AttributeValue.n(seq));
  }

  private TransactWriteItem transfer(String from, String to, long amount, boolean debit) {
    String who = debit ? from : to;
    return TransactWriteItem.update(
        "accounts",
        Key.of(who),
        Update.builder().add("balance", AttributeValue.n(debit ? -amount : amount)).build(),
        debit
            ? Condition.path("balance").ge(AttributeValue.n(amount))
            : Condition.attributeExists("id"));
  }

  @Test
  void batchWriteAppliesPutsAndDeletesAcrossTablesInOneCall() {
    accounts.putItem(account("gone", 1));
    BatchWriteItemResponse r =
        coffer.batchWriteItem(
            BatchWriteItemRequest.builder()
                .requestItems(
                    "accounts",
                    List.of(
                        WriteRequest.put(account("a", 10)), WriteRequest.delete(Key.of("gone"))))
                .requestItems(
                    "ledger",
                    List.of(WriteRequest.put(entry("a", 1)), WriteRequest.put(entry("a", 2))))
                .build());
    assertThat(r.unprocessedItems()).isEmpty();
    assertThat(accounts.getItem(Key.of("a"))).contains(account("a", 10));
    assertThat(accounts.getItem(Key.of("gone"))).isEmpty();
    assertThat(ledger.query(Query.partition("a")).count()).isEqualTo(2);
  }

  @Test
  void batchWriteIsValidatedWholeBeforeAnythingIsWritten() {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      writes.add(WriteRequest.put(account("n" + i, i)));
    }
    assertThatThrownBy(
            () ->
                coffer.batchWriteItem(
                    BatchWriteItemRequest.builder()
                        .requestItems("accounts", writes.subList(0, 20))
                        .requestItems(
                            "ledger",
                            List.of(
                                WriteRequest.put(entry("x", 1)),
                                WriteRequest.put(entry("x", 2)),
                                WriteRequest.put(entry("x", 3)),
                                WriteRequest.put(entry("x", 4)),
                                WriteRequest.put(entry("x", 5)),
                                WriteRequest.put(entry("x", 6))))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Too many items requested for the BatchWriteItem call");
    assertThatThrownBy(
            () ->
                coffer.batchWriteItem(
                    BatchWriteItemRequest.builder().requestItems("accounts", writes).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Member must have length less than or equal to 25");
    assertThatThrownBy(
            () ->
                coffer.batchWriteItem(
                    BatchWriteItemRequest.builder()
                        .requestItems(
                            "accounts",
                            List.of(
                                WriteRequest.put(account("d", 1)),
                                WriteRequest.delete(Key.of("d"))))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Provided list of item keys contains duplicates");
    assertThatThrownBy(
            () ->
                coffer.batchWriteItem(
                    BatchWriteItemRequest.builder()
                        .requestItems(
                            "accounts",
                            List.of(
                                WriteRequest.put(account("ok", 1)),
                                WriteRequest.put(Item.builder().string("other", "x").build())))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("The provided key element does not match the schema");
    assertThatThrownBy(() -> coffer.batchWriteItem(BatchWriteItemRequest.builder().build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Member must have length greater than or equal to 1");
    assertThatThrownBy(
            () ->
                coffer.batchWriteItem(
                    BatchWriteItemRequest.builder()
                        .requestItems("nosuch", List.of(WriteRequest.put(account("x", 1))))
                        .build()))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(accounts.scan(Scan.all()).count()).isZero();
    assertThat(ledger.scan(Scan.all()).count()).isZero();
  }

  @Test
  void batchGetReadsAcrossTablesLeavesMissingKeysOutAndRefusesDuplicates() {
    accounts.putItem(account("a", 1));
    accounts.putItem(account("b", 2));
    ledger.putItem(entry("a", 7));
    BatchGetItemResponse r =
        coffer.batchGetItem(
            BatchGetItemRequest.builder()
                .requestItems(
                    "accounts",
                    KeysAndAttributes.builder()
                        .keys(Key.of("a"), Key.of("nobody"), Key.of("b"))
                        .projection(Projection.attributes("balance"))
                        .consistentRead(true)
                        .build())
                .requestItems("ledger", KeysAndAttributes.of(List.of(seq("a", 7))))
                .build());
    assertThat(r.responses().get("accounts"))
        .containsExactly(
            Item.builder().number("balance", 1).build(),
            Item.builder().number("balance", 2).build());
    assertThat(r.responses().get("ledger")).containsExactly(entry("a", 7));
    assertThat(r.unprocessedKeys()).isEmpty();
    assertThatThrownBy(
            () ->
                coffer.batchGetItem(
                    BatchGetItemRequest.builder()
                        .requestItems(
                            "accounts", KeysAndAttributes.of(List.of(Key.of("a"), Key.of("a"))))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Provided list of item keys contains duplicates");
    List<Key> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(Key.of("k" + i));
    }
    assertThatThrownBy(
            () ->
                coffer.batchGetItem(
                    BatchGetItemRequest.builder()
                        .requestItems("accounts", KeysAndAttributes.of(many.subList(0, 60)))
                        .requestItems(
                            "ledger",
                            KeysAndAttributes.of(
                                many.subList(0, 41).stream()
                                    .map(k -> Key.of(k.partition(), AttributeValue.n(1)))
                                    .toList()))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Too many items requested for the BatchGetItem call");
  }

  @Test
  void batchGetStopsAtSixteenMegabytesAndReturnsTheRestAsUnprocessed() {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      accounts.putItem(
          Item.builder().string("id", "big" + i).string("blob", "z".repeat(390_000)).build());
      keys.add(Key.of("big" + i));
    }
    BatchGetItemResponse r =
        coffer.batchGetItem(
            BatchGetItemRequest.builder()
                .requestItems("accounts", KeysAndAttributes.of(keys))
                .build());
    int read = r.responses().get("accounts").size();
    assertThat(read).isBetween(40, 43);
    assertThat(r.unprocessedKeys().get("accounts").keys())
        .hasSize(50 - read)
        .containsExactlyElementsOf(keys.subList(read, 50));
  }

  @Test
  void aTransferIsAllOrNothing() {
    accounts.putItem(account("alice", 100));
    accounts.putItem(account("bob", 0));
    coffer.transactWriteItems(
        TransactWriteItemsRequest.builder()
            .transactItems(
                transfer("alice", "bob", 60, true),
                transfer("alice", "bob", 60, false),
                TransactWriteItem.put(
                    "ledger", entry("alice", 1), Condition.attributeNotExists("seq")))
            .build());
    assertThat(accounts.getItem(Key.of("alice"))).contains(account("alice", 40));
    assertThat(accounts.getItem(Key.of("bob"))).contains(account("bob", 60));

    TransactionCanceledException e =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder()
                        .transactItems(
                            transfer("alice", "bob", 60, true),
                            transfer("alice", "bob", 60, false),
                            TransactWriteItem.put("ledger", entry("alice", 2)))
                        .build()));
    assertThat(e)
        .hasMessage(
            "Transaction cancelled, please refer cancellation reasons for specific reasons"
                + " [ConditionalCheckFailed, None, None]");
    assertThat(e.errorCode()).isEqualTo("TransactionCanceledException");
    assertThat(e.cancellationReasons())
        .extracting(CancellationReason::code)
        .containsExactly("ConditionalCheckFailed", "None", "None");
    assertThat(e.cancellationReasons().get(0).message())
        .isEqualTo("The conditional request failed");
    assertThat(e.cancellationReasons().get(0).item()).isEmpty();
    assertThat(accounts.getItem(Key.of("alice"))).contains(account("alice", 40));
    assertThat(accounts.getItem(Key.of("bob"))).contains(account("bob", 60));
    assertThat(ledger.getItem(seq("alice", 2))).isEmpty();
  }

  @Test
  void cancellationReasonsCarryTheItemAndValidationErrors() {
    accounts.putItem(account("carol", 5));
    accounts.putItem(Item.builder().string("id", "text").string("balance", "not a number").build());
    TransactionCanceledException e =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder()
                        .transactItems(
                            TransactWriteItem.builder()
                                .tableName("accounts")
                                .conditionCheck(Key.of("carol"))
                                .condition(Condition.path("balance").gt(AttributeValue.n(10)))
                                .returnValuesOnConditionCheckFailure(
                                    ReturnValuesOnConditionCheckFailure.ALL_OLD)
                                .build(),
                            TransactWriteItem.update(
                                "accounts",
                                Key.of("text"),
                                Update.builder().add("balance", AttributeValue.n(1)).build(),
                                null),
                            TransactWriteItem.delete("accounts", Key.of("nobody")))
                        .build()));
    assertThat(e.cancellationReasons())
        .extracting(CancellationReason::code)
        .containsExactly("ConditionalCheckFailed", "ValidationError", "None");
    assertThat(e.cancellationReasons().get(0).item()).contains(account("carol", 5));
    assertThat(e.cancellationReasons().get(1).message())
        .isEqualTo("An operand in the update expression has an incorrect data type");
    assertThat(e.cancellationReasons().get(2).message()).isNull();
  }

  @Test
  void requestsDynamoDbRefusesAreValidationExceptions() {
    accounts.putItem(account("dave", 1));
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder()
                        .transactItems(
                            TransactWriteItem.put("accounts", account("dave", 2)),
                            TransactWriteItem.conditionCheck(
                                "accounts", Key.of("dave"), Condition.attributeExists("id")))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Transaction request cannot include multiple operations on one item");
    List<TransactWriteItem> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(TransactWriteItem.put("accounts", account("m" + i, i)));
    }
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder().transactItems(many).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith(
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint:"
                + " Member must have length less than or equal to 100");
    assertThatThrownBy(() -> coffer.transactWriteItems(TransactWriteItemsRequest.builder().build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member"
                + " must have length greater than or equal to 1");
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder()
                        .transactItems(
                            TransactWriteItem.update(
                                "accounts",
                                Key.of("dave"),
                                Update.builder().set("id", AttributeValue.s("x")).build(),
                                null))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of"
                + " the key");
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder()
                        .transactItems(TransactWriteItem.put("accounts", account("e", 1)))
                        .clientRequestToken("t".repeat(37))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("less than or equal to 36");
    assertThatThrownBy(
            () ->
                TransactWriteItem.builder()
                    .tableName("accounts")
                    .conditionCheck(Key.of("x"))
                    .build())
        .isInstanceOf(ValidationException.class);
    // 100 actions of 41 KB are over 4 MB together
    List<TransactWriteItem> heavy = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      heavy.add(
          TransactWriteItem.put(
              "accounts",
              Item.builder().string("id", "h" + i).string("blob", "y".repeat(42_000)).build()));
    }
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    TransactWriteItemsRequest.builder().transactItems(heavy).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("4 MB");
    assertThat(accounts.scan(Scan.all()).count()).isEqualTo(1);
    assertThat(accounts.getItem(Key.of("dave"))).contains(account("dave", 1));
  }

  @Test
  void aTransactionMayChangeSeveralItemsOfOnePartition() {
    List<TransactWriteItem> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      items.add(
          TransactWriteItem.put("ledger", entry("p", i), Condition.attributeNotExists("seq")));
    }
    coffer.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
    assertThat(ledger.query(Query.partition("p")).count()).isEqualTo(100);
    List<TransactWriteItem> mixed = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      mixed.add(
          i % 2 == 0
              ? TransactWriteItem.delete("ledger", seq("p", i), Condition.attributeExists("seq"))
              : TransactWriteItem.update(
                  "ledger",
                  seq("p", i),
                  Update.builder().set("memo", AttributeValue.s("x" + i)).build(),
                  null));
    }
    coffer.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(mixed).build());
    Page p = ledger.query(Query.partition("p"));
    assertThat(p.count()).isEqualTo(50);
    assertThat(p.items())
        .allSatisfy(i -> assertThat(i.get("memo").s()).isEqualTo("x" + i.get("seq").n()));
    assertThat(ledger.verify().clean()).isTrue();
  }

  @Test
  void aClientRequestTokenMakesTheCallIdempotentForTenMinutes() {
    accounts.putItem(account("erin", 0));
    TransactWriteItemsRequest deposit =
        TransactWriteItemsRequest.builder()
            .transactItems(
                TransactWriteItem.update(
                    "accounts",
                    Key.of("erin"),
                    Update.builder().add("balance", AttributeValue.n(5)).build(),
                    null))
            .clientRequestToken("deposit-1")
            .build();
    coffer.transactWriteItems(deposit);
    coffer.transactWriteItems(deposit);
    assertThat(accounts.getItem(Key.of("erin"))).contains(account("erin", 5));
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    deposit.toBuilder()
                        .transactItems(
                            TransactWriteItem.update(
                                "accounts",
                                Key.of("erin"),
                                Update.builder().add("balance", AttributeValue.n(6)).build(),
                                null))
                        .build()))
        .isInstanceOf(IdempotentParameterMismatchException.class)
        .extracting(e -> ((CofferException) e).errorCode())
        .isEqualTo("IdempotentParameterMismatchException");
    clock.advance(Duration.ofMinutes(9));
    coffer.transactWriteItems(deposit);
    assertThat(accounts.getItem(Key.of("erin"))).contains(account("erin", 5));
    clock.advance(Duration.ofMinutes(2));
    coffer.transactWriteItems(deposit); // the window is over: a new request
    assertThat(accounts.getItem(Key.of("erin"))).contains(account("erin", 10));
  }

  @Test
  void aCancelledTransactionRunsAgainWithTheSameTokenButNotWithAnotherRequest() {
    TransactWriteItemsRequest create =
        TransactWriteItemsRequest.builder()
            .transactItems(
                TransactWriteItem.put(
                    "accounts", account("frank", 1), Condition.attributeExists("id")))
            .clientRequestToken("create-frank")
            .build();
    assertThatThrownBy(() -> coffer.transactWriteItems(create))
        .isInstanceOf(TransactionCanceledException.class);
    assertThatThrownBy(
            () ->
                coffer.transactWriteItems(
                    create.toBuilder()
                        .transactItems(TransactWriteItem.put("accounts", account("frank", 1)))
                        .build()))
        .isInstanceOf(IdempotentParameterMismatchException.class);
    accounts.putItem(account("frank", 0));
    coffer.transactWriteItems(create); // the same request runs again and now applies
    assertThat(accounts.getItem(Key.of("frank"))).contains(account("frank", 1));
  }

  @Test
  void transactGetReadsOneSnapshotInOrder() {
    accounts.putItem(account("g", 3));
    ledger.putItem(entry("g", 1));
    TransactGetItemsResponse r =
        coffer.transactGetItems(
            TransactGetItemsRequest.of(
                TransactGetItem.of("accounts", Key.of("g")),
                TransactGetItem.of("ledger", seq("g", 1), Projection.attributes("memo")),
                TransactGetItem.of("accounts", Key.of("nobody"))));
    assertThat(r.responses())
        .containsExactly(
            Optional.of(account("g", 3)),
            Optional.of(Item.builder().string("memo", "m1").build()),
            Optional.empty());
    assertThatThrownBy(
            () ->
                coffer.transactGetItems(
                    TransactGetItemsRequest.of(
                        TransactGetItem.of("accounts", Key.of("g")),
                        TransactGetItem.of("accounts", Key.of("g")))))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Transaction request cannot include multiple operations on one item");
    assertThatThrownBy(() -> coffer.transactGetItems(TransactGetItemsRequest.of(List.of())))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void theStoreStaysUsableAfterEveryRefusal() {
    accounts.putItem(account("h", 1));
    for (int round = 0; round < 3; round++) {
      assertThatThrownBy(
              () ->
                  coffer.transactWriteItems(
                      TransactWriteItemsRequest.builder()
                          .transactItems(
                              TransactWriteItem.update(
                                  "accounts",
                                  Key.of("h"),
                                  Update.builder().add("balance", AttributeValue.n(-5)).build(),
                                  Condition.path("balance").ge(AttributeValue.n(5))))
                          .build()))
          .isInstanceOf(TransactionCanceledException.class);
      assertThatThrownBy(
              () ->
                  coffer.batchWriteItem(
                      BatchWriteItemRequest.builder()
                          .requestItems(
                              "accounts",
                              List.of(
                                  WriteRequest.put(account("i", 1)),
                                  WriteRequest.put(account("i", 2))))
                          .build()))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(
              () ->
                  accounts.updateItem(
                      UpdateItemRequest.builder()
                          .key(Key.of("h"))
                          .update(
                              Update.builder()
                                  .add("tags", AttributeValue.l(AttributeValue.s("x")))
                                  .build())
                          .build()))
          .isInstanceOf(ValidationException.class);
    }
    coffer.transactWriteItems(
        TransactWriteItemsRequest.builder()
            .transactItems(TransactWriteItem.put("accounts", account("after", 1)))
            .build());
    assertThat(accounts.getItem(Key.of("after"))).contains(account("after", 1));
    assertThat(accounts.getItem(Key.of("h"))).contains(account("h", 1));
    assertThat(accounts.scan(Scan.all()).count()).isEqualTo(2);
    assertThat(coffer.verify().clean()).isTrue();
  }
}
