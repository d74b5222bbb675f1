package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ExpressionAttributeNames} ({@code #n}) and {@code ExpressionAttributeValues} ({@code
 * :v}) of one request. Resolves placeholders and, as DynamoDB does, rejects a placeholder that is
 * not defined and a definition that no expression used. Not thread-safe (one request).
 */
final class ExpressionAttributes {
  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final Set<String> usedNames = new LinkedHashSet<>();
  private final Set<String> usedValues = new LinkedHashSet<>();

  ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
    this.names = Map.copyOf(names);
    this.values = Map.copyOf(values);
  }

  /** None. */
  static ExpressionAttributes none() {
    return new ExpressionAttributes(Map.of(), Map.of());
  }

  /** From the command's JSON options; either may be null. */
  static ExpressionAttributes of(String namesOption, String valuesOption) {
    Map<String, String> names = new LinkedHashMap<>();
    if (namesOption != null) {
      JsonNode n = DynamoJson.parameter("--expression-attribute-names", namesOption);
      if (!n.isObject()) {
        throw DynamoArgs.invalid("--expression-attribute-names", "expected a JSON object {\"#n\": \"name\"}");
      }
      n.fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual()) {
          throw DynamoArgs.invalid("--expression-attribute-names", "the value of " + e.getKey() + " must be a string");
        }
        names.put(e.getKey(), e.getValue().textValue());
      });
    }
    Map<String, AttributeValue> values = valuesOption == null
        ? Map.of()
        : DynamoJson.attributes("ExpressionAttributeValues",
            DynamoJson.parameter("--expression-attribute-values", valuesOption));
    for (String k : names.keySet()) {
      if (!k.startsWith("#")) {
        throw new ValidationException("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k + "\"");
      }
    }
    for (String k : values.keySet()) {
      if (!k.startsWith(":")) {
        throw new ValidationException("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k + "\"");
      }
    }
    return new ExpressionAttributes(names, values);
  }

  /** The attribute name of {@code token}: itself, or the definition of a {@code #placeholder}. */
  String name(String token) {
    if (!token.startsWith("#")) {
      return token;
    }
    String n = names.get(token);
    if (n == null) {
      throw new ValidationException("Value provided in ExpressionAttributeNames unused in expressions or an"
          + " expression attribute name was used but not defined: An expression attribute name used in the"
          + " document path is not defined; attribute name: " + token);
    }
    usedNames.add(token);
    return n;
  }

  /** The value of a {@code :placeholder}. */
  AttributeValue value(String token) {
    AttributeValue v = values.get(token);
    if (v == null) {
      throw new ValidationException("Invalid KeyConditionExpression: An expression attribute value used in"
          + " expression is not defined; attribute value: " + token);
    }
    usedValues.add(token);
    return v;
  }

  /** Fails when a defined name or value was used by no expression. */
  void checkAllUsed() {
    Set<String> unusedNames = new LinkedHashSet<>(names.keySet());
    unusedNames.removeAll(usedNames);
    if (!unusedNames.isEmpty()) {
      throw new ValidationException("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
          + String.join(", ", unusedNames) + "}");
    }
    Set<String> unusedValues = new LinkedHashSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw new ValidationException("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
          + String.join(", ", unusedValues) + "}");
    }
  }
}
