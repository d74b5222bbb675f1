package dev.coffer.kms.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.kms.EncryptionContext;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed access to one JSON request body, with KMS's errors: a member of the wrong JSON type is a
 * {@code SerializationException}; a missing required member or a value out of range is a {@code
 * ValidationException} in KMS's wording ("1 validation error detected: Value null at 'keyId'
 * failed to satisfy constraint: Member must not be null").
 */
final class Request {
  private final JsonNode body;

  Request(JsonNode body) {
    this.body = body;
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
      throw KmsError.serialization("Expected a string for " + name + ", found " + n.getNodeType() + ".");
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
      throw KmsError.validation("1 validation error detected: Value '" + s + "' at '" + member(name)
          + "' failed to satisfy constraint: Member must have length between 1 and " + maxLength);
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
      throw KmsError.serialization("Expected an integer for " + name + ", found " + n.getNodeType() + ".");
    }
    int v = n.intValue();
    if (v < min || v > max) {
      throw KmsError.validation("1 validation error detected: Value '" + v + "' at '" + member(name)
          + "' failed to satisfy constraint: Member must have value " + (v < min ? "greater than or equal to " + min
              : "less than or equal to " + max));
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
      throw KmsError.serialization("Expected a boolean for " + name + ", found " + n.getNodeType() + ".");
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
      throw KmsError.serialization("Expected a base64 string for " + name + ", found " + n.getNodeType() + ".");
    }
    byte[] b;
    try {
      b = Base64.getDecoder().decode(n.textValue());
    } catch (IllegalArgumentException e) {
      throw KmsError.serialization("Base64 encoded blob " + name + " could not be decoded.");
    }
    if (b.length < 1 || b.length > maxBytes) {
      throw KmsError.validation("1 validation error detected: Value at '" + member(name)
          + "' failed to satisfy constraint: Member must have length between 1 and " + maxBytes);
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
      throw KmsError.serialization("Expected a map for " + name + ", found " + n.getNodeType() + ".");
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
      tags.put(tag.requiredString("TagKey", 128), tag.string("TagValue") == null ? "" : tag.string("TagValue"));
    }
    return tags;
  }

  private static KmsError missing(String name) {
    return KmsError.validation("1 validation error detected: Value null at '" + member(name)
        + "' failed to satisfy constraint: Member must not be null");
  }

  /** KMS names members in messages in lower camel case: {@code KeyId} becomes {@code keyId}. */
  private static String member(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
