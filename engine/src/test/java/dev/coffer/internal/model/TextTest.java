package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Strings must be valid Unicode wherever they enter (DynamoDB stores UTF-8): a lone surrogate is
 * refused, not turned into {@code '?'}; attribute names are non-empty and shorter than 64 KiB.
 */
class TextTest {
  /**
   * What round-trips through UTF-8 is what is accepted; jqwik's strings include lone surrogates.
   */
  @Property(tries = 3000)
  void aStringIsAcceptedExactlyWhenItRoundTripsThroughUtf8(@ForAll("text") String s) {
    boolean wellFormed =
        new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    Statistics.collect(wellFormed ? "well-formed" : "ill-formed");
    Statistics.coverage(
        c -> {
          c.check("well-formed").percentage(p -> p > 20);
          c.check("ill-formed").percentage(p -> p > 20);
        });
    assertThat(Strings.unpairedSurrogate(s) < 0).isEqualTo(wellFormed);
    if (wellFormed) {
      assertThat(AttributeValue.s(s).s()).isEqualTo(s);
      assertThat(Strings.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    } else {
      assertThatThrownBy(() -> AttributeValue.s(s))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("not valid UTF-8");
    }
  }

  /** Any UTF-16 text, surrogates (paired or not) well represented. */
  @Provide
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.strings()
            .withChars("ab\u00e9\u20ac\ud83d\ude00\ud800\udc00\udbff\udfff")
            .ofMaxLength(12));
  }

  @Example
  void loneSurrogatesAreRefusedEverywhereAStringEnters() {
    String lone = "a\udc00";
    String high = "\ud800b";
    for (String bad : new String[] {lone, high, "\ud800", "x\udbff"}) {
      assertThatThrownBy(() -> AttributeValue.s(bad))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("A string value is not valid UTF-8");
      assertThatThrownBy(() -> AttributeValue.ss("ok", bad))
          .hasMessageContaining("A string set member");
      assertThatThrownBy(() -> AttributeValue.m(Map.of(bad, AttributeValue.n(1))))
          .hasMessageContaining("An attribute name is not valid UTF-8");
      assertThatThrownBy(() -> Item.builder().string(bad, "v"))
          .hasMessageContaining("An attribute name");
      assertThatThrownBy(() -> KeySchema.of(bad, AttributeType.S))
          .hasMessageContaining("partition key attribute name");
      assertThatThrownBy(() -> KeySchema.of("pk", AttributeType.S, bad, AttributeType.N))
          .hasMessageContaining("sort key attribute name");
    }
    assertThatThrownBy(() -> AttributeValue.s(lone)).hasMessageContaining("U+DC00 at index 1");
    assertThat(AttributeValue.s("a?")).isNotEqualTo(AttributeValue.s("a\ud83d\ude00"));
    assertThat(AttributeValue.s("\ud83d\ude00").s()).isEqualTo("\ud83d\ude00");
  }

  @Example
  void attributeNamesAreShorterThan64KiB() {
    String longest = "n".repeat(65535);
    assertThat(Item.builder().string(longest, "v").build().has(longest)).isTrue();
    assertThat(AttributeValue.m(Map.of(longest, AttributeValue.n(1))).m()).containsKey(longest);
    for (String tooLong :
        new String[] {"n".repeat(65536), "\u00e9".repeat(32768), "\u20ac".repeat(21846)}) {
      assertThatThrownBy(() -> Item.builder().string(tooLong, "v"))
          .isInstanceOf(ValidationException.class)
          .hasMessage("Attribute name is too large, must be less than 65536 bytes");
      assertThatThrownBy(() -> AttributeValue.m(Map.of(tooLong, AttributeValue.n(1))))
          .hasMessage("Attribute name is too large, must be less than 65536 bytes");
    }
    assertThatThrownBy(() -> Item.builder().string("", "v"))
        .hasMessageContaining("may not be empty");
    assertThatThrownBy(() -> AttributeValue.m(Map.of("", AttributeValue.n(1))))
        .hasMessageContaining("may not be empty");
    assertThat(Item.of(Map.of("\u00e9".repeat(32767), AttributeValue.nul())).size()).isEqualTo(1);
    assertThat(List.of(Strings.quote("x".repeat(41))))
        .containsExactly("x".repeat(40) + "... (41 characters)");
  }
}
