package dev.coffer.server.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Fuzz target: {@code coffer serve}'s request body parser ({@link StrictJson#parse}).
 *
 * <p><b>Documented exceptions:</b> {@link StrictJson.JsonSyntaxException} only, with a message in
 * the server's words; never Jackson's exceptions, a {@link NumberFormatException} or a {@link
 * StackOverflowError}. What parses nests at most {@link StrictJson#MAX_DEPTH} deep, holds no
 * unpaired surrogate, and written back as JSON parses to a tree written the same way.
 *
 * <p><b>Input:</b> the body's bytes.
 */
public class StrictJsonFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    JsonNode tree;
    try {
      tree = StrictJson.parse(input);
    } catch (StrictJson.JsonSyntaxException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("com.fasterxml");
      return;
    }
    assertThat(depth(tree)).isLessThanOrEqualTo(StrictJson.MAX_DEPTH);
    try {
      byte[] written =
          JSON.writeValueAsBytes(tree); // compared as text: 1.4E+1 reads back as the integer 14
      assertThat(new String(JSON.writeValueAsBytes(StrictJson.parse(written)), UTF_8))
          .isEqualTo(new String(written, UTF_8));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** The nesting depth (a scalar is 1), without recursion. */
  private static int depth(JsonNode root) {
    int max = 0;
    Deque<Map.Entry<JsonNode, Integer>> todo = new ArrayDeque<>();
    todo.push(Map.entry(root, 1));
    while (!todo.isEmpty()) {
      Map.Entry<JsonNode, Integer> e = todo.pop();
      max = Math.max(max, e.getValue());
      if (e.getKey().isTextual()) {
        String s = e.getKey().textValue();
        for (int i = 0; i < s.length(); i++) {
          char c = s.charAt(i);
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            i++;
          } else {
            assertThat(Character.isSurrogate(c)).as("unpaired surrogate in " + s).isFalse();
          }
        }
      }
      for (Iterator<JsonNode> it = e.getKey().elements(); it.hasNext(); ) {
        todo.push(Map.entry(it.next(), e.getValue() + 1));
      }
    }
    return max;
  }
}
