package dev.coffer.server.internal.kms;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.coffer.kms.EncryptionContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to one JSON request body, with KMS's errors: a member of the wrong JSON type is a
 * {@code SerializationException}; a missing required member or a value out of range is a {@code
 * ValidationException} in KMS's wording ("1 validation error detected: Value null at 'keyId' failed
 * to satisfy constraint: Member must not be null").
 */
final class Request {
  /**
   * The request reader: a duplicated member or anything after the top-level value is an error,
   * never "the last one wins" or ignored.
   */
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final JsonNode body;

  Request(JsonNode body) {
    this.body = body;
  }

  /**
   * Parses a request body: empty means {@code {}}; anything but one JSON object, a duplicated
   * member or trailing data is a {@code SerializationException} whose message names the problem
   * without the JSON library's wording.
   */
  static Request parse(byte[] body) {
    if (body.length == 0) {
      return new Request(Shapes.object());
    }
    JsonNode n;
    try {
      n = STRICT.readTree(body);
    } catch (StreamReadException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.startsWith("Duplicate field")) {
        throw KmsError.serialization("The request body has a duplicated member" + quoted(m) + ".");
      }
      if (m.contains("Trailing token")) {
        throw KmsError.serialization("The request body has data after its JSON object.");
      }
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw KmsError.serialization(
          "The request body is not valid JSON" + (at < 0 ? "." : " (at byte " + at + ")."));
    } catch (MismatchedInputException e) {
      throw KmsError.serialization("The request body has data after its JSON object.");
    } catch (IOException e) {
      throw KmsError.serialization("The request body is not valid JSON.");
    }
    if (n == null || n.isMissingNode()) {
      return new Request(Shapes.object());
    }
    if (!n.isObject()) {
      throw KmsError.serialization(
          "Start of structure or map found where not expected: the request must be a JSON object.");
    }
    return new Request(n);
  }

  /**
   * The member name in a duplicate-member message ({@code Duplicate field 'X'}), quoted, or
   * nothing.
   */
  private static String quoted(String message) {
    int a = message.indexOf('\'');
    int b = a < 0 ? -1 : message.indexOf('\'', a + 1);
    if (b < 0 || b - a > 130) {
      return "";
    }
    return " " + message.substring(a, b + 1);
  }

  /** Whether the member is present and not null. */
  boolean has(String name) {
    JsonNode n = body.get(name);
    return n != null && !n.isNull();
  }

  /** An optional string member, or null. */
  String string(String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw KmsError.serialization(
          "Expected a string for " + name + ", found " + n.getNodeType() + ".");
    }
    return n.textValue();
  }

  /** A required string member, 1 to {@code maxLength} characters. */
  String requiredString(String name, int maxLength) {
    String s = string(name);
    if (s == null) {
      throw missing(name);
    }
    if (s.isEmpty() || s.length() > maxLength) {
      throw KmsError.validation(
          "1 validation error detected: Value '"
              + s
              + "' at '"
              + member(name)
              + "' failed to satisfy constraint: Member must have length between 1 and "
              + maxLength);
    }
    return s;
  }

  /** An optional integer member, or null; must be between {@code min} and {@code max}. */
  Integer integer(String name, int min, int max) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw KmsError.serialization(
          "Expected an integer for " + name + ", found " + n.getNodeType() + ".");
    }
    int v = n.intValue();
    if (v < min || v > max) {
      throw KmsError.validation(
          "1 validation error detected: Value '"
              + v
              + "' at '"
              + member(name)
              + "' failed to satisfy constraint: Member must have value "
              + (v < min ? "greater than or equal to " + min : "less than or equal to " + max));
    }
    return v;
  }

  /** An optional boolean member, or null. */
  Boolean bool(String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw KmsError.serialization(
          "Expected a boolean for " + name + ", found " + n.getNodeType() + ".");
    }
    return n.booleanValue();
  }

  /** A required base64 blob, 1 to {@code maxBytes} bytes after decoding. The caller wipes it. */
  byte[] requiredBlob(String name, int maxBytes) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      throw missing(name);
    }
    if (!n.isTextual()) {
      throw KmsError.serialization(
          "Expected a base64 string for " + name + ", found " + n.getNodeType() + ".");
    }
    byte[] b;
    try {
      b = Base64.getDecoder().decode(n.textValue());
    } catch (IllegalArgumentException e) {
      throw KmsError.serialization("Base64 encoded blob " + name + " could not be decoded.");
    }
    if (b.length < 1 || b.length > maxBytes) {
      throw KmsError.validation(
          "1 validation error detected: Value at '"
              + member(name)
              + "' failed to satisfy constraint: Member must have length between 1 and "
              + maxBytes);
    }
    return b;
  }

  /** An optional encryption context map (string to string); empty when absent. */
  EncryptionContext context(String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return EncryptionContext.empty();
    }
    if (!n.isObject()) {
      throw KmsError.serialization(
          "Expected a map for " + name + ", found " + n.getNodeType() + ".");
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!e.getValue().isTextual()) {
        throw KmsError.serialization("Expected string values in " + name + ".");
      }
      if (e.getKey().isEmpty()) {
        throw KmsError.validation("Encryption context keys must not be empty.");
      }
      pairs.put(e.getKey(), e.getValue().textValue());
    }
    return EncryptionContext.of(pairs);
  }

  /** An optional list of {@code {TagKey, TagValue}} objects, as a map. */
  Map<String, String> tags(String name) {
    JsonNode n = body.get(name);
    Map<String, String> tags = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return tags;
    }
    if (!n.isArray()) {
      throw KmsError.serialization("Expected a list for " + name + ".");
    }
    for (JsonNode t : n) {
      Request tag = new Request(t);
      if (!t.isObject()) {
        throw KmsError.serialization("Expected a structure in " + name + ".");
      }
      tags.put(
          tag.requiredString("TagKey", 128),
          tag.string("TagValue") == null ? "" : tag.string("TagValue"));
    }
    return tags;
  }

  /**
   * A required list of strings, 1 to {@code maxItems} long (each 1 to {@code maxLength}
   * characters).
   */
  List<String> requiredStrings(String name, int maxItems, int maxLength) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      throw missing(name);
    }
    if (!n.isArray()) {
      throw KmsError.serialization(
          "Expected a list for " + name + ", found " + n.getNodeType() + ".");
    }
    if (n.isEmpty() || n.size() > maxItems) {
      throw KmsError.validation(
          "1 validation error detected: Value at '"
              + member(name)
              + "' failed to satisfy constraint: Member must have length between 1 and "
              + maxItems);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw KmsError.serialization("Expected strings in " + name + ".");
      }
      if (e.textValue().isEmpty() || e.textValue().length() > maxLength) {
        throw KmsError.validation(
            "1 validation error detected: Value at '"
                + member(name)
                + ".member' failed to satisfy constraint: Member must have length between 1 and "
                + maxLength);
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static KmsError missing(String name) {
    return KmsError.validation(
        "1 validation error detected: Value null at '"
            + member(name)
            + "' failed to satisfy constraint: Member must not be null");
  }

  /** KMS names members in messages in lower camel case: {@code KeyId} becomes {@code keyId}. */
  private static String member(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
