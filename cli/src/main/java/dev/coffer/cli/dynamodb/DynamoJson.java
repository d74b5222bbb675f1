package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.input.UserJson;
import dev.coffer.cli.output.AwsJson;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB JSON ({@code {"S": "alice"}}, {@code {"N": "42"}}, {@code {"M": {...}}}, ...) to and
 * from the engine's {@link AttributeValue}, {@link Item} and {@link Key}. A malformed shape is a
 * client-side error ({@link CliInputException}, "Parameter validation failed"), as in the AWS CLI;
 * values the service would reject (a bad number, an empty set, a key that does not match the
 * schema) raise the engine's {@link ValidationException}. Stateless.
 */
public final class DynamoJson {
  private static final String TYPES = "S, N, B, SS, NS, BS, M, L, NULL, BOOL";

  private DynamoJson() {}

  /**
   * Reads a JSON parameter (its text, or the text of {@code file://PATH}) strictly ({@link
   * UserJson}).
   *
   * @throws CliInputException when the text is not one strict JSON value
   */
  public static JsonNode parameter(String option, String value) {
    return UserJson.parameter(option, value);
  }

  /** An attribute map ({@code {"name": {"S": "v"}, ...}}); {@code path} names it in errors. */
  public static Map<String, AttributeValue> attributes(String path, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw invalidType(path, node, "dict");
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), value(path + "." + Excerpt.of(e.getKey()), e.getValue()));
    }
    return out;
  }

  /** An item from its attribute map. */
  public static Item item(String path, JsonNode node) {
    return Item.of(attributes(path, node));
  }

  /**
   * A primary key from its attribute map, checked against {@code schema} as DynamoDB does.
   *
   * @throws ValidationException when attributes are missing, extra or of the wrong type
   */
  public static Key key(String path, JsonNode node, KeySchema schema) {
    Map<String, AttributeValue> attrs = attributes(path, node);
    int expected = schema.hasSortKey() ? 2 : 1;
    AttributeValue pk = attrs.get(schema.partitionKeyName());
    AttributeValue sk = schema.hasSortKey() ? attrs.get(schema.sortKeyName()) : null;
    if (attrs.size() != expected
        || pk == null
        || (schema.hasSortKey() && sk == null)
        || pk.type() != schema.partitionKeyType()
        || (sk != null && sk.type() != schema.sortKeyType())) {
      throw new ValidationException("The provided key element does not match the schema");
    }
    return sk == null ? Key.of(pk) : Key.of(pk, sk);
  }

  /** One attribute value: an object with exactly one type field. */
  public static AttributeValue value(String path, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw invalidType(path, node, "dict");
    }
    if (node.size() != 1) {
      throw invalid(
          "Invalid length for parameter "
              + path
              + ": an attribute value has exactly one of "
              + TYPES);
    }
    Map.Entry<String, JsonNode> e = node.properties().iterator().next();
    String type = e.getKey();
    JsonNode v = e.getValue();
    String at = path + "." + Excerpt.of(type);
    switch (type) {
      case "S":
        return AttributeValue.s(text(at, v));
      case "N":
        return AttributeValue.n(text(at, v));
      case "B":
        return AttributeValue.b(binary(at, v));
      case "BOOL":
        if (!v.isBoolean()) {
          throw invalidType(at, v, "bool");
        }
        return AttributeValue.bool(v.booleanValue());
      case "NULL":
        if (!v.isBoolean() || !v.booleanValue()) {
          throw invalid(
              "Invalid value for parameter "
                  + at
                  + ", value: "
                  + Excerpt.of(v.toString())
                  + ": must be true");
        }
        return AttributeValue.nul();
      case "SS":
        return AttributeValue.ss(texts(at, v));
      case "NS":
        return AttributeValue.ns(texts(at, v));
      case "BS":
        {
          List<byte[]> out = new ArrayList<>();
          for (JsonNode b : array(at, v)) {
            out.add(binary(at, b));
          }
          return AttributeValue.bs(out);
        }
      case "L":
        {
          List<AttributeValue> out = new ArrayList<>();
          int i = 0;
          for (JsonNode element : array(at, v)) {
            out.add(value(at + "[" + i++ + "]", element));
          }
          return AttributeValue.l(out);
        }
      case "M":
        return AttributeValue.m(attributes(at, v));
      default:
        throw invalid(
            "Unknown parameter in "
                + path
                + ": \""
                + Excerpt.of(type)
                + "\", must be one of: "
                + TYPES);
    }
  }

  /** DynamoDB JSON of an attribute map, in the item's order. */
  public static ObjectNode json(Map<String, AttributeValue> attributes) {
    ObjectNode out = AwsJson.object();
    attributes.forEach((name, v) -> out.set(name, json(v)));
    return out;
  }

  /** DynamoDB JSON of an item. */
  public static ObjectNode json(Item item) {
    return json(item.attributes());
  }

  /** DynamoDB JSON of a key, with the schema's attribute names. */
  public static ObjectNode json(Key key, KeySchema schema) {
    ObjectNode out = AwsJson.object();
    out.set(schema.partitionKeyName(), json(key.partition()));
    if (key.sort() != null) {
      out.set(schema.sortKeyName(), json(key.sort()));
    }
    return out;
  }

  /** DynamoDB JSON of one value; binaries in base64, as the AWS CLI prints them. */
  public static ObjectNode json(AttributeValue v) {
    ObjectNode out = AwsJson.object();
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

  private static String text(String path, JsonNode v) {
    if (!v.isTextual()) {
      throw invalidType(path, v, "str");
    }
    return v.textValue();
  }

  private static byte[] binary(String path, JsonNode v) {
    try {
      return Base64.getDecoder().decode(text(path, v));
    } catch (IllegalArgumentException e) {
      throw invalid("Invalid base64 for parameter " + path + ": " + Excerpt.of(v.toString()));
    }
  }

  private static List<String> texts(String path, JsonNode v) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : array(path, v)) {
      out.add(text(path, e));
    }
    return out;
  }

  private static JsonNode array(String path, JsonNode v) {
    if (!v.isArray()) {
      throw invalidType(path, v, "list");
    }
    return v;
  }

  /**
   * The AWS CLI's words for a value of the wrong JSON type; {@code type} is Python's name of the
   * right one.
   */
  private static CliInputException invalidType(String path, JsonNode value, String type) {
    return invalid(
        "Invalid type for parameter "
            + path
            + ", value: "
            + Excerpt.of(String.valueOf(value))
            + ", valid types: <class '"
            + type
            + "'>");
  }

  private static CliInputException invalid(String reason) {
    return new CliInputException("Parameter validation failed: " + reason);
  }
}
