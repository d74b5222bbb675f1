package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import java.util.Iterator;
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

  private ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
    this.names = names;
    this.values = values;
  }

  /** Those of {@code request}; either may be absent. */
  static ExpressionAttributes of(DynamoRequest request) {
    Map<String, String> names = new LinkedHashMap<>();
    JsonNode n = request.object("ExpressionAttributeNames");
    if (n != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String v = DynamoRequest.string(e.getValue(), "ExpressionAttributeNames");
        if (!e.getKey().startsWith("#") || e.getKey().length() < 2) {
          throw DynamoError.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \""
              + e.getKey() + "\"");
        }
        if (v == null || v.isEmpty()) {
          throw DynamoError.validation("ExpressionAttributeNames contains invalid value: Empty attribute name"
              + " for key " + e.getKey());
        }
        names.put(e.getKey(), v);
      }
    }
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    JsonNode v = request.object("ExpressionAttributeValues");
    if (v != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().startsWith(":") || e.getKey().length() < 2) {
          throw DynamoError.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \""
              + e.getKey() + "\"");
        }
        values.put(e.getKey(), AttributeJson.value(e.getValue()));
      }
    }
    return new ExpressionAttributes(names, values);
  }

  boolean hasNames() {
    return !names.isEmpty();
  }

  boolean hasValues() {
    return !values.isEmpty();
  }

  /** The attribute name of {@code token}: itself, or the definition of a {@code #placeholder}. */
  String name(String token) {
    if (!token.startsWith("#")) {
      return token;
    }
    String n = names.get(token);
    if (n == null) {
      throw DynamoError.validation("Value provided in ExpressionAttributeNames unused in expressions or an"
          + " expression attribute name was used but not defined: An expression attribute name used in the"
          + " document path is not defined; attribute name: " + token);
    }
    usedNames.add(token);
    return n;
  }

  /** The value of a {@code :placeholder}; {@code kind} names the expression in the error. */
  AttributeValue value(String token, String kind) {
    AttributeValue v = values.get(token);
    if (v == null) {
      throw DynamoError.validation("Invalid " + kind + ": An expression attribute value used in expression is not"
          + " defined; attribute value: " + token);
    }
    usedValues.add(token);
    return v;
  }

  /** Fails when a defined name or value was used by no expression. */
  void checkAllUsed() {
    Set<String> unusedNames = new LinkedHashSet<>(names.keySet());
    unusedNames.removeAll(usedNames);
    if (!unusedNames.isEmpty()) {
      throw DynamoError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
          + String.join(", ", unusedNames) + "}");
    }
    Set<String> unusedValues = new LinkedHashSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw DynamoError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
          + String.join(", ", unusedValues) + "}");
    }
  }
}
