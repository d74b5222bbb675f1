package dev.coffer.internal.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.record.Entry;
import dev.coffer.proto.LeafEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;
import org.junit.jupiter.api.Test;

/**
 * {@link EncodedItems} against protobuf's own parser and encoder: the attribute names it finds, the
 * item it decodes (values and order), and the entry it re-encodes after a change, which must be
 * byte for byte the entry the engine encodes from scratch.
 */
class EncodedItemsTest {
  private static final ByteString SORT_KEY = ByteString.copyFromUtf8("\u0001sk");

  private static Entry entryOf(ByteString sortKey, Item item) {
    return Entry.of(
        LeafEntry.newBuilder().setSortKey(sortKey).setItem(ItemCodec.toProto(item)).build());
  }

  @Property(tries = 300)
  void decodesAsProtobufDoes(@ForAll("items") Item item, @ForAll boolean sorted) {
    Entry entry = entryOf(sorted ? SORT_KEY : ByteString.EMPTY, item);
    EncodedItems.Decoded d = EncodedItems.decode(entry);
    Item expected = ItemCodec.fromProto(entry.item());
    assertThat(d.item()).isEqualTo(expected);
    assertThat(new ArrayList<>(d.item().attributes().keySet()))
        .containsExactlyElementsOf(expected.attributes().keySet());
    assertThat(d.stored().keySet()).isEqualTo(expected.attributes().keySet());
  }

  @Property(tries = 300)
  void findsTopLevelNames(@ForAll("items") Item item, @ForAll("names") Set<String> asked) {
    Set<String> names = new TreeSet<>(asked);
    names.addAll(item.attributes().keySet().stream().limit(2).toList());
    Set<String> expected = new TreeSet<>(names);
    expected.retainAll(item.attributes().keySet());
    assertThat(EncodedItems.present(entryOf(SORT_KEY, item), names)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void reencodesExactlyAsFromScratch(
      @ForAll("items") Item item,
      @ForAll("items") Item changes,
      @ForAll("names") Set<String> removed,
      @ForAll boolean sorted) {
    ByteString sortKey = sorted ? SORT_KEY : ByteString.EMPTY;
    Entry entry = entryOf(sortKey, item);
    EncodedItems.Decoded old = EncodedItems.decode(entry);
    // as an update builds its result: the old item's value objects, some replaced or removed
    Item.Builder b = old.item().toBuilder();
    changes.attributes().forEach(b::put);
    removed.forEach(b::remove);
    Item updated = b.build();
    Entry spliced = EncodedItems.reencode(sortKey, updated, old);
    Entry scratch = entryOf(sortKey, updated);
    assertThat(spliced.sortKey()).isEqualTo(sortKey);
    assertThat(spliced.encoded()).isEqualTo(scratch.encoded());
    assertThat(ItemCodec.fromProto(spliced.item())).isEqualTo(updated);
  }

  @Test
  void anUnchangedItemKeepsEveryStoredByte() {
    Item item =
        Item.builder()
            .string("pk", "a")
            .bytes("payload", new byte[] {1, 2, 3})
            .put("m", AttributeValue.m(Map.of("x", AttributeValue.n(1))))
            .build();
    Entry entry = entryOf(SORT_KEY, item);
    EncodedItems.Decoded old = EncodedItems.decode(entry);
    assertThat(EncodedItems.reencode(SORT_KEY, old.item(), old).encoded())
        .isEqualTo(entry.encoded());
  }

  @Test
  void malformedEntriesAreCorruption() {
    Item item = Item.builder().string("pk", "a").string("name", "value").build();
    ByteString good = entryOf(SORT_KEY, item).encoded();
    for (int cut = 1; cut < good.size(); cut++) {
      Entry truncated = Entry.ofEncoded(SORT_KEY, good.substring(0, cut));
      try {
        EncodedItems.decode(truncated);
      } catch (CorruptionException e) {
        assertThat(e.getMessage()).startsWith("A stored item is malformed");
      }
      try {
        EncodedItems.present(truncated, Set.of("name"));
      } catch (CorruptionException e) {
        assertThat(e.getMessage()).startsWith("A stored item is malformed");
      }
    }
    // an attribute without a value (protobuf: a value with no type)
    ByteString noValue =
        ByteString.copyFrom(
            new byte[] {0x12, 0x05, 0x0a, 0x03, 0x0a, 0x01, 'a'}); // item { entry { key "a" } }
    assertThatThrownBy(() -> EncodedItems.decode(Entry.ofEncoded(ByteString.EMPTY, noValue)))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("no type");
    assertThat(EncodedItems.present(Entry.ofEncoded(ByteString.EMPTY, noValue), Set.of("a", "b")))
        .containsExactly("a");
    // a name that is not UTF-8
    ByteString badName =
        ByteString.copyFrom(new byte[] {0x12, 0x05, 0x0a, 0x03, 0x0a, 0x01, (byte) 0xff});
    assertThatThrownBy(() -> EncodedItems.decode(Entry.ofEncoded(ByteString.EMPTY, badName)))
        .isInstanceOf(CorruptionException.class);
    // a group (wire type 3), which no stored item has
    ByteString group = ByteString.copyFrom(new byte[] {0x0b, 0x0c});
    assertThatThrownBy(
            () -> EncodedItems.present(Entry.ofEncoded(ByteString.EMPTY, group), Set.of("a")))
        .isInstanceOf(CorruptionException.class);
  }

  @Provide
  Arbitrary<Set<String>> names() {
    return Arbitraries.of("pk", "a", "b", "locked", "note", "é", "x.y").set().ofMaxSize(4);
  }

  @Provide
  Arbitrary<Item> items() {
    return Arbitraries.maps(
            Arbitraries.oneOf(
                Arbitraries.of("pk", "a", "b", "locked", "note", "é", "x.y"),
                text().ofMinLength(1).ofMaxLength(6)),
            values())
        .ofMinSize(1)
        .ofMaxSize(8)
        .map(m -> Item.of(new LinkedHashMap<>(m)));
  }

  private static StringArbitrary text() {
    return Arbitraries.strings().alpha().numeric().withChars('é', '€', '.', ' ');
  }

  private static Arbitrary<AttributeValue> values() {
    Arbitrary<AttributeValue> scalar =
        Arbitraries.oneOf(
            text().ofMaxLength(10).map(AttributeValue::s),
            Arbitraries.longs().map(AttributeValue::n),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(AttributeValue::b),
            Arbitraries.of(true, false).map(AttributeValue::bool),
            Arbitraries.just(AttributeValue.nul()),
            text()
                .ofMinLength(1)
                .ofMaxLength(5)
                .set()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(AttributeValue::ss));
    Arbitrary<AttributeValue> list = scalar.list().ofMaxSize(3).map(AttributeValue::l);
    Arbitrary<AttributeValue> map =
        Combinators.combine(text().ofMinLength(1).ofMaxLength(4), scalar)
            .as((k, v) -> AttributeValue.m(Map.of(k, v)));
    return Arbitraries.frequencyOf(Tuple.of(6, scalar), Tuple.of(1, list), Tuple.of(1, map));
  }
}
