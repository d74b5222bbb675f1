package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {
  private static final KeySchema ORDERS =
      KeySchema.of("customer", AttributeType.S, "orderDate", AttributeType.S);

  @Test
  void aBuilderChangedAfterBuildLeavesTheBuiltItemAlone() {
    Item.Builder b = Item.builder().string("pk", "a").number("n", 1);
    Item first = b.build();
    b.number("n", 2).string("extra", "x");
    Item second = b.build();
    b.remove("pk");
    Item third = b.build();
    assertThat(first.attributes())
        .containsExactly(
            Map.entry("pk", AttributeValue.s("a")), Map.entry("n", AttributeValue.n(1)));
    assertThat(second.attributes())
        .containsExactly(
            Map.entry("pk", AttributeValue.s("a")),
            Map.entry("n", AttributeValue.n(2)),
            Map.entry("extra", AttributeValue.s("x")));
    assertThat(third.attributes())
        .containsExactly(
            Map.entry("n", AttributeValue.n(2)), Map.entry("extra", AttributeValue.s("x")));
    Item fromFirst = first.toBuilder().remove("n").build();
    assertThat(first.has("n")).isTrue();
    assertThat(fromFirst.has("n")).isFalse();
  }

  @Test
  void numbersAreCanonicalAndLimited() {
    assertThat(AttributeValue.n("1.50")).isEqualTo(AttributeValue.n("1.5"));
    assertThat(AttributeValue.n("-0.000")).isEqualTo(AttributeValue.n(0));
    assertThat(AttributeValue.n("1e3").n()).isEqualTo("1000");
    assertThatThrownBy(() -> AttributeValue.n("abc"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cannot be converted to a numeric value");
    assertThatThrownBy(() -> AttributeValue.n("1".repeat(39)))
        .hasMessageContaining("38 significant digits");
    assertThatThrownBy(() -> AttributeValue.n("1E+126")).hasMessageContaining("overflow");
    assertThatThrownBy(() -> AttributeValue.n("1E-131")).hasMessageContaining("underflow");
    assertThat(AttributeValue.n("9.9999999999999999999999999999999999999E+125").type())
        .isEqualTo(AttributeType.N);
  }

  @Test
  void setsAreSortedNonEmptyAndDistinct() {
    assertThat(AttributeValue.ss("b", "a")).isEqualTo(AttributeValue.ss("a", "b"));
    assertThat(AttributeValue.ns("10", "9").ns()).containsExactly("9", "10");
    assertThatThrownBy(() -> AttributeValue.ss(List.of())).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> AttributeValue.ns("1", "1.0")).hasMessageContaining("duplicates");
    assertThat(AttributeValue.bs(List.of(new byte[] {2}, new byte[] {1})))
        .isEqualTo(AttributeValue.bs(List.of(new byte[] {1}, new byte[] {2})));
  }

  @Test
  void everyTypeRoundTripsThroughProto() {
    Item item =
        Item.builder()
            .string("s", "x")
            .number("n", "-12.5")
            .bytes("b", new byte[] {0, 1})
            .bool("t", true)
            .put("nul", AttributeValue.nul())
            .put("l", AttributeValue.l(AttributeValue.s("a"), AttributeValue.n(1)))
            .put("m", AttributeValue.m(Map.of("k", AttributeValue.ss("p", "q"))))
            .put("ns", AttributeValue.ns("1", "2"))
            .put("bs", AttributeValue.bs(List.of(new byte[] {9})))
            .build();
    assertThat(ItemCodec.fromProto(ItemCodec.toProto(item))).isEqualTo(item);
    assertThat(item.toString()).contains("\"s\":{\"S\":\"x\"}").contains("\"n\":{\"N\":\"-12.5\"}");
  }

  @Test
  void keyAttributesAreValidatedAsDynamoDbDoes() {
    assertThatThrownBy(
            () -> ItemSizes.validateItem(Item.builder().string("customer", "a").build(), ORDERS))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "One or more parameter values were invalid: Missing the key orderDate in the item");
    assertThatThrownBy(
            () ->
                ItemSizes.validateItem(
                    Item.builder().number("customer", 1).string("orderDate", "d").build(), ORDERS))
        .hasMessageContaining("Type mismatch for key customer expected: S actual: N");
    assertThatThrownBy(
            () ->
                ItemSizes.validateItem(
                    Item.builder().string("customer", "").string("orderDate", "d").build(), ORDERS))
        .hasMessageContaining("empty string value. Key: customer");
    assertThatThrownBy(
            () ->
                ItemSizes.validateItem(
                    Item.builder()
                        .string("customer", "x".repeat(2049))
                        .string("orderDate", "d")
                        .build(),
                    ORDERS))
        .hasMessageContaining("2048 bytes");
    assertThatThrownBy(
            () ->
                ItemSizes.validateItem(
                    Item.builder()
                        .string("customer", "c")
                        .string("orderDate", "d".repeat(1025))
                        .build(),
                    ORDERS))
        .hasMessageContaining("1024 bytes");
    assertThatThrownBy(
            () ->
                ItemSizes.validateItem(
                    Item.builder()
                        .string("customer", "c")
                        .string("orderDate", "d")
                        .string("big", "x".repeat(400 * 1024))
                        .build(),
                    ORDERS))
        .hasMessage("Item size has exceeded the maximum allowed size");
    ItemSizes.validateItem(
        Item.builder().string("customer", "c").string("orderDate", "d").build(), ORDERS);
    assertThatThrownBy(() -> ItemSizes.validateKey(Key.of("c"), ORDERS))
        .hasMessageContaining("missing orderDate");
  }

  @Test
  void numberSizeCountsSignificantDigits() {
    assertThat(ItemSizes.numberSize("0")).isEqualTo(2);
    assertThat(ItemSizes.numberSize("7")).isEqualTo(2);
    assertThat(ItemSizes.numberSize("-1200")).isEqualTo(2);
    assertThat(ItemSizes.numberSize("0.00125")).isEqualTo(3);
    assertThat(ItemSizes.numberSize("1002.5")).isEqualTo(4);
  }

  @Test
  void itemSizeFollowsDynamoDbRules() {
    Item item = Item.builder().string("ab", "xyz").number("n", 123).bool("b", true).build();
    // "ab"+"xyz" = 5, "n" + 123 (3 digits -> 2+1 = 3) = 4, "b" + 1 = 2
    assertThat(ItemSizes.sizeOf(item)).isEqualTo(11);
  }
}
