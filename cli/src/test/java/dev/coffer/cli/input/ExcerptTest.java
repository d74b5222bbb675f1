package dev.coffer.cli.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** What error messages quote of the user's input: one short, printable line. */
class ExcerptTest {

  @Test
  void shortPrintableTextIsQuotedAsItIs() {
    assertThat(Excerpt.of("{\"Artist\": {\"S\": \"Acme Band\""))
        .isEqualTo("{\"Artist\": {\"S\": \"Acme Band\"");
    assertThat(Excerpt.of("naïve café 東京 😀")).isEqualTo("naïve café 東京 😀");
  }

  @Test
  void controlAndInvisibleCharactersAreEscaped() {
    assertThat(Excerpt.of("a\nb\tc\rd\u0000e\u001bf")).isEqualTo("a\\nb\\tc\\rd\\u0000e\\u001Bf");
    assertThat(Excerpt.of("evil\u202Etxt.exe")).isEqualTo("evil\\u202Etxt.exe");
    assertThat(Excerpt.of("bad \uFFFD byte")).isEqualTo("bad \\uFFFD byte");
    assertThat(Excerpt.of("lone \uDC00")).isEqualTo("lone \\uDC00");
    assertThat(Excerpt.of("line\u2028sep")).isEqualTo("line\\u2028sep");
  }

  @Test
  void longTextIsCutWithItsLength() {
    String s = Excerpt.of("y".repeat(200_000));
    assertThat(s).isEqualTo("y".repeat(100) + "... (200000 characters)");
  }

  @Test
  void aroundShowsThePlaceOfTheError() {
    String text = "a".repeat(500) + "XYZ" + "b".repeat(500);
    String s = Excerpt.around(text, 500);
    assertThat(s).startsWith("...a").contains("XYZ").endsWith("b... (1003 characters)");
  }

  @Test
  void binaryGarbageDecodedAsUtf8PrintsAsEscapes() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i + 0x80); // the bytes that are not UTF-8 first, then the controls
    }
    String s = Excerpt.of(new String(bytes, StandardCharsets.UTF_8));
    assertThat(s)
        .doesNotContainPattern("\\p{Cntrl}")
        .startsWith("\\uFFFD")
        .endsWith(" characters)");
    assertThat(Excerpt.of(new String(new byte[] {'a', 0, 7, 27, '\n'}, StandardCharsets.UTF_8)))
        .isEqualTo("a\\u0000\\u0007\\u001B\\n");
  }

  @Property(tries = 500)
  void anyInputBecomesOneShortPrintableLine(@ForAll String text) {
    String s = Excerpt.of(text);
    assertThat(s.codePoints().allMatch(Excerpt::visible)).as(s).isTrue();
    assertThat(s).doesNotContain("\n", "\r");
    // at most MAX_CHARS characters, plus one escape that overshoots, "..." twice and the length
    assertThat(s.length()).isLessThanOrEqualTo(Excerpt.MAX_CHARS + 10 + 6 + 30);
    assertThat(Excerpt.line(text, 50).length()).isLessThanOrEqualTo(50 + 10 + 3 + 30);
  }

  @Property(tries = 200)
  void printableTextUpToTheLimitIsUnchanged(@ForAll("printable") String text) {
    assertThat(Excerpt.of(text)).isEqualTo(text);
  }

  @Provide
  Arbitrary<String> printable() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u00c0', '\u024f')
        .ofMaxLength(Excerpt.MAX_CHARS);
  }
}
