package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.internal.expression.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public expression types: typed builders and string forms make the same expressions. */
class ExpressionApiTest {
  private static final AttributeValue ONE = AttributeValue.n(1);
  private static final AttributeValue X = AttributeValue.s("x");

  @Test
  void typedConditionsEqualTheirExpressionText() {
    assertThat(Condition.attributeNotExists("email"))
        .isEqualTo(Condition.expression("attribute_not_exists(email)"));
    assertThat(Condition.path("a").attribute("b").index(3).eq(ONE))
        .isEqualTo(Condition.expression("a.b[3] = :v", null, Map.of(":v", ONE)));
    assertThat(Condition.path("status").ne(X))
        .isEqualTo(Condition.expression("#s <> :x", Map.of("#s", "status"), Map.of(":x", X)));
    assertThat(
            Path.of("a")
                .lt(ONE)
                .and(Path.of("b").le(Path.of("c")))
                .or(Condition.not(Path.of("d").gt(ONE))))
        .isEqualTo(
            Condition.expression("a < :one AND b <= c OR NOT d > :one", null, Map.of(":one", ONE)));
    assertThat(Path.of("a").ge(ONE).and(Path.of("b").exists().or(Path.of("c").notExists())))
        .isEqualTo(
            Condition.expression(
                "a >= :one AND (attribute_exists(b) OR attribute_not_exists(c))",
                null,
                Map.of(":one", ONE)));
    assertThat(Path.of("n").between(ONE, AttributeValue.n(5)))
        .isEqualTo(
            Condition.expression(
                "n BETWEEN :a AND :b", null, Map.of(":a", ONE, ":b", AttributeValue.n(5))));
    assertThat(Path.of("n").in(ONE, X))
        .isEqualTo(Condition.expression("n IN (:a, :b)", null, Map.of(":a", ONE, ":b", X)));
    assertThat(Path.of("s").beginsWith("pre"))
        .isEqualTo(
            Condition.expression(
                "begins_with(s, :p)", null, Map.of(":p", AttributeValue.s("pre"))));
    assertThat(Path.of("l").contains(X))
        .isEqualTo(Condition.expression("contains(l, :x)", null, Map.of(":x", X)));
    assertThat(Path.of("l").size().gt(ONE))
        .isEqualTo(Condition.expression("size(l) > :one", null, Map.of(":one", ONE)));
    assertThat(Path.of("a").attributeType(AttributeType.SS))
        .isEqualTo(
            Condition.expression(
                "attribute_type(a, :t)", null, Map.of(":t", AttributeValue.s("SS"))));
    assertThat(Operand.value(ONE).lt(Path.of("a")))
        .isEqualTo(Condition.expression(":one < a", null, Map.of(":one", ONE)));
    assertThat(Path.of("a.b").eq(ONE))
        .isEqualTo(Condition.expression("#ab = :one", Map.of("#ab", "a.b"), Map.of(":one", ONE)));
    assertThat(Condition.filterExpression("a = :v", Map.of(), Map.of(":v", ONE)))
        .isEqualTo(Path.of("a").eq(ONE));
  }

