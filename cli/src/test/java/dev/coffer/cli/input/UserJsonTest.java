package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.UserJson.InvalidJsonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict reading of user JSON: one value, unique member names, RFC 8259 only, short errors. */
class UserJsonTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\": \"b\"} garbage",
        "{\"a\": 1} {}",
        "{\"a\": 1}}",
        "[1] 2",
        "{} ,",
        "\"s\" \"t\""
      })
  void trailingTextIsRefused(String text) {
    assertThatThrownBy(() -> UserJson.parse(text))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessageStartingWith(
            "Unexpected text after the JSON value (give exactly one value) at line 1 column ");
  }

  @Test
  void whiteSpaceAroundTheValueIsFine() {
    assertThat(UserJson.parse("  \n{\"a\": [1, 2]}\n\t ").at("/a/1").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\": 1, \"a\": 2}",
        "{\"pk\": {\"S\": \"x\"}, \"m\": {\"M\": {\"k\": {\"S\": \"1\"}, \"k\": {\"S\": \"2\"}}}}",
        "[{\"TagKey\": \"t\", \"TagKey\": \"u\"}]",
        "{\"S\": \"x\", \"S\": \"y\"}"
      })
  void aMemberNameTwiceInOneObjectIsRefusedAtAnyDepth(String text) {
    assertThatThrownBy(() -> UserJson.parse(text))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessageContaining("Duplicate member name '")
        .hasMessageContaining("(a name may appear once in an object)");
  }

  @Test
  void theSameNameInTwoObjectsIsFine() {
    JsonNode n = UserJson.parse("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}");
    assertThat(n.at("/b/x").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'a': 1}",
        "{\"a\": 01}",
        "{\"a\": NaN}",
        "/* c */ {}",
        "{\"a\": 1,}",
        "{a: 1}",
        "",
        "  "
      })
  void onlyStrictJsonIsRead(String text) {
    assertThatThrownBy(() -> UserJson.parse(text)).isInstanceOf(InvalidJsonException.class);
  }

  @Test
  void nestingIsBounded() {
    assertThatThrownBy(() -> UserJson.parse("[".repeat(5000) + "]".repeat(5000)))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessage("nested more than 1000 levels deep");
  }

  @Test
  void aParameterErrorNamesTheOptionTheFileAndQuotesLittle(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("item.json");
    String text = "{\"pk\": {\"S\": \"" + "x".repeat(200_000) + "\"}, \"pk\": {\"S\": \"y\"}}";
    Files.writeString(f, text);
    assertThatThrownBy(() -> UserJson.parameter("--item", "file://" + f))
        .isInstanceOf(CliInputException.class)
        .satisfies(
            e -> {
              String m = e.getMessage();
              assertThat(m)
                  .startsWith(
                      "Error parsing parameter '--item': Invalid JSON in file://"
                          + f
                          + ": Duplicate member name 'pk' (a name may appear once in an object) at line 1 column ");
              assertThat(m)
                  .contains("; JSON received: ...")
                  .endsWith("\"pk\": {\"S\": \"y\"}} (" + text.length() + " characters)");
              assertThat(m.length()).isLessThan(400);
            });
  }

  @Test
  void anInlineErrorQuotesTheWholeShortValue() {
    assertThatThrownBy(() -> UserJson.parameter("--key", "{\"a\": 1} x"))
        .hasMessage(
            "Error parsing parameter '--key': Invalid JSON: Unexpected text after the JSON value (give exactly"
                + " one value) at line 1 column 10; JSON received: {\"a\": 1} x");
  }

  @Property(tries = 200)
  void everyObjectWithUniqueNamesReadsBackAndGarbageAfterItIsRefused(
      @ForAll("objects") ObjectNode object, @ForAll("garbage") String garbage) {
    String text = object.toString();
    assertThat(UserJson.parse(text)).isEqualTo(object);
    assertThatThrownBy(() -> UserJson.parse(text + garbage))
        .isInstanceOf(InvalidJsonException.class);
  }

  @Provide
  Arbitrary<ObjectNode> objects() {
    return Arbitraries.maps(
            Arbitraries.strings().ofMaxLength(8), Arbitraries.strings().ofMaxLength(8))
        .ofMaxSize(6)
        .map(UserJsonTest::object);
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.strings()
        .ofMinLength(1)
        .ofMaxLength(6)
        .filter(s -> !s.isBlank())
        .map(s -> " " + s);
  }

  private static ObjectNode object(Map<String, String> members) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    members.forEach(o::put);
    return o;
  }
}
