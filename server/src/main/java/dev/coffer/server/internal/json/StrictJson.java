package dev.coffer.server.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Parses a request body into a JSON tree, strictly: exactly one JSON value (data after it is an
 * error), no member twice in one object, nesting at most {@link #MAX_DEPTH} deep, no unpaired
 * UTF-16 surrogate in a string. Every failure is a {@link JsonSyntaxException} whose message says
 * what is wrong and where, in the server's own words (never a library's). Stateless and
 * thread-safe.
 */
public final class StrictJson {
  /** The deepest nesting accepted (DynamoDB items nest 32 levels, two JSON levels each). */
  public static final int MAX_DEPTH = 128;

  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrictJson() {}

  /** A body that is not the JSON the protocol needs; the message is safe to show to the client. */
  public static final class JsonSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JsonSyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The tree of {@code body}.
   *
   * @throws JsonSyntaxException when the body is not exactly one well-formed JSON value
   */
  public static JsonNode parse(byte[] body) {
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new JsonSyntaxException("The request body is empty.");
      }
      JsonNode root = value(p, first, 1);
      JsonToken after;
      try {
        after = p.nextToken();
      } catch (JsonProcessingException e) {
        throw new JsonSyntaxException(
            "Unexpected data after the end of the JSON value" + at(p.currentLocation()) + ".");
      }
      if (after != null) {
        throw new JsonSyntaxException(
            "Unexpected data after the end of the JSON value" + at(p.currentTokenLocation()) + ".");
      }
      return root;
    } catch (JsonSyntaxException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new JsonSyntaxException(
          "The request body is not valid JSON" + at(e.getLocation()) + ".");
    } catch (IOException e) {
      throw new JsonSyntaxException("The request body could not be read as JSON.");
    }
  }

  private static JsonNode value(JsonParser p, JsonToken t, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new JsonSyntaxException(
          "The request body nests JSON deeper than " + MAX_DEPTH + " levels.");
    }
    switch (t) {
      case START_OBJECT:
        {
          ObjectNode o = NODES.objectNode();
          for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
            String name = p.currentName();
            checkString(name, p);
            JsonNode v = value(p, p.nextToken(), depth + 1);
            if (o.putIfAbsent(name, v) != null) {
              throw new JsonSyntaxException(
                  "The member \""
                      + Snippets.quote(name, 64)
                      + "\" appears more than once in one JSON object"
                      + at(p.currentTokenLocation())
                      + ".");
            }
          }
          return o;
        }
      case START_ARRAY:
        {
          ArrayNode a = NODES.arrayNode();
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            a.add(value(p, e, depth + 1));
          }
          return a;
        }
      case VALUE_STRING:
        {
          String s = p.getText();
          checkString(s, p);
          return NODES.textNode(s);
        }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return number(p, t);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new JsonSyntaxException(
            "The request body is not valid JSON" + at(p.currentTokenLocation()) + ".");
    }
  }

  /**
   * A number token as a node. Jackson refuses some numbers only when they are converted, with a
   * {@link NumberFormatException} (an exponent beyond an int, such as {@code 1E-4456786789}): that
   * is a body error too, not a server failure.
   */
  private static JsonNode number(JsonParser p, JsonToken t) throws IOException {
    try {
      if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        return NODES.numberNode(p.getDecimalValue());
      }
      return switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
    } catch (NumberFormatException e) {
      throw new JsonSyntaxException(
          "The request body holds a number that cannot be read"
              + at(p.currentTokenLocation())
              + ".");
    }
  }

  private static void checkString(String s, JsonParser p) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new JsonSyntaxException(
            "A string in the request body contains an unpaired UTF-16 surrogate"
                + at(p.currentTokenLocation())
                + ".");
      }
    }
  }

  private static String at(JsonLocation l) {
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return " at line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