  @Test
  void typedConditionsAreCheckedAtOnce() {
    assertThatThrownBy(() -> Path.of("a").lt(AttributeValue.bool(true)))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or"
                + " function: <, operand type: BOOL");
    assertThatThrownBy(() -> Path.of("a").eq(Path.of("a")))
        .hasMessage(
            "Invalid ConditionExpression: The first"
                + " operand must be distinct from the remaining operands for this operator or function; operator: =, first"
                + " operand: [a]");
    assertThatThrownBy(() -> Path.of("a").between(AttributeValue.n(2), ONE))
        .hasMessageContaining(
            "The BETWEEN"
                + " operator requires upper bound to be greater than or equal to lower bound");
    assertThatThrownBy(() -> Path.of("a").beginsWith(ONE))
        .hasMessage(
            "Invalid ConditionExpression: Incorrect operand"
                + " type for operator or function; operator or function: begins_with, operand type: N");
    List<Operand> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(Operand.value(AttributeValue.n(i)));
    }
    assertThatThrownBy(() -> Path.of("a").in(many))
        .hasMessage(
            "Invalid ConditionExpression: The IN operator is"
                + " provided with too many operands; number of operands: 101");
    assertThatThrownBy(() -> Path.of("a").in()).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Path.of(""))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("An attribute name may not be empty");
    assertThatThrownBy(() -> Path.of("a").index(-1)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Condition.expression("a = :v", null, Map.of(":v", ONE, ":w", ONE)))
        .hasMessage(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
    assertThatThrownBy(() -> Condition.filterExpression("a =="))
        .hasMessage("Invalid FilterExpression: Syntax error;" + " token: \"=\", near: \"==\"");
  }

  @Test
  void conditionsBuiltInCodeAreBoundedInDepth() {
    Condition c = Path.of("a").eq(ONE);
    for (int i = 1; i < Condition.MAX_TREE_DEPTH; i++) {
      c = i % 2 == 0 ? c.and(Path.of("b").eq(ONE)) : Condition.not(c);
    }
    assertThat(c.matches(Item.empty())).isTrue();
    Condition deepest = c;
    assertThatThrownBy(() -> deepest.or(Path.of("b").eq(ONE)))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Invalid ConditionExpression: The expression is nested too deeply; maximum depth: 1000");
  }

  @Test
  void conditionsEvaluate() {
    Item item = Item.builder().string("email", "a@b").number("logins", 3).build();
    assertThat(Condition.attributeNotExists("email").matches(item)).isFalse();
    assertThat(Condition.attributeNotExists("email").matches(null)).isTrue();
    assertThat(Path.of("logins").lt(AttributeValue.n(10)).matches(item)).isTrue();
    assertThat(Path.of("logins").lt(AttributeValue.s("10")).matches(item)).isFalse();
    assertThat(Path.of("missing").ne(ONE).matches(item)).isTrue();
  }

  @Test
  void conditionsPrintAsExpressions() {
    assertThat(Condition.path("status").eq(X).and(Condition.attributeExists("email")).toString())
        .isEqualTo(
            "#n0 = :v0 AND attribute_exists(email) names={#n0=status} values={:v0={\"S\":\"x\"}}");
    assertThat(Path.of("a").attribute("b c").index(2).toString()).isEqualTo("a.\"b c\"[2]");
  }

  @Test
  void typedUpdatesEqualTheirExpressionText() {
    Update typed =
        Update.builder()
            .delete("d", AttributeValue.ss("x"))
            .add("c", ONE)
            .remove(Path.of("b").index(0))
            .set("a", X)
            .set(Path.of("n"), Update.Value.path("n").plus(Update.Value.of(ONE)))
            .set(
                "l",
                Update.Value.listAppend(
                    Update.Value.ifNotExists(
                        Path.of("l"), Update.Value.of(AttributeValue.l(List.of()))),
                    Update.Value.of(AttributeValue.l(ONE))))
            .build();
    Update text =
        Update.expression(
            "SET a = :x, n = n + :one, l = list_append(if_not_exists(l, :empty), :list)"
                + " REMOVE b[0] ADD c :one DELETE d :set",
            null,
            Map.of(
                ":x",
                X,
                ":one",
                ONE,
                ":empty",
                AttributeValue.l(List.of()),
                ":list",
                AttributeValue.l(ONE),
                ":set",
                AttributeValue.ss("x")));
    assertThat(typed).isEqualTo(text);
    assertThat(
            Update.expression(
                typed.toString().replaceAll(" names=.*| values=.*", ""),
                null,
                Map.of(
                    ":v0",
                    X,
                    ":v1",
                    ONE,
                    ":v2",
                    AttributeValue.l(List.of()),
                    ":v3",
                    AttributeValue.l(ONE),
                    ":v4",
                    ONE,
                    ":v5",
                    AttributeValue.ss("x"))))
        .isEqualTo(typed);
  }

  @Test
  void updatesExtendThroughToBuilder() {
    Update base = Update.expression("REMOVE b SET a = :x", null, Map.of(":x", X));
    assertThat(base.toBuilder().add("c", ONE).build())
        .isEqualTo(Update.builder().set("a", X).remove("b").add("c", ONE).build());
    assertThatThrownBy(() -> base.toBuilder().set("b", X).build())
        .hasMessageContaining("Two document paths overlap");
  }

  @Test
  void typedUpdatesAreChecked() {
    assertThatThrownBy(() -> Update.builder().build())
        .hasMessage("Invalid UpdateExpression: The expression can not be empty;");
    assertThatThrownBy(() -> Update.builder().set("a", X).remove("a").build())
        .hasMessage(
            "Invalid UpdateExpression:"
                + " Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a],"
                + " path two: [a]");
    assertThatThrownBy(
            () ->
                Update.builder()
                    .set(Path.of("a").attribute("b"), X)
                    .set(Path.of("a").index(1), X)
                    .build())
        .hasMessage(
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or"
                + " rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
    assertThatThrownBy(() -> Update.builder().add("l", AttributeValue.l(ONE)).build())
        .hasMessage(
            "Invalid"
                + " UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST");
    assertThatThrownBy(() -> Update.builder().delete("n", ONE).build())
        .hasMessage(
            "Invalid UpdateExpression:"
                + " Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
    assertThatThrownBy(
            () -> Update.builder().set("a", Update.Value.of(X).plus(Update.Value.of(ONE))).build())
        .hasMessage(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function:"
                + " +, operand type: S");
    assertThatThrownBy(
            () -> Update.Value.of(ONE).plus(Update.Value.of(ONE)).plus(Update.Value.of(ONE)))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("Invalid UpdateExpression:");
    assertThatThrownBy(
            () ->
                Update.builder()
                    .set(
                        "a",
                        Update.Value.listAppend(
                            Update.Value.listAppend(Update.Value.path("a"), Update.Value.path("b")),
                            Update.Value.path("c")))
                    .build())
        .hasMessage(
            "Invalid"
                + " UpdateExpression: The function is not allowed to be used this way in an expression; function:"
                + " list_append");
  }

  @Test
  void updatesApply() {
    KeySchema schema = KeySchema.of("pk", AttributeType.S);
    Update u = Update.builder().set("a", X).add("n", ONE).build();
    UpdateResult r = u.applyTo(null, Key.of("k"), schema);
    assertThat(r.item())
        .isEqualTo(Item.builder().string("pk", "k").string("a", "x").number("n", 1).build());
    UpdateResult again = u.applyTo(r.item(), Key.of("k"), schema);
    assertThat(again.updatedOld())
        .isEqualTo(Item.builder().string("a", "x").number("n", 1).build());
    assertThat(again.updatedNew())
        .isEqualTo(Item.builder().string("a", "x").number("n", 2).build());
    assertThatThrownBy(
            () -> Update.builder().set("pk", X).build().applyTo(null, Key.of("k"), schema))
        .hasMessage(
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of"
                + " the key");
  }

  @Test
  void projections() {
    Item item =
        Item.builder()
            .string("title", "T")
            .put("reviews", AttributeValue.l(AttributeValue.s("good"), AttributeValue.s("bad")))
            .put("price", AttributeValue.m(Map.of("usd", ONE, "eur", ONE)))
            .build();
    Projection typed =
        Projection.of(
            Path.of("title"), Path.of("reviews").index(1), Path.of("price").attribute("usd"));
    assertThat(typed)
        .isEqualTo(Projection.expression("title, reviews[1], #p.usd", Map.of("#p", "price")));
    assertThat(typed.apply(item))
        .isEqualTo(
            Item.builder()
                .string("title", "T")
                .put("reviews", AttributeValue.l(AttributeValue.s("bad")))
                .put("price", AttributeValue.m(Map.of("usd", ONE)))
                .build());
    assertThat(Projection.attributes("title", "nope").apply(item))
        .isEqualTo(Item.builder().string("title", "T").build());
    assertThat(typed.paths())
        .containsExactly(
            Path.of("title"), Path.of("reviews").index(1), Path.of("price").attribute("usd"));
    assertThat(typed.toString()).isEqualTo("title, reviews[1], price.usd");
    assertThatThrownBy(() -> Projection.of(Path.of("a"), Path.of("a").attribute("b")))
        .hasMessage(
            "Invalid"
                + " ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these"
                + " paths; path one: [a], path two: [a, b]");
    assertThatThrownBy(() -> Projection.attributes())
        .hasMessage("Invalid ProjectionExpression: The expression can not" + " be empty;");
    assertThatThrownBy(() -> Projection.expression("name"))
        .hasMessage(
            "Invalid ProjectionExpression: Attribute name is"
                + " a reserved keyword; reserved keyword: name");
  }

  @Test
  void oneRequestsExpressionsSharePlaceholders() {
    KeySchema schema = KeySchema.of("customer", AttributeType.S, "orderDate", AttributeType.S);
    Expressions e =
        Expressions.builder()
            .keyConditionExpression("#c = :c AND begins_with(orderDate, :y)")
            .filterExpression("amount > :min")
            .projectionExpression("#c, orderDate, amount")
            .expressionAttributeNames(Map.of("#c", "customer"))
            .expressionAttributeValues(
                Map.of(":c", AttributeValue.s("U1"), ":y", AttributeValue.s("2026-"), ":min", ONE))
            .build();
    assertThat(e.keyCondition(schema).toString())
        .isEqualTo(Query.partition("U1").sortBeginsWith("2026-").toString());
    assertThat(e.filterExpression()).contains(Path.of("amount").gt(ONE));
    assertThat(e.projectionExpression())
        .contains(Projection.attributes("customer", "orderDate", "amount"));
    assertThat(e.conditionExpression()).isEmpty();
    assertThat(e.updateExpression()).isEmpty();
    assertThat(Query.keyCondition(schema, "customer = :c", null, Map.of(":c", X)).partitionKey())
        .isEqualTo(X);
  }

  @Test
  void requestLevelChecksInDynamoDbsOrder() {
    assertThatThrownBy(() -> Expressions.builder().expressionAttributeNames(Map.of()).build())
        .hasMessage("ExpressionAttributeNames can only be specified when using expressions");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .projectionExpression("a")
                    .expressionAttributeNames(Map.of())
                    .build())
        .hasMessage("ExpressionAttributeNames must not be empty");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .updateExpression("SET a = :v")
                    .conditionExpression("b = :w")
                    .expressionAttributeValues(Map.of(":v", ONE, ":w", ONE, ":unused", ONE))
                    .build())
        .hasMessage(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .updateExpression("SET #a = :v")
                    .conditionExpression("#b = :w")
                    .expressionAttributeNames(Map.of("#a", "a", "#b", "b", "#c", "c"))
                    .expressionAttributeValues(Map.of(":v", ONE, ":w", ONE, ":unused", ONE))
                    .build())
        .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .updateExpression("SET a = :zz")
                    .conditionExpression("b = ")
                    .build())
        .hasMessage(
            "Invalid UpdateExpression: An expression attribute value used in expression is not"
                + " defined; attribute value: :zz");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .updateExpression("SET a = :v")
                    .conditionExpression("b = ")
                    .expressionAttributeValues(Map.of(":v", ONE))
                    .build())
        .hasMessage(
            "Invalid ConditionExpression: Syntax error;" + " token: \"<EOF>\", near: \"= \"");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .projectionExpression("a")
                    .build()
                    .keyCondition(KeySchema.of("a", AttributeType.S)))
        .hasMessage(
            "Either the KeyConditions or"
                + " KeyConditionExpression parameter must be specified in the request.");
    assertThatThrownBy(
            () ->
                Expressions.builder()
                    .keyConditionExpression("a = :v OR a = :v")
                    .expressionAttributeValues(Map.of(":v", X, ":w", X))
                    .build())
        .hasMessage(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  }
}
