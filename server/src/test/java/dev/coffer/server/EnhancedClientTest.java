package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactGetItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The DynamoDB Enhanced Client (bean-mapped tables, as applications use DynamoDB from Java) against
 * {@code coffer serve}, and the same code against dynalite: create the table from the bean, put,
 * get, query with key conditions, scan, delete; an update with a condition; a conditional create; a
 * transaction (Put, Delete, a failed ConditionCheck) and a transactional get. Against dynalite the
 * transaction cases are skipped with a message (dynalite has no transactions); against {@code
 * coffer serve} nothing is skipped.
 */
class EnhancedClientTest {
  @TempDir Path dir;

  /**
   * An order, mapped as the Enhanced Client maps beans: customer (partition key), orderId (sort
   * key).
   */
  @DynamoDbBean
  public static class Order {
    private String customer;
    private String orderId;
    private Long amount;
    private Boolean paid;
    private List<String> lines;

    public Order() {}

    Order(String customer, String orderId, long amount, boolean paid, List<String> lines) {
      this.customer = customer;
      this.orderId = orderId;
      this.amount = amount;
      this.paid = paid;
      this.lines = lines;
    }

    @DynamoDbPartitionKey
    public String getCustomer() {
      return customer;
    }

    public void setCustomer(String customer) {
      this.customer = customer;
    }

    @DynamoDbSortKey
    public String getOrderId() {
      return orderId;
    }

    public void setOrderId(String orderId) {
      this.orderId = orderId;
    }

    public Long getAmount() {
      return amount;
    }

    public void setAmount(Long amount) {
      this.amount = amount;
    }

    public Boolean getPaid() {
      return paid;
    }

    public void setPaid(Boolean paid) {
      this.paid = paid;
    }

    public List<String> getLines() {
      return lines;
    }

    public void setLines(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Order x
          && Objects.equals(customer, x.customer)
          && Objects.equals(orderId, x.orderId)
          && Objects.equals(amount, x.amount)
          && Objects.equals(paid, x.paid)
          && Objects.equals(lines, x.lines);
    }

    @Override
    public int hashCode() {
      return Objects.hash(customer, orderId, amount, paid, lines);
    }

    @Override
    public String toString() {
      return "Order[" + customer + "/" + orderId + " " + amount + " paid=" + paid + " " + lines
          + "]";
    }
  }

  private static final TableSchema<Order> SCHEMA = TableSchema.fromBean(Order.class);

  private static DynamoDbTable<Order> orders(DynamoDbEnhancedClient enhanced, Targets.Running t) {
    DynamoDbTable<Order> table = enhanced.table("Orders", SCHEMA);
    table.createTable();
    t.client().waiter().waitUntilTableExists(b -> b.tableName("Orders"));
    table.putItem(new Order("alice", "2026-01-05#1", 120, true, List.of("tea", "cups")));
    table.putItem(new Order("alice", "2026-02-11#2", 35, false, List.of("milk")));
    table.putItem(new Order("alice", "2025-12-30#9", 8, true, List.of("sugar")));
    table.putItem(new Order("bob", "2026-01-07#3", 60, true, List.of("kettle")));
    return table;
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  void putGetQueryScanDelete(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbEnhancedClient enhanced =
          DynamoDbEnhancedClient.builder().dynamoDbClient(t.client()).build();
      DynamoDbTable<Order> table = orders(enhanced, t);

      Order got =
          table.getItem(Key.builder().partitionValue("alice").sortValue("2026-01-05#1").build());
      assertThat(got)
          .isEqualTo(new Order("alice", "2026-01-05#1", 120, true, List.of("tea", "cups")));
      assertThat(table.getItem(Key.builder().partitionValue("alice").sortValue("none").build()))
          .isNull();

      List<String> alices2026 =
          table
              .query(
                  QueryConditional.sortBeginsWith(
                      Key.builder().partitionValue("alice").sortValue("2026-").build()))
              .items()
              .stream()
              .map(Order::getOrderId)
              .toList();
      assertThat(alices2026).containsExactly("2026-01-05#1", "2026-02-11#2");
      List<String> between =
          table
              .query(
                  QueryConditional.sortBetween(
                      Key.builder().partitionValue("alice").sortValue("2025-12-01").build(),
                      Key.builder().partitionValue("alice").sortValue("2026-01-31").build()))
              .items()
              .stream()
              .map(Order::getOrderId)
              .toList();
      assertThat(between).containsExactly("2025-12-30#9", "2026-01-05#1");
      List<String> descending =
          table
              .query(
                  r ->
                      r.queryConditional(
                              QueryConditional.keyEqualTo(
                                  Key.builder().partitionValue("alice").build()))
                          .scanIndexForward(false)
                          .limit(2))
              .stream()
              .findFirst()
              .orElseThrow()
              .items()
              .stream()
              .map(Order::getOrderId)
              .toList();
      assertThat(descending).containsExactly("2026-02-11#2", "2026-01-05#1");

      assertThat(
              table.scan().items().stream()
                  .map(o -> o.getCustomer() + "/" + o.getOrderId())
                  .toList())
          .containsExactlyInAnyOrder(
              "alice/2026-01-05#1", "alice/2026-02-11#2", "alice/2025-12-30#9", "bob/2026-01-07#3");

      Order deleted =
          table.deleteItem(Key.builder().partitionValue("bob").sortValue("2026-01-07#3").build());
      assertThat(deleted.getLines()).containsExactly("kettle");
      assertThat(
              table
                  .query(QueryConditional.keyEqualTo(Key.builder().partitionValue("bob").build()))
                  .items())
          .isEmpty();
    }
  }

