package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.ValidationException;
import dev.coffer.proto.ListValue;
import dev.coffer.proto.MapValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB's 32 levels of nesting: every factory refuses a deeper value, the codec refuses a deeper
 * stored one, and nothing that walks a value recurses (a thread with a tiny stack walks the deepest
 * value allowed, and 5,000 levels of construction stop at level 33 with a ValidationException).
 */
class NestingTest {
  static final String NESTING =
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested"
          + " levels beyond supported limit";

  /**
   * {@code levels} levels of single-entry maps: {@code wraps = levels - 1} maps around a string.
   */
  static AttributeValue maps(int levels) {
    AttributeValue v = AttributeValue.s("leaf");
    for (int i = 1; i < levels; i++) {
      v = AttributeValue.m(Map.of("n", v));
    }
    return v;
  }

  static AttributeValue lists(int levels) {
    AttributeValue v = AttributeValue.n(7);
    for (int i = 1; i < levels; i++) {
      v = AttributeValue.l(v, AttributeValue.s("x" + i));
    }
    return v;
  }

  @Test
  void thirtyTwoLevelsAreAcceptedAndThirtyThreeRefused() {
    assertThat(maps(32).nestingLevels()).isEqualTo(32);
    assertThat(lists(32).nestingLevels()).isEqualTo(32);
    assertThatThrownBy(() -> maps(33)).isInstanceOf(ValidationException.class).hasMessage(NESTING);
    assertThatThrownBy(() -> lists(33)).isInstanceOf(ValidationException.class).hasMessage(NESTING);
    assertThatThrownBy(() -> lists(49)).isInstanceOf(ValidationException.class).hasMessage(NESTING);
    // an empty map is a level of its own: 32 maps, the innermost empty, are 32 levels
    AttributeValue v = AttributeValue.m(Map.of());
    for (int i = 1; i < 32; i++) {
      v = AttributeValue.m(Map.of("e", v));
    }
    assertThat(v.nestingLevels()).isEqualTo(32);
    AttributeValue full = v;
    assertThatThrownBy(() -> AttributeValue.l(full)).hasMessage(NESTING);
    // mixed lists and maps count alike; only the deepest branch matters
    assertThat(AttributeValue.l(maps(31), AttributeValue.s("shallow")).nestingLevels())
        .isEqualTo(32);
    assertThat(AttributeValue.ss("a").nestingLevels()).isEqualTo(1);
  }

  @Test
  void fiveThousandLevelsAreRefusedAtLevelThirtyThreeWithoutRecursion() {
    AttributeValue v = AttributeValue.s("leaf");
    int built = 1;
    ValidationException refused = null;
    for (int i = 1; i < 5000 && refused == null; i++) {
      try {
        v = AttributeValue.m(Map.of("n", v));
        built++;
      } catch (ValidationException e) {
        refused = e;
      }
    }
    assertThat(refused).hasMessage(NESTING);
    assertThat(built).isEqualTo(32);
  }

  @Test
  void theDeepestValueWorksEverywhere() {
    AttributeValue deep = AttributeValue.l(lists(32).l().get(0), maps(31));
    AttributeValue same = AttributeValue.l(lists(32).l().get(0), maps(31));
    Item item =
        Item.builder()
            .put("pk", AttributeValue.s("k"))
            .put("deep", maps(32))
            .put("list", lists(32))
            .build();
    assertThat(deep).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(deep.toString()).startsWith("{\"L\":[{\"L\":[").contains("{\"M\":{\"n\":{\"M\":");
    assertThat(ItemSizes.sizeOf(item)).isPositive();
    assertThat(ItemCodec.fromProto(ItemCodec.toProto(item))).isEqualTo(item);
    assertThat(item.toString()).startsWith("{\"deep\":{\"M\":{\"n\":");
  }

  @Test
  void equalityLooksAtEveryLevel() {
    assertThat(maps(20)).isEqualTo(maps(20)).hasSameHashCodeAs(maps(20)).isNotEqualTo(maps(19));
    AttributeValue a =
        AttributeValue.m(Map.of("x", lists(5), "y", AttributeValue.b(new byte[] {1})));
    AttributeValue b =
        AttributeValue.m(Map.of("x", lists(5), "y", AttributeValue.b(new byte[] {2})));
    AttributeValue c =
        AttributeValue.m(Map.of("x", lists(5), "z", AttributeValue.b(new byte[] {1})));
    assertThat(a)
        .isNotEqualTo(b)
        .isNotEqualTo(c)
        .isEqualTo(AttributeValue.m(Map.of("y", AttributeValue.b(new byte[] {1}), "x", lists(5))));
    assertThat(AttributeValue.l(AttributeValue.s("a"), AttributeValue.s("b")))
        .isNotEqualTo(AttributeValue.l(AttributeValue.s("b"), AttributeValue.s("a")));
  }

  @Test
  void aStoredValueDeeperThanThirtyTwoLevelsIsCorruptionNotAStackOverflow() {
    // built directly in protobuf, as damaged or crafted storage could hold it
    for (int levels : new int[] {33, 40, 49}) {
      dev.coffer.proto.AttributeValue v =
          dev.coffer.proto.AttributeValue.newBuilder().setS("leaf").build();
      for (int i = 1; i < levels; i++) {
        v =
            i % 2 == 0
                ? dev.coffer.proto.AttributeValue.newBuilder()
                    .setL(ListValue.newBuilder().addValues(v))
                    .build()
                : dev.coffer.proto.AttributeValue.newBuilder()
                    .setM(MapValue.newBuilder().putFields("n", v))
                    .build();
      }
      dev.coffer.proto.Item item =
          dev.coffer.proto.Item.newBuilder().putAttributes("deep", v).build();
      assertThatThrownBy(() -> ItemCodec.fromProto(item))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("nested deeper than 32 levels");
    }
    dev.coffer.proto.AttributeValue typeless = dev.coffer.proto.AttributeValue.getDefaultInstance();
    assertThatThrownBy(() -> ItemCodec.fromProto(typeless))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("no type");
    dev.coffer.proto.AttributeValue badNumber =
        dev.coffer.proto.AttributeValue.newBuilder().setN(" 1").build();
    assertThatThrownBy(() -> ItemCodec.fromProto(badNumber))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("cannot be converted");
  }

  @Test
  void wideValuesEncodeInOrder() {
    List<AttributeValue> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(i % 3 == 0 ? maps(3) : AttributeValue.n(i));
    }
    AttributeValue wide = AttributeValue.l(many);
    assertThat(ItemCodec.fromProto(ItemCodec.toProto(wide))).isEqualTo(wide);
    assertThat(ItemCodec.toProto(wide).getL().getValues(1).getN()).isEqualTo("1");
  }
}
