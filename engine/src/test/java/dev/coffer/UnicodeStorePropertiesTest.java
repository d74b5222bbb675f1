package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Any string that survives UTF-8 is stored and read back exactly, as a partition key, a sort key,
 * an attribute name, a value, a set member and a map key; any other (an unpaired UTF-16 surrogate)
 * is refused before anything is stored, so two different strings never reach one item.
 */
class UnicodeStorePropertiesTest {
  private static Path dir;
  private static Coffer coffer;
  private static Table table;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("coffer-unicode");
    coffer = new TestStores().open(dir);
    table =
        coffer.createTable(
            TableSpec.builder()
                .name("text")
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.S)
                .build());
  }

  @AfterContainer
  static void close() throws IOException {
    coffer.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static boolean roundTrips(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  @Property(tries = 400)
  void whatSurvivesUtf8IsStoredExactlyAndTheRestIsRefused(@ForAll("text") String s) {
    Statistics.collect(roundTrips(s) ? "well-formed" : "ill-formed");
    Statistics.coverage(
        c -> {
          c.check("well-formed").percentage(p -> p > 20);
          c.check("ill-formed").percentage(p -> p > 20);
        });
    if (!roundTrips(s)) {
      assertThatThrownBy(() -> Item.builder().string("pk", s))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> Item.builder().string(s, "v"))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> Key.of(s, "x")).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> Query.partition(s)).isInstanceOf(ValidationException.class);
      return;
    }
    Item item =
        Item.builder()
            .string("pk", s)
            .string("sk", s)
            .string(s, s)
            .put("set", AttributeValue.ss(s, s + "!"))
            .put("map", AttributeValue.m(Map.of(s, AttributeValue.s(s))))
            .build();
    if (s.getBytes(StandardCharsets.UTF_8).length <= 1024) {
      table.putItem(item);
      Item back = table.getItem(Key.of(s, s)).orElseThrow();
      assertThat(back).isEqualTo(item);
      assertThat(back.get(s).s()).isEqualTo(s);
      assertThat(back.get("map").m().keySet()).containsExactly(s);
      assertThat(table.query(Query.partition(s).sortEquals(s)).items()).containsExactly(item);
    }
  }

  /** Non-empty UTF-16 text, surrogates (paired or not) well represented. */
  @Provide
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20),
        Arbitraries.strings()
            .withChars("ab?\u00e9\u20ac\ud83d\ude00\ud800\udc00\udbff\udfff")
            .ofMinLength(1)
            .ofMaxLength(12));
  }

  @Example
  void aLoneSurrogateNoLongerCollidesWithAQuestionMark() {
    table.putItem(
        Item.builder().string("pk", "a?").string("sk", "s").string("v", "the real a?").build());
    assertThatThrownBy(
            () -> table.putItem(Item.builder().string("pk", "a\udc00").string("sk", "s").build()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(() -> table.getItem(Key.of("a\udc00", "s")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () -> Item.builder().string("pk", "b").string("sk", "s").string("v", "x\ud800"))
        .isInstanceOf(ValidationException.class);
    assertThat(table.getItem(Key.of("a?", "s")).orElseThrow().get("v").s())
        .isEqualTo("the real a?");
  }
}
