package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.AttributeValue;
import dev.coffer.server.internal.json.Snippets;
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
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String v = DynamoRequest.string(e.getValue(), "ExpressionAttributeNames");
        if (!e.getKey().startsWith("#") || e.getKey().length() < 2) {
          throw DynamoError.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \""
              + Snippets.quote(e.getKey(), 256) + "\"");
        }
        if (v == null || v.isEmpty()) {
          throw DynamoError.validation("ExpressionAttributeNames contains invalid value: Empty attribute name"
              + " for key " + Snippets.quote(e.getKey(), 256));
        }
        names.put(e.getKey(), v);
      }
    }
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    JsonNode v = request.object("ExpressionAttributeValues");
    if (v != null) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!e.getKey().startsWith(":") || e.getKey().length() < 2) {
          throw DynamoError.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \""
              + Snippets.quote(e.getKey(), 256) + "\"");
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
          + " document path is not defined; attribute name: " + Snippets.quote(token, 256));
    }
    usedNames.add(token);
    return n;
  }

  /** The value of a {@code :placeholder}; {@code kind} names the expression in the error. */
  AttributeValue value(String token, String kind) {
    AttributeValue v = values.get(token);
    if (v == null) {
      throw DynamoError.validation("Invalid " + kind + ": An expression attribute value used in expression is not"
          + " defined; attribute value: " + Snippets.quote(token, 256));
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
          + Snippets.quote(String.join(", ", unusedNames), 512) + "}");
    }
    Set<String> unusedValues = new LinkedHashSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw DynamoError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
          + Snippets.quote(String.join(", ", unusedValues), 512) + "}");
    }
  }
}
