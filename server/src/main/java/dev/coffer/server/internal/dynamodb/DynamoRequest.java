package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.server.internal.json.Snippets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed, checked access to one DynamoDB request body, with DynamoDB's errors: a member of the wrong
 * JSON type is a {@code SerializationException} at once ("NUMBER_VALUE cannot be converted to
 * String"); constraint violations (null, length, range, pattern, enum) are collected and thrown
 * together by {@link #validate()} as DynamoDB words them ("2 validation errors detected: Value null
 * at 'tableName' failed to satisfy constraint: Member must not be null; ..."). Members the protocol
 * does not know are ignored, as DynamoDB ignores them. Not thread-safe (one request).
 */
final class DynamoRequest {
  static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  private final JsonNode body;
  private final List<String> violations = new ArrayList<>();

  DynamoRequest(JsonNode body) {
    this.body = body;
  }

  JsonNode body() {
    return body;
  }

  /** The member, or null when absent or JSON null. */
  JsonNode member(String name) {
    JsonNode n = body.get(name);
    return n == null || n.isNull() ? null : n;
  }

  boolean has(String name) {
    return member(name) != null;
  }

  /** A required table name (DynamoDB's pattern and 3 to 255 characters). */
  String tableName(String name) {
    String s = string(name);
    if (s == null) {
      violation(null, name, "Member must not be null");
      return null;
    }
    checkTableName(s, name);
    return s;
  }

  /** An optional table name. */
  String optionalTableName(String name) {
    String s = string(name);
    if (s != null) {
      checkTableName(s, name);
    }
    return s;
  }

  private void checkTableName(String s, String name) {
    if (!TABLE_NAME.matcher(s).matches()) {
      violation(s, name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    if (s.length() < 3) {
      violation(s, name, "Member must have length greater than or equal to 3");
    }
    if (s.length() > 255) {
      violation(s, name, "Member must have length less than or equal to 255");
    }
  }

  /** An optional string member. */
  String string(String name) {
    return string(member(name), name);
  }

  static String string(JsonNode n, String name) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    if (n.isArray()) {
      throw DynamoError.serialization("Unrecognized collection type class java.lang.String");
    }
    if (!n.isTextual()) {
      throw DynamoError.serialization(typeName(n) + " cannot be converted to String");
    }
    return n.textValue();
  }

  /** An optional string member that must be one of {@code values}. */
  String enumValue(String name, List<String> values) {
    String s = string(name);
    if (s != null && !values.contains(s)) {
      violation(s, name, "Member must satisfy enum value set: [" + String.join(", ", values) + "]");
    }
    return s;
  }

  /** An optional integer member between {@code min} and {@code max}. */
  Integer integer(String name, long min, long max) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (n.isBoolean()) {
      throw DynamoError.serialization(
          (n.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE") + " cannot be converted to Integer");
    }
    if (n.isTextual()) {
      throw DynamoError.serialization("STRING_VALUE cannot be converted to Integer");
    }
    if (n.isArray()) {
      throw DynamoError.serialization("Unrecognized collection type class java.lang.Integer");
    }
    if (n.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    double d = n.doubleValue();
    long v = (long) Math.floor(d);
    if (v < min) {
      violation(Long.toString(v), name, "Member must have value greater than or equal to " + min);
      return null;
    }
    if (v > max) {
      violation(Long.toString(v), name, "Member must have value less than or equal to " + max);
      return null;
    }
    return (int) v;
  }

  /** An optional boolean member. */
  Boolean bool(String name) {
    JsonNode n = member(name);
    if (n == null) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      throw DynamoError.serialization(typeName(n) + " cannot be converted to Boolean");
    }
    if (n.isArray()) {
      throw DynamoError.serialization("Unrecognized collection type class java.lang.Boolean");
    }
    if (n.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    return switch (n.textValue().toUpperCase(java.util.Locale.ROOT)) {
      case "TRUE", "1", "YES" -> true;
      case "FALSE", "0", "NO" -> false;
      default -> throw DynamoError.serialization("Unexpected token received from parser");
    };
  }

  /** An optional JSON object member (a structure or a map). */
  JsonNode object(String name) {
    return object(member(name));
  }

  static JsonNode object(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isArray()) {
      throw DynamoError.serialization(
          "Unrecognized collection type java.util.Map<java.lang.String,"
              + " com.amazonaws.dynamodb.v20120810.AttributeValue>");
    }
    if (!n.isObject()) {
      throw DynamoError.serialization("Unexpected field type");
    }
    return n;
  }

  /** An optional JSON array member. */
  JsonNode array(String name) {
    return array(member(name));
  }

  static JsonNode array(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    if (!n.isArray()) {
      throw DynamoError.serialization("Unexpected field type");
    }
    return n;
  }

  /** An optional list of strings. */
  List<String> strings(String name) {
    JsonNode a = array(name);
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode e : a) {
      String s = string(e, name);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** Records a violation of a required member (null) at {@code path}. */
  void requireNonNull(Object value, String name) {
    if (value == null) {
      violation(null, name, "Member must not be null");
    }
  }

  /**
   * Records one constraint violation of the value at member {@code name} (a path such as {@code
   * keySchema.1.member.keyType} is written as given).
   */
  void violation(String value, String name, String constraint) {
    String shown = value == null ? "null" : "'" + Snippets.quote(value, 256) + "'";
    violations.add(
        "Value "
            + shown
            + " at '"
            + lowerFirst(name)
            + "' failed to satisfy constraint: "
            + constraint);
  }

  /** Throws the collected violations (at most 10, as DynamoDB lists them), if any. */
  void validate() {
    if (violations.isEmpty()) {
      return;
    }
    List<String> shown = violations.size() > 10 ? violations.subList(0, 10) : violations;
    throw DynamoError.validation(
        violations.size()
            + " validation error"
            + (violations.size() > 1 ? "s" : "")
            + " detected: "
            + String.join("; ", shown));
  }

  static String typeName(JsonNode n) {
    if (n.isBoolean()) {
      return n.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE";
    }
    if (n.isIntegralNumber()) {
      return "NUMBER_VALUE";
    }
    if (n.isNumber()) {
      return "DECIMAL_VALUE";
    }
    if (n.isArray()) {
      return "START_ARRAY";
    }
    if (n.isObject()) {
      return "START_OBJECT";
    }
    return "STRING_VALUE";
  }

  private static String lowerFirst(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