  /**
   * Skips the rest of the test when dynalite does not implement {@code operation}
   * (UnknownOperationException); coffer serve must serve it.
   */
  private static <T> T servedOrSkip(Targets target, String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (DynamoDbException e) {
      if (target == Targets.DYNALITE
          && "UnknownOperationException".equals(e.awsErrorDetails().errorCode())) {
        Assumptions.abort("dynalite does not implement " + operation);
      }
      throw e;
    }
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  void updateWithACondition(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbEnhancedClient enhanced =
          DynamoDbEnhancedClient.builder().dynamoDbClient(t.client()).build();
      DynamoDbTable<Order> table = orders(enhanced, t);
      Expression unpaid =
          Expression.builder()
              .expression("paid = :no")
              .putExpressionValue(":no", AttributeValue.fromBool(false))
              .build();
      Order paying = new Order("alice", "2026-02-11#2", 35, true, List.of("milk"));
      Order updated =
          table.updateItem(
              UpdateItemEnhancedRequest.builder(Order.class)
                  .item(paying)
                  .conditionExpression(unpaid)
                  .build());
      assertThat(updated).isEqualTo(paying);
      assertThatThrownBy(
              () ->
                  table.updateItem(
                      UpdateItemEnhancedRequest.builder(Order.class)
                          .item(paying)
                          .conditionExpression(unpaid)
                          .build()))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThat(
              table.getItem(
                  Key.builder().partitionValue("alice").sortValue("2026-02-11#2").build()))
          .isEqualTo(paying);

      Expression absent = Expression.builder().expression("attribute_not_exists(customer)").build();
      Order fresh = new Order("carol", "2026-03-01#7", 5, false, List.of("jam"));
      table.putItem(
          PutItemEnhancedRequest.builder(Order.class)
              .item(fresh)
              .conditionExpression(absent)
              .build());
      assertThatThrownBy(
              () ->
                  table.putItem(
                      PutItemEnhancedRequest.builder(Order.class)
                          .item(new Order("carol", "2026-03-01#7", 999, true, List.of()))
                          .conditionExpression(absent)
                          .build()))
          .isInstanceOf(ConditionalCheckFailedException.class);
      assertThat(
              table.getItem(
                  Key.builder().partitionValue("carol").sortValue("2026-03-01#7").build()))
          .isEqualTo(fresh);
    }
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  void transactWrite(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbEnhancedClient enhanced =
          DynamoDbEnhancedClient.builder().dynamoDbClient(t.client()).build();
      DynamoDbTable<Order> table = orders(enhanced, t);
      Order moved = new Order("bob", "2026-01-05#1", 120, true, List.of("tea", "cups"));
      servedOrSkip(
          target,
          "TransactWriteItems",
          () ->
              enhanced.transactWriteItems(
                  TransactWriteItemsEnhancedRequest.builder()
                      .addPutItem(table, moved)
                      .addDeleteItem(
                          table,
                          Key.builder().partitionValue("alice").sortValue("2026-01-05#1").build())
                      .build()));
      assertThat(
              table.getItem(Key.builder().partitionValue("bob").sortValue("2026-01-05#1").build()))
          .isEqualTo(moved);
      assertThat(
              table.getItem(
                  Key.builder().partitionValue("alice").sortValue("2026-01-05#1").build()))
          .isNull();

      // a failed ConditionCheck cancels the whole transaction: the put is not applied
      Order never = new Order("bob", "2026-09-09#9", 1, false, List.of("nothing"));
      TransactionCanceledException cancelled =
          catchThrowableOfType(
              TransactionCanceledException.class,
              () ->
                  enhanced.transactWriteItems(
                      TransactWriteItemsEnhancedRequest.builder()
                          .addPutItem(table, never)
                          .addConditionCheck(
                              table,
                              ConditionCheck.builder()
                                  .key(
                                      Key.builder()
                                          .partitionValue("alice")
                                          .sortValue("2026-02-11#2")
                                          .build())
                                  .conditionExpression(
                                      Expression.builder()
                                          .expression("amount > :big")
                                          .putExpressionValue(":big", AttributeValue.fromN("1000"))
                                          .build())
                                  .build())
                          .build()));
      assertThat(cancelled.cancellationReasons())
          .extracting(CancellationReason::code)
          .containsExactly("None", "ConditionalCheckFailed");
      assertThat(
              table.getItem(Key.builder().partitionValue("bob").sortValue("2026-09-09#9").build()))
          .isNull();

      var both =
          enhanced.transactGetItems(
              TransactGetItemsEnhancedRequest.builder()
                  .addGetItem(
                      table, Key.builder().partitionValue("bob").sortValue("2026-01-05#1").build())
                  .addGetItem(
                      table,
                      Key.builder().partitionValue("alice").sortValue("2026-01-05#1").build())
                  .build());
      assertThat(both.get(0).getItem(table)).isEqualTo(moved);
      assertThat(both.get(1).getItem(table)).isNull();
    }
  }
}
