package dev.coffer.cli.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import java.util.List;

/**
 * Reading the nested structures of request parameters ({@code --transact-items}, {@code
 * --request-items}) as the AWS CLI checks them before sending: the JSON type of each member,
 * unknown members and missing required ones, each a client-side error ({@link CliInputException},
 * {@code Parameter validation failed: ...}, exit code 2). Stateless.
 */
final class RequestJson {
  private RequestJson() {}

  /**
   * The structure at {@code path}, with only {@code allowed} members and every {@code required}
   * one.
   */
  static JsonNode structure(
      String path, JsonNode node, List<String> allowed, List<String> required) {
    if (node == null || !node.isObject()) {
      throw invalidType(path, node, "dict");
    }
    for (String name : (Iterable<String>) node::fieldNames) {
      if (!allowed.contains(name)) {
        throw invalid(
            "Unknown parameter in "
                + path
                + ": \""
                + Excerpt.of(name)
                + "\", must be one of: "
                + String.join(", ", allowed));
      }
    }
    for (String name : required) {
      if (!node.has(name)) {
        throw invalid("Missing required parameter in " + path + ": \"" + name + "\"");
      }
    }
    return node;
  }

  /** The list at {@code path}. */
  static JsonNode list(String path, JsonNode node) {
    if (node == null || !node.isArray()) {
      throw invalidType(path, node, "list");
    }
    return node;
  }

  /** The string member {@code name} of {@code node}, or null when absent. */
  static String string(String path, JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalidType(path + "." + name, v, "str");
    }
    return v.textValue();
  }

  /** The boolean member {@code name} of {@code node}; false when absent. */
  static boolean bool(String path, JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw invalidType(path + "." + name, v, "bool");
    }
    return v.booleanValue();
  }

  /** The one member of {@code node} among {@code choices} (a union such as a TransactWriteItem). */
  static String oneOf(String path, JsonNode node, List<String> choices, String whenNotOne) {
    if (node == null || !node.isObject()) {
      throw invalidType(path, node, "dict");
    }
    String found = null;
    for (String name : (Iterable<String>) node::fieldNames) {
      if (!choices.contains(name)) {
        throw invalid(
            "Unknown parameter in "
                + path
                + ": \""
                + Excerpt.of(name)
                + "\", must be one of: "
                + String.join(", ", choices));
      }
      if (found != null) {
        throw new ValidationException(whenNotOne);
      }
      found = name;
    }
    if (found == null) {
      throw new ValidationException(whenNotOne);
    }
    return found;
  }

  /**
   * The AWS CLI's words for a value of the wrong JSON type; {@code type} is Python's name of the
   * right one.
   */
  static CliInputException invalidType(String path, JsonNode value, String type) {
    return invalid(
        "Invalid type for parameter "
            + path
            + ", value: "
            + Excerpt.of(String.valueOf(value))
            + ", valid types: <class '"
            + type
            + "'>");
  }

  static CliInputException invalid(String reason) {
    return new CliInputException("Parameter validation failed: " + reason);
  }
}
