package dev.coffer.server.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link JsonBytes} writes the bytes {@code ObjectMapper.writeValueAsBytes} writes, for random
 * trees of every plain node type (nested objects and arrays, strings with escapes and non-ASCII
 * characters, each kind of number, booleans, nulls, binaries).
 */
class JsonBytesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property(tries = 500)
  void writesWhatTheObjectMapperWrites(@ForAll long seed, @ForAll @IntRange(max = 4) int depth)
      throws Exception {
    JsonNode tree = tree(new SplittableRandom(seed), depth);
    assertThat(new String(JsonBytes.of(tree), StandardCharsets.UTF_8))
        .isEqualTo(new String(MAPPER.writeValueAsBytes(tree), StandardCharsets.UTF_8));
  }

  private static JsonNode tree(SplittableRandom r, int depth) {
    int kind = r.nextInt(depth == 0 ? 10 : 12);
    return switch (kind) {
      case 0 -> NODES.textNode(text(r));
      case 1 -> NODES.numberNode(r.nextInt());
      case 2 -> NODES.numberNode(r.nextLong());
      case 3 -> NODES.numberNode(BigInteger.valueOf(r.nextLong()).shiftLeft(70));
      case 4 -> NODES.numberNode(r.nextDouble() * 1e6);
      case 5 -> NODES.numberNode((float) r.nextDouble());
      case 6 ->
          NODES.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(-5, 20)));
      case 7 -> NODES.booleanNode(r.nextBoolean());
      case 8 -> NODES.nullNode();
      case 9 -> NODES.binaryNode(text(r).getBytes(StandardCharsets.UTF_8));
      case 10 -> {
        ObjectNode o = NODES.objectNode();
        for (int i = r.nextInt(5); i > 0; i--) {
          o.set(text(r), tree(r, depth - 1));
        }
        yield o;
      }
      default -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = r.nextInt(5); i > 0; i--) {
          a.add(tree(r, depth - 1));
        }
        yield a;
      }
    };
  }

  private static String text(SplittableRandom r) {
    String alphabet = "ab\"\\/\n\t\u0001é€😀<>&'";
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(8); i > 0; i--) {
      int at = r.nextInt(alphabet.length());
      char c = alphabet.charAt(at);
      if (Character.isHighSurrogate(c)) {
        sb.append(c).append(alphabet.charAt(at + 1));
      } else if (!Character.isLowSurrogate(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
