package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lone UTF-16 surrogate has no UTF-8 encoding (DynamoDB requires valid UTF-8), so an
 * ExpressionAttributeNames value or an ExpressionAttributeValues string holding one is refused with
 * {@link ValidationException} by every expression the API builds: a condition, a filter, a key
 * condition, an update and a projection (issue 16, failure 2). Nothing reaches the store: an
 * attribute named {@code "a\udc00"} would otherwise be written as {@code "a?"}.
 */
class LoneSurrogateExpressionTest {
  private static final String LONE_LOW = "a\udc00";
  private static final String LONE_HIGH = "\ud800b";
  private static final AttributeValue X = AttributeValue.s("x");

  @TempDir Path dir;

  static Stream<Arguments> namesWithALoneSurrogate() {
    Map<String, String> low = Map.of("#n", LONE_LOW);
    Map<String, String> high = Map.of("#n", LONE_HIGH);
    Map<String, AttributeValue> v = Map.of(":v", X);
    return Stream.of(
        Arguments.of(
            "Condition.expression",
            (ThrowingCallable) () -> Condition.expression("#n = :v", low, v)),
        Arguments.of(
            "Condition.expression, a high surrogate",
            (ThrowingCallable) () -> Condition.expression("attribute_exists(#n)", high, null)),
        Arguments.of(
            "Condition.filterExpression",
            (ThrowingCallable) () -> Condition.filterExpression("#n = :v", low, v)),
        Arguments.of(
            "Update.expression", (ThrowingCallable) () -> Update.expression("SET #n = :v", low, v)),
        Arguments.of(
            "Update.expression REMOVE",
            (ThrowingCallable) () -> Update.expression("REMOVE #n", low, null)),
        Arguments.of(
            "Projection.expression", (ThrowingCallable) () -> Projection.expression("#n", low)),
        Arguments.of(
            "Projection.attributes",
            (ThrowingCallable) () -> Projection.attributes("ok", LONE_LOW)),
        Arguments.of(
            "Expressions condition",
            (ThrowingCallable)
                () ->
                    Expressions.builder()
                        .conditionExpression("attribute_not_exists(#n)")
                        .expressionAttributeNames(low)
                        .build()),
        Arguments.of(
            "Expressions key condition",
            (ThrowingCallable)
                () ->
                    Expressions.builder()
                        .keyConditionExpression("#n = :v")
                        .expressionAttributeNames(low)
                        .expressionAttributeValues(v)
                        .build()),
        Arguments.of(
            "Expressions projection",
            (ThrowingCallable)
                () ->
                    Expressions.builder()
                        .projectionExpression("#n")
                        .expressionAttributeNames(low)
                        .build()),
        Arguments.of(
            "Expressions update",
            (ThrowingCallable)
                () ->
                    Expressions.builder()
                        .updateExpression("SET #n = :v")
                        .expressionAttributeNames(low)
                        .expressionAttributeValues(v)
                        .build()),
        Arguments.of(
            "a name in a path built by the API",
            (ThrowingCallable) () -> dev.coffer.Path.of(LONE_LOW)),
        Arguments.of(
            "a map key in a path built by the API",
            (ThrowingCallable) () -> dev.coffer.Path.of("m").attribute(LONE_HIGH)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("namesWithALoneSurrogate")
  void anExpressionAttributeNameWithALoneSurrogateIsRefused(String what, ThrowingCallable call) {
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining("unpaired UTF-16 surrogate");
  }

  static Stream<Arguments> stringValuesWithALoneSurrogate() {
    return Stream.of(
        Arguments.of("a string", (ThrowingCallable) () -> AttributeValue.s(LONE_LOW)),
        Arguments.of(
            "a high surrogate at the end", (ThrowingCallable) () -> AttributeValue.s("b\ud800")),
        Arguments.of(
            "a string set member", (ThrowingCallable) () -> AttributeValue.ss("ok", LONE_LOW)),
        Arguments.of("a map key", (ThrowingCallable) () -> AttributeValue.m(Map.of(LONE_LOW, X))),
        Arguments.of(
            "a value in a map",
            (ThrowingCallable) () -> AttributeValue.m(Map.of("k", AttributeValue.s(LONE_HIGH)))));
  }

  /**
   * ExpressionAttributeValues holds {@link AttributeValue}s, and no factory makes one of a string
   * with a lone surrogate: the value is refused before any expression can take it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stringValuesWithALoneSurrogate")
  void anExpressionAttributeValueStringWithALoneSurrogateIsRefused(
      String what, ThrowingCallable call) {
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining("unpaired UTF-16 surrogate");
  }

  @Test
  void theStoreKeepsNoAttributeUnderTheReplacedName() {
    TestStores stores = new TestStores();
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder().name("items").partitionKey("pk", AttributeType.S).build());
      t.putItem(Item.builder().string("pk", "k").string("a?", "real").build());
      assertThatThrownBy(
              () ->
                  t.updateItem(
                      UpdateItemRequest.builder()
                          .key(Key.of("k"))
                          .update(
                              Update.expression(
                                  "SET #n = :v", Map.of("#n", LONE_LOW), Map.of(":v", X)))
                          .build()))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(
              () ->
                  t.query(
                      QueryRequest.builder()
                          .query(Query.partition("k"))
                          .filter(
                              Condition.filterExpression(
                                  "#n = :v",
                                  Map.of("#n", LONE_LOW),
                                  Map.of(":v", AttributeValue.s("real"))))
                          .build()))
          .isInstanceOf(ValidationException.class);
      // the attribute "a?" was neither overwritten nor matched by the name that would have collided
      // with it
      assertThat(t.getItem(Key.of("k")))
          .contains(Item.builder().string("pk", "k").string("a?", "real").build());
    }
  }
}
