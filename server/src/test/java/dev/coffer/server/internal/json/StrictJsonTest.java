package dev.coffer.server.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The strict request parser: agrees with Jackson on well-formed JSON, refuses the rest cleanly. */
class StrictJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .ofMaxLength(20)
                .filter(StrictJsonTest::wellFormed)
                .map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.just(null));
    return Arbitraries.recursive(
        () -> leaf,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6), inner)
                    .ofMaxSize(4)
                    .map(m -> (Object) m)),
        4);
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 300)
  void wellFormedJsonParsesAsJacksonReadsIt(@ForAll("values") Object value) throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(value);
    assertThat(StrictJson.parse(bytes)).isEqualTo(JSON.readTree(bytes));
  }

  @Property(tries = 500)
  void anyBytesEitherParseOrFailWithTheServersOwnMessage(@ForAll byte[] bytes) {
    try {
      JsonNode n = StrictJson.parse(bytes);
      assertThat(n).isNotNull();
    } catch (StrictJson.JsonSyntaxException e) {
      assertThat(e.getMessage())
          .doesNotContainIgnoringCase("jackson")
          .doesNotContain("com.fasterxml");
    }
  }

  @Property(tries = 200)
  void trailingDataIsRefused(@ForAll("values") Object value) throws Exception {
    byte[] bytes = (JSON.writeValueAsString(value) + " {}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> StrictJson.parse(bytes))
        .isInstanceOf(StrictJson.JsonSyntaxException.class)
        .hasMessageContaining("Unexpected data after the end of the JSON value");
  }

  @Test
  void duplicateMembersDeepNestingAndLoneSurrogatesAreRefused() {
    for (Map.Entry<String, String> c :
        Map.of(
                "{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}",
                "\"c\" appears more than once",
                "[".repeat(200) + "]".repeat(200),
                "deeper than 128",
                "{\"a\": \"\\ud800x\"}",
                "unpaired UTF-16 surrogate",
                "",
                "empty",
                "{\"a\": tru}",
                "not valid JSON at line 1")
            .entrySet()) {
      assertThatThrownBy(() -> StrictJson.parse(c.getKey().getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(StrictJson.JsonSyntaxException.class)
          .hasMessageContaining(c.getValue());
    }
    assertThat(
            StrictJson.parse(
                    "{\"a\": [1, 2.50, \"\\ud83d\\ude00\"]}".getBytes(StandardCharsets.UTF_8))
                .get("a")
                .get(1)
                .decimalValue()
                .toPlainString())
        .isEqualTo("2.50");
    assertThat(List.of(Snippets.quote("x".repeat(300), 10), Snippets.quote("a\nb", 10)))
        .containsExactly("xxxxxxxxxx...", "a?b");
  }
}
