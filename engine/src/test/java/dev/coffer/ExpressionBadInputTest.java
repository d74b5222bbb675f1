package dev.coffer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to expressions, each refused with a {@link ValidationException} worded as DynamoDB
 * words it: malformed text, wrong types in arithmetic, ADD to a list, too many IN operands, results
 * too large or too deep, and the rest of DynamoDB's expression errors.
 */
class ExpressionBadInputTest {
  private static final KeySchema SCHEMA = KeySchema.of("pk", AttributeType.S);
  private static final Key KEY = Key.of("k");
  private static final Item ITEM =
      Item.builder()
          .string("pk", "k")
          .string("s", "text")
          .put("l", AttributeValue.l(AttributeValue.n(1)))
          .put("m", AttributeValue.m(Map.of("x", AttributeValue.n(1))))
          .build();

  private static Map<String, AttributeValue> values() {
    Map<String, AttributeValue> v = new LinkedHashMap<>();
    v.put(":s", AttributeValue.s("x"));
    v.put(":n", AttributeValue.n(1));
    v.put(":l", AttributeValue.l(AttributeValue.n(2)));
    v.put(":ns", AttributeValue.ns("3"));
    v.put(":big", AttributeValue.n("9e125"));
    v.put(":huge", AttributeValue.s("x".repeat(300 * 1024)));
    return v;
  }

  /** Parses {@code expression} with just the values it uses, then applies it to {@link #ITEM}. */
  private static ThrowingCallable update(String expression) {
    return () -> {
      Map<String, AttributeValue> used = new LinkedHashMap<>();
      values()
          .forEach(
              (k, v) -> {
                if (expression.matches(".*" + k + "\\b.*")) {
                  used.put(k, v);
                }
              });
      Update u = Update.expression(expression, null, used);
      u.applyTo(ITEM, KEY, SCHEMA);
    };
  }

  private static ThrowingCallable condition(String expression) {
    return () ->
        Expressions.builder()
            .conditionExpression(expression)
            .expressionAttributeValues(values())
            .build();
  }

  static Stream<Arguments> cases() {
    List<String> ninetyNine = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ninetyNine.add(":n");
    }
    return Stream.of(
        Arguments.of(
            "malformed",
            update("SET a = = :n"),
            "Invalid UpdateExpression: Syntax error; token: \"=\", near: \"= = :n\""),
        Arguments.of(
            "malformed condition",
            condition("a = :n AND"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\""),
        Arguments.of(
            "three operands to +",
            update("SET a = :n + :n + :n"),
            "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":n + :n\""),
        Arguments.of(
            "a string in arithmetic",
            update("SET a = :s + :n"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +,"
                + " operand type: S"),
        Arguments.of(
            "an item's string in arithmetic",
            update("SET a = s - :n"),
            "An operand in the update expression has an incorrect data type"),
        Arguments.of(
            "a list value to ADD",
            update("ADD l :l"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type:"
                + " LIST"),
        Arguments.of(
            "ADD to an item's list",
            update("ADD l :ns"),
            "An operand in the update expression has an incorrect data type"),
        Arguments.of(
            "ADD a number to a string",
            update("ADD s :n"),
            "An operand in the update expression has an incorrect data type"),
        Arguments.of(
            "list_append to a non-list",
            update("SET l = list_append(s, :l)"),
            "An operand in the update expression has an incorrect data type"),
        Arguments.of(
            "a number out of range",
            update("SET a = :big + :big"),
            "Number overflow. Attempting to store a number with magnitude larger than supported range"),
        Arguments.of(
            "too many IN operands",
            condition("s IN (" + String.join(", ", ninetyNine) + ")"),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands:"
                + " 101"),
        Arguments.of(
            "a result over 400 KB",
            update("SET a = :huge, b = :huge"),
            "Item size to update has exceeded the maximum allowed size"),
        Arguments.of(
            "a missing attribute on the right",
            update("SET a = nope"),
            "The provided expression refers to an attribute that does not exist in the item"),
        Arguments.of(
            "a path under a string",
            update("SET s.x = :n"),
            "The document path provided in the update expression is invalid for update"),
        Arguments.of(
            "a key attribute",
            update("REMOVE pk"),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"),
        Arguments.of(
            "overlapping paths",
            update("SET m.x = :n REMOVE m"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these"
                + " paths; path one: [m, x], path two: [m]"),
        Arguments.of(
            "a clause twice",
            update("SET a = :n SET b = :n"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"),
        Arguments.of(
            "a reserved word",
            condition("name = :s"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
        Arguments.of(
            "an unknown function",
            condition("starts_with(s, :s)"),
            "Invalid ConditionExpression: Invalid function name; function: starts_with"),
        Arguments.of(
            "an undefined value",
            update("SET a = :nope"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute"
                + " value: :nope"),
        Arguments.of(
            "an unused value",
            condition("s = :s"),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:n, :l, :ns, :big, :huge}"),
        Arguments.of(
            "redundant parentheses",
            condition("((s = :s))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;"),
        Arguments.of(
            "an empty expression",
            update(""),
            "Invalid UpdateExpression: The expression can not be empty;"),
        Arguments.of(
            "an expression over 4 KB",
            update("SET a" + "b".repeat(5000) + " = :n"),
            "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithDynamoDbsWording(String what, ThrowingCallable call, String message) {
    assertThatThrownBy(call).as(what).isInstanceOf(ValidationException.class).hasMessage(message);
  }

  /** A map nested {@code levels} deep (one level: a map of a number). */
  private static AttributeValue nested(int levels) {
    AttributeValue v = AttributeValue.n(1);
    for (int i = 0; i < levels; i++) {
      v = AttributeValue.m(Map.of("x", v));
    }
    return v;
  }

  @Test
  void resultsNestedDeeperThanDynamoDbAllowsAreRefused() {
    assertThatThrownBy(() -> nested(33))
        .as("a value nested 33 levels deep, built directly")
        .isInstanceOf(ValidationException.class);
    // each piece is within the limit; together they are 33 levels deep
    Item item = Item.builder().string("pk", "k").put("a", nested(31)).build();
    StringBuilder path = new StringBuilder("a");
    for (int i = 0; i < 30; i++) {
      path.append(".x");
    }
    Update u = Update.expression("SET " + path + " = :deep", null, Map.of(":deep", nested(2)));
    assertThatThrownBy(() -> u.applyTo(item, KEY, SCHEMA))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("Nesting Levels have exceeded supported limits");
  }
}
