package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The sort-key encoding preserves DynamoDB order and round-trips, for every key type. */
class KeyCodecPropertiesTest {

  @Provide
  Arbitrary<BigDecimal> numbers() {
    Arbitrary<BigInteger> unscaled =
        Arbitraries.strings()
            .withChars("0123456789")
            .ofMinLength(1)
            .ofMaxLength(38)
            .map(BigInteger::new);
    Arbitrary<Integer> scale = Arbitraries.integers().between(-80, 80);
    Arbitrary<Boolean> negative = Arbitraries.of(true, false);
    return Combinators.combine(unscaled, scale, negative)
        .as((u, s, neg) -> neg ? new BigDecimal(u, s).negate() : new BigDecimal(u, s))
        .edgeCases(c -> c.add(BigDecimal.ZERO).add(BigDecimal.ONE).add(new BigDecimal("-1")));
  }

  @Property(tries = 2000)
  void numberOrderIsPreserved(@ForAll("numbers") BigDecimal a, @ForAll("numbers") BigDecimal b) {
    byte[] ea = KeyCodec.encodeSortKey(AttributeValue.n(a));
    byte[] eb = KeyCodec.encodeSortKey(AttributeValue.n(b));
    assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb)))
        .isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Property(tries = 1000)
  void numberRoundTrips(@ForAll("numbers") BigDecimal a) {
    AttributeValue v = AttributeValue.n(a);
    assertThat(KeyCodec.decodeSortKey(AttributeType.N, KeyCodec.encodeSortKey(v))).isEqualTo(v);
  }

  @Property(tries = 1000)
  void stringOrderIsUtf8ByteOrder(@ForAll String a, @ForAll String b) {
    byte[] ea = KeyCodec.encodeSortKey(AttributeValue.s(a));
    byte[] eb = KeyCodec.encodeSortKey(AttributeValue.s(b));
    int expected =
        Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(expected));
    assertThat(KeyCodec.decodeSortKey(AttributeType.S, ea).s())
        .isEqualTo(new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }

  @Property(tries = 500)
  void binaryRoundTrips(@ForAll byte[] a) {
    AttributeValue v = AttributeValue.b(a);
    assertThat(KeyCodec.decodeSortKey(AttributeType.B, KeyCodec.encodeSortKey(v))).isEqualTo(v);
  }

  @Property(tries = 500)
  void utf8LengthMatchesTheJdk(@ForAll String s) {
    assertThat(KeyCodec.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
  }
}
