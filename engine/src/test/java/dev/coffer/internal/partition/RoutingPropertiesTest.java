package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Routing}, the partition metadata's compact copy of an inner node (separators after their
 * common prefix, 16-bit ends, 32-bit child ids when they fit): it routes every key to the child the
 * node itself routes it to, gives back the node it copies, and weighs what its arrays hold.
 */
class RoutingPropertiesTest {

  @Property(tries = 300)
  void routesAsTheNodeDoes(
      @ForAll("separators") List<ByteString> separators,
      @ForAll("keys") List<ByteString> keys,
      @ForAll boolean wideIds) {
    Node inner = inner(separators, wideIds);
    Routing r = Routing.of(0, inner, true);
    for (ByteString key : keys) {
      assertThat(r.childFor(key)).as("key %s", key).isEqualTo(inner.childFor(key));
    }
    for (ByteString s : separators) { // each separator, and keys just around it
      assertThat(r.childFor(s)).isEqualTo(inner.childFor(s));
      if (!s.isEmpty()) {
        ByteString shorter = s.substring(0, s.size() - 1);
        assertThat(r.childFor(shorter)).isEqualTo(inner.childFor(shorter));
      }
      ByteString longer = s.concat(ByteString.copyFrom(new byte[] {0}));
      assertThat(r.childFor(longer)).isEqualTo(inner.childFor(longer));
    }
    Node back = r.toNode();
    assertThat(back.separators()).isEqualTo(inner.separators());
    assertThat(back.children()).isEqualTo(inner.children());
    for (int i = 0; i < inner.children().size(); i++) {
      assertThat(r.child(i)).isEqualTo(inner.children().get(i));
      assertThat(r.indexOf(inner.children().get(i))).isEqualTo(i);
      assertThat(r.lowKeyOf(i)).isEqualTo(i == 0 ? ByteString.EMPTY : separators.get(i - 1));
    }
  }

  @Test
  void sharedPrefixIsHeldOnceAndNarrowArraysAreWeighedAsSuch() {
    List<ByteString> seps = new ArrayList<>();
    for (int i = 1; i < 16; i++) {
      seps.add(ByteString.copyFromUtf8(String.format("s%05d", i * 6)));
    }
    Routing narrow = Routing.of(0, inner(seps, false), true);
    Routing wide = Routing.of(0, inner(seps, true), true);
    // "s000" held once: 15 suffixes of 2 bytes; 16 children of 4 bytes; 15 ends of 2 bytes
    int slots = new LeafSlots(16).weight();
    assertThat(narrow.weight())
        .isEqualTo(
            72
                + Routing.array(4)
                + Routing.array(30)
                + Routing.array(30)
                + Routing.array(64)
                + slots);
    assertThat(wide.weight() - narrow.weight())
        .as("ids past 32 bits take 8 bytes each")
        .isEqualTo(Routing.array(128) - Routing.array(64));
  }

  private static Node inner(List<ByteString> separators, boolean wideIds) {
    List<Long> children = new ArrayList<>();
    for (int i = 0; i <= separators.size(); i++) {
      children.add(wideIds ? (1L << 40) + i : 1 + i);
    }
    return Node.inner(separators, children, children.size() + 1L, 2, 0);
  }

  private static Arbitrary<ByteString> key() {
    // a small alphabet, so that keys share prefixes, are prefixes of each other, and bytes >= 0x80
    return Arbitraries.of((byte) 0, (byte) 'a', (byte) 'b', (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
        .array(byte[].class)
        .ofMaxSize(6)
        .map(b -> ByteString.copyFrom(new byte[] {'k', 'e'}).concat(ByteString.copyFrom(b)));
  }

  @Provide
  Arbitrary<List<ByteString>> separators() {
    return key()
        .set()
        .ofMinSize(0)
        .ofMaxSize(40)
        .map(
            s -> {
              TreeSet<ByteString> sorted = new TreeSet<>(Node.ORDER);
              sorted.addAll(s);
              return new ArrayList<>(sorted);
            });
  }

  @Provide
  Arbitrary<List<ByteString>> keys() {
    return Arbitraries.oneOf(
            key(),
            Arbitraries.of(
                ByteString.EMPTY,
                ByteString.copyFromUtf8("k"),
                ByteString.copyFromUtf8("a"),
                ByteString.copyFromUtf8("z")))
        .list()
        .ofMaxSize(30);
  }
}
