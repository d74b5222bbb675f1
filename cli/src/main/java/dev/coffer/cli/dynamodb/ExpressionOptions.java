package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import dev.coffer.Expressions;
import dev.coffer.ValidationException;
import dev.coffer.cli.input.Excerpt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --expression-attribute-names} and {@code --expression-attribute-values} options, read
 * from JSON into the engine's {@link Expressions} builder, which parses the request's expressions
 * together and checks the placeholders as DynamoDB does. Stateless.
 */
final class ExpressionOptions {
  private ExpressionOptions() {}

  /** A builder holding the two options (either may be null: not given). */
  static Expressions.Builder builder(String namesOption, String valuesOption) {
    return Expressions.builder()
        .expressionAttributeNames(names(namesOption))
        .expressionAttributeValues(values(valuesOption));
  }

  /** {@code --expression-attribute-values}, or null. */
  static Map<String, AttributeValue> values(String option) {
    return option == null
        ? null
        : DynamoJson.attributes(
            "ExpressionAttributeValues",
            DynamoJson.parameter("--expression-attribute-values", option));
  }

  /**
   * DynamoDB's check that values come with an expression that takes values: {@code
   * ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is
   * null} (the {@link Expressions} builder cannot make it: it does not know the operation).
   *
   * @param expressions the operation's value-taking expressions, parameter name to text (null:
   *     absent), in DynamoDB's order
   */
  static void checkValuesHaveAnExpression(String valuesOption, Map<String, String> expressions) {
    if (valuesOption == null || expressions.values().stream().anyMatch(e -> e != null)) {
      return;
    }
    List<String> names = new ArrayList<>(expressions.keySet());
    throw new ValidationException(
        "ExpressionAttributeValues can only be specified when using expressions: "
            + String.join(" and ", names)
            + (names.size() > 1 ? " are" : " is")
            + " null");
  }

  /**
   * The same check for a structure of a request (a transaction's action): its members are given as
   * JSON.
   */
  static void checkValuesHaveAnExpression(JsonNode structure, String... expressions) {
    if (!structure.has("ExpressionAttributeValues")) {
      return;
    }
    Map<String, String> present = new LinkedHashMap<>();
    for (String e : expressions) {
      JsonNode n = structure.get(e);
      present.put(e, n == null || n.isNull() ? null : n.asText());
    }
    checkValuesHaveAnExpression("given", present);
  }

  static Map<String, String> names(String option) {
    if (option == null) {
      return null;
    }
    return names(
        "--expression-attribute-names",
        DynamoJson.parameter("--expression-attribute-names", option));
  }

  /** A names map ({@code {"#n": "name"}}) from JSON; {@code where} names it in errors. */
  static Map<String, String> names(String where, JsonNode n) {
    if (!n.isObject()) {
      throw DynamoArgs.invalid(where, "expected a JSON object {\"#n\": \"name\"}");
    }
    Map<String, String> names = new LinkedHashMap<>();
    n.properties()
        .forEach(
            e -> {
              if (!e.getValue().isTextual()) {
                throw DynamoArgs.invalid(
                    where, "the value of " + Excerpt.of(e.getKey()) + " must be a string");
              }
              names.put(e.getKey(), e.getValue().textValue());
            });
    return names;
  }
}
