package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java examples of docs/expressions.md, as written there. */
class DocsExamplesTest {
  private static final KeySchema ORDERS_SCHEMA =
      KeySchema.of("customer", AttributeType.S, "orderDate", AttributeType.S);

  @Test
  void inCode() {
    Condition emailFree = Condition.attributeNotExists("email");
    Condition recent =
        Condition.path("orders")
            .index(0)
            .attribute("date")
            .ge(AttributeValue.s("2026-01-01"))
            .and(Path.of("status").in(AttributeValue.s("open"), AttributeValue.s("paid")))
            .and(Condition.not(Path.of("tags").contains(AttributeValue.s("test"))));
    Update visit =
        Update.builder()
            .set("lastSeen", AttributeValue.s("2026-11-23"))
            .set(
                Path.of("visits"),
                Update.Value.ifNotExists(Path.of("visits"), Update.Value.of(AttributeValue.n(0)))
                    .plus(Update.Value.of(AttributeValue.n(1))))
            .remove(Path.of("cart").index(2))
            .add("badges", AttributeValue.ss("regular"))
            .build();
    Projection card = Projection.of(Path.of("name"), Path.of("address").attribute("city"));
    Query q = Query.partition("USER#1").sortBeginsWith("ORDER#");

    Item user =
        Item.builder()
            .string("id", "u1")
            .string("status", "open")
            .put(
                "orders",
                AttributeValue.l(AttributeValue.m(Map.of("date", AttributeValue.s("2026-02-01")))))
            .put(
                "cart",
                AttributeValue.l(
                    AttributeValue.s("a"), AttributeValue.s("b"), AttributeValue.s("c")))
            .put(
                "address",
                AttributeValue.m(
                    Map.of("city", AttributeValue.s("Oslo"), "zip", AttributeValue.s("0150"))))
            .string("name", "Ada")
            .build();
    assertThat(emailFree.matches(user)).isTrue();
    assertThat(recent.matches(user)).isTrue();
    Item updated = visit.applyTo(user, Key.of("u1"), KeySchema.of("id", AttributeType.S)).item();
    assertThat(updated.get("visits")).isEqualTo(AttributeValue.n(1));
    assertThat(updated.get("cart"))
        .isEqualTo(AttributeValue.l(AttributeValue.s("a"), AttributeValue.s("b")));
    assertThat(card.apply(user))
        .isEqualTo(
            Item.builder()
                .string("name", "Ada")
                .put("address", AttributeValue.m(Map.of("city", AttributeValue.s("Oslo"))))
                .build());
    assertThat(q.sortCondition()).isEqualTo(Query.SortCondition.BEGINS_WITH);
  }

  @Test
  void asText() {
    Condition c =
        Condition.expression(
            "attribute_not_exists(#e) OR #n < :max",
            Map.of("#e", "email", "#n", "logins"),
            Map.of(":max", AttributeValue.n(10)));
    Condition f =
        Condition.filterExpression(
            "price BETWEEN :lo AND :hi",
            null,
            Map.of(":lo", AttributeValue.n(5), ":hi", AttributeValue.n(10)));
    Update u =
        Update.expression(
            "SET #n = :n ADD logins :one",
            Map.of("#n", "name"),
            Map.of(":n", AttributeValue.s("Ada"), ":one", AttributeValue.n(1)));
    Projection p = Projection.expression("title, reviews[0], #p.usd", Map.of("#p", "price"));
    Query q =
        Query.keyCondition(
            ORDERS_SCHEMA,
            "customer = :c AND begins_with(orderDate, :y)",
            null,
            Map.of(":c", AttributeValue.s("USER#1"), ":y", AttributeValue.s("2026-")));
    assertThat(c)
        .isEqualTo(
            Condition.attributeNotExists("email").or(Path.of("logins").lt(AttributeValue.n(10))));
    assertThat(f).isEqualTo(Path.of("price").between(AttributeValue.n(5), AttributeValue.n(10)));
    assertThat(u)
        .isEqualTo(
            Update.builder()
                .set("name", AttributeValue.s("Ada"))
                .add("logins", AttributeValue.n(1))
                .build());
    assertThat(p.paths()).hasSize(3);
    assertThat(q.toString())
        .isEqualTo(Query.partition("USER#1").sortBeginsWith("2026-").toString());

    Expressions e =
        Expressions.builder()
            .keyConditionExpression("#c = :c")
            .filterExpression("amount > :min")
            .projectionExpression("#c, orderDate, amount")
            .expressionAttributeNames(Map.of("#c", "customer"))
            .expressionAttributeValues(
                Map.of(":c", AttributeValue.s("USER#1"), ":min", AttributeValue.n(100)))
            .build();
    Query query = e.keyCondition(ORDERS_SCHEMA);
    Condition filter = e.filterExpression().orElseThrow();
    assertThat(query.partitionKey()).isEqualTo(AttributeValue.s("USER#1"));
    assertThat(filter).isEqualTo(Path.of("amount").gt(AttributeValue.n(100)));
  }

  @Test
  void wiringTheOperations(@TempDir java.nio.file.Path dir) {
    try (Coffer coffer = new TestStores().open(dir)) {
      Table table =
          coffer.createTable(
              TableSpec.builder().name("users").partitionKey("email", AttributeType.S).build());
      Key key = Key.of("a@x");
      Item item = Item.builder().string("email", "b@x").number("visits", 1).build();
      Update update = Update.builder().add("visits", AttributeValue.n(1)).build();
      Condition condition = Condition.attributeNotExists("banned");
      Query query = Query.partition("b@x");
      Projection projection = Projection.attributes("visits");

      table.updateItem(
          UpdateItemRequest.builder()
              .key(key)
              .update(update)
              .condition(condition)
              .returnValues(ReturnValue.UPDATED_NEW)
              .build());
      table.putItem(
          PutItemRequest.builder()
              .item(item)
              .condition(Condition.attributeNotExists("email"))
              .build());
      Page page =
          table.query(
              QueryRequest.builder().query(query).filter(condition).projection(projection).build());

      assertThat(page.items()).containsExactly(Item.builder().number("visits", 1).build());
      assertThat(table.getItem(key).orElseThrow().get("visits")).isEqualTo(AttributeValue.n(1));
    }
  }
}
