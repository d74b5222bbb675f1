package dev.coffer.server.internal.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's JSON form of attribute values ({@code {"S": "alice"}}, {@code {"N": "42"}}, {@code
 * {"B": "<base64>"}}, {@code {"M": {...}}}, ...) to and from the engine's {@link AttributeValue},
 * {@link Item} and {@link Key}, with DynamoDB's errors: a value of the wrong JSON type is a {@code
 * SerializationException}; an attribute value with no type or two types, a NULL that is not true,
 * or a key that does not match the schema is a {@code ValidationException}; numbers and sets are
 * checked by the engine ({@code ValidationException} with its wording). Stateless.
 */
final class AttributeJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AttributeJson() {}

  /** An attribute map ({@code {"name": {"S": "v"}, ...}}); null for null. */
  static Map<String, AttributeValue> attributes(JsonNode node) {
    JsonNode o = DynamoRequest.object(node);
    if (o == null) {
      return null;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      out.put(e.getKey(), value(e.getValue()));
    }
    return out;
  }

  /** An item from its attribute map; attribute names must not be empty. */
  static Item item(JsonNode node) {
    Map<String, AttributeValue> attrs = attributes(node);
    for (String name : attrs.keySet()) {
      if (name.isEmpty()) {
        throw DynamoError.validation(
            "One or more parameter values were invalid: An attribute name may not be empty");
      }
    }
    return Item.of(attrs);
  }

  /**
   * A primary key from its attribute map, checked against {@code schema} as DynamoDB checks it.
   *
   * @throws DynamoError a ValidationException when attributes are missing, extra or mistyped
   */
  static Key key(JsonNode node, KeySchema schema) {
    Map<String, AttributeValue> attrs = attributes(node);
    int expected = schema.hasSortKey() ? 2 : 1;
    AttributeValue pk = attrs.get(schema.partitionKeyName());
    AttributeValue sk = schema.hasSortKey() ? attrs.get(schema.sortKeyName()) : null;
    if (attrs.size() != expected
        || pk == null
        || (schema.hasSortKey() && sk == null)
        || pk.type() != schema.partitionKeyType()
        || (sk != null && sk.type() != schema.sortKeyType())) {
      throw DynamoError.validation("The provided key element does not match the schema");
    }
    checkKeyValue(pk);
    if (sk != null) {
      checkKeyValue(sk);
    }
    return sk == null ? Key.of(pk) : Key.of(pk, sk);
  }

  private static void checkKeyValue(AttributeValue v) {
    boolean empty =
        switch (v.type()) {
          case S -> v.s().isEmpty();
          case B -> v.b().length == 0;
          default -> false;
        };
    if (empty) {
      throw DynamoError.validation(
          "One or more parameter values are not valid. The AttributeValue for a key"
              + " attribute cannot contain an empty string value.");
    }
  }

  /** One attribute value: an object with exactly one type member. */
  static AttributeValue value(JsonNode node) {
    if (node == null || node.isNull()) {
      throw DynamoError.validation(
          "Supplied AttributeValue is empty, must contain exactly one of the supported"
              + " datatypes");
    }
    if (node.isArray()) {
      throw DynamoError.serialization(
          "Unrecognized collection type class com.amazonaws.dynamodb.v20120810"
              + ".AttributeValue");
    }
    if (!node.isObject()) {
      throw DynamoError.serialization("Unexpected value type in payload");
    }
    String type = null;
    JsonNode v = null;
    int types = 0;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isNull() || !isType(e.getKey())) {
        continue; // DynamoDB ignores unknown and null members
      }
      types++;
      type = e.getKey();
      v = e.getValue();
    }
    if (types == 0) {
      throw DynamoError.validation(
          "Supplied AttributeValue is empty, must contain exactly one of the supported"
              + " datatypes");
    }
    if (types > 1) {
      throw DynamoError.validation(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly"
              + " one of the supported datatypes");
    }
    switch (type) {
      case "S":
        return AttributeValue.s(DynamoRequest.string(v, "S"));
      case "N":
        return AttributeValue.n(DynamoRequest.string(v, "N"));
      case "B":
        return AttributeValue.b(blob(v));
      case "BOOL":
        return AttributeValue.bool(bool(v));
      case "NULL":
        if (!bool(v)) {
          throw DynamoError.validation(
              "One or more parameter values were invalid: Null attribute value types must"
                  + " have the value of true");
        }
        return AttributeValue.nul();
      case "SS":
        return AttributeValue.ss(strings(v));
      case "NS":
        return AttributeValue.ns(strings(v));
      case "BS":
        {
          List<byte[]> out = new ArrayList<>();
          for (JsonNode b : DynamoRequest.array(v)) {
            out.add(blob(b));
          }
          return AttributeValue.bs(out);
        }
      case "L":
        {
          List<AttributeValue> out = new ArrayList<>();
          for (JsonNode e : DynamoRequest.array(v)) {
            out.add(value(e));
          }
          return AttributeValue.l(out);
        }
      case "M":
        return AttributeValue.m(attributes(v));
      default:
        throw new AssertionError(type);
    }
  }

  private static boolean isType(String name) {
    return switch (name) {
      case "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M" -> true;
      default -> false;
    };
  }

  private static boolean bool(JsonNode v) {
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      switch (v.textValue().toUpperCase(java.util.Locale.ROOT)) {
        case "TRUE", "1", "YES":
          return true;
        case "FALSE", "0", "NO":
          return false;
        default:
          throw DynamoError.serialization("Unexpected token received from parser");
      }
    }
    if (v.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    if (v.isArray()) {
      throw DynamoError.serialization("Unrecognized collection type class java.lang.Boolean");
    }
    throw DynamoError.serialization(DynamoRequest.typeName(v) + " cannot be converted to Boolean");
  }

  private static List<String> strings(JsonNode v) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : DynamoRequest.array(v)) {
      String s = DynamoRequest.string(e, "member");
      if (s == null) {
        throw DynamoError.validation("Supplied AttributeValue has a null member in a set");
      }
      out.add(s);
    }
    return out;
  }

  private static byte[] blob(JsonNode v) {
    if (v.isObject()) {
      throw DynamoError.serialization("Start of structure or map found where not expected");
    }
    if (v.isArray()) {
      throw DynamoError.serialization("Unrecognized collection type class java.nio.ByteBuffer");
    }
    if (!v.isTextual()) {
      throw DynamoError.serialization("only base-64-encoded strings are convertible to bytes");
    }
    String s = v.textValue();
    if (s.length() % 4 != 0) {
      throw DynamoError.serialization(
          "Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw DynamoError.serialization("Invalid last non-pad Base64 character dectected");
    }
  }

  /** DynamoDB JSON of an attribute map, in the item's order. */
  static ObjectNode json(Map<String, AttributeValue> attributes) {
    ObjectNode out = NODES.objectNode();
    attributes.forEach((name, v) -> out.set(name, json(v)));
    return out;
  }

  static ObjectNode json(Item item) {
    return json(item.attributes());
  }

  /** DynamoDB JSON of a key, with the schema's attribute names. */
  static ObjectNode json(Key key, KeySchema schema) {
    ObjectNode out = NODES.objectNode();
    out.set(schema.partitionKeyName(), json(key.partition()));
    if (key.sort() != null) {
      out.set(schema.sortKeyName(), json(key.sort()));
    }
    return out;
  }

  /** DynamoDB JSON of one value. */
  static ObjectNode json(AttributeValue v) {
    ObjectNode out = NODES.objectNode();
    Base64.Encoder b64 = Base64.getEncoder();
    switch (v.type()) {
      case S -> out.put("S", v.s());
      case N -> out.put("N", v.n());
      case B -> out.put("B", b64.encodeToString(v.b()));
      case BOOL -> out.put("BOOL", v.bool());
      case NULL -> out.put("NULL", true);
      case SS -> v.ss().forEach(out.putArray("SS")::add);
      case NS -> v.ns().forEach(out.putArray("NS")::add);
      case BS -> {
        ArrayNode a = out.putArray("BS");
        v.bs().forEach(b -> a.add(b64.encodeToString(b)));
      }
      case L -> {
        ArrayNode a = out.putArray("L");
        v.l().forEach(e -> a.add(json(e)));
      }
      case M -> out.set("M", json(v.m()));
      default -> throw new AssertionError(v.type());
    }
    return out;
  }
}
