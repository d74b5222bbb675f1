package dev.coffer.server.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a JSON tree to UTF-8 bytes with Jackson's streaming generator, walking the tree itself:
 * the same bytes {@code ObjectMapper.writeValueAsBytes} writes for a tree of plain nodes (objects,
 * arrays, strings, numbers, booleans, nulls, binaries: what the server builds), without creating a
 * serializer provider and looking serializers up per call. Stateless and thread-safe.
 */
public final class JsonBytes {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private JsonBytes() {}

  /** The UTF-8 JSON text of {@code tree}. */
  public static byte[] of(JsonNode tree) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        write(g, tree);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a JSON tree", e); // not from memory
    }
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode e : n) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case DOUBLE -> g.writeNumber(n.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL -> g.writeNull();
      case BINARY -> g.writeBinary(n.binaryValue());
      default -> throw new IllegalArgumentException("not a plain JSON node: " + n.getNodeType());
    }
  }
}
