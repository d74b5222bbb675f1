package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Number parsing and normalisation against {@link BigDecimal} as the reference: a text is a
 * DynamoDB number exactly when it has the syntax and its value has at most 38 significant digits
 * and a magnitude in DynamoDB's range, however many characters it takes; its canonical text is the
 * reference's plain text with trailing zeros stripped.
 */
class NumbersPropertiesTest {
  private static final Pattern SYNTAX =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final BigDecimal MAX =
      new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN = new BigDecimal("1E-130");

  /** Texts shaped like numbers: signs, leading and trailing zeros by the hundred, exponents. */
  @Provide
  Arbitrary<String> numberTexts() {
    Arbitrary<String> sign = Arbitraries.of("", "", "-", "+");
    Arbitrary<String> zeros = Arbitraries.integers().between(0, 250).map("0"::repeat);
    Arbitrary<String> digits =
        Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(45);
    Arbitrary<String> fraction =
        Combinators.combine(Arbitraries.of("", "."), digits, zeros).as((p, d, z) -> p + d + z);
    Arbitrary<String> exponent =
        Combinators.combine(
                Arbitraries.of("", "e", "E", "e+", "e-", "E-"),
                Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 3))
            .as((e, n, lead) -> e.isEmpty() ? "" : e + "0".repeat(lead) + n);
    return Combinators.combine(sign, zeros, digits, fraction, exponent)
        .as((s, z, d, f, e) -> s + z + d + f + e)
        .edgeCases(c -> c.add("0").add("-0").add("1e-130").add("1e126").add("0".repeat(200) + "1"));
  }

  @Property(tries = 3000)
  void parsesExactlyWhatTheReferenceAccepts(@ForAll("numberTexts") String text) {
    BigDecimal reference = null;
    String expectedError = null;
    if (!SYNTAX.matcher(text).matches()) {
      expectedError = "cannot be converted to a numeric value";
    } else {
      BigDecimal d = new BigDecimal(text);
      if (d.signum() == 0) {
        reference = BigDecimal.ZERO;
      } else {
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.precision() > 38) {
          expectedError = "38 significant digits";
        } else if (stripped.abs().compareTo(MAX) > 0) {
          expectedError = "overflow";
        } else if (stripped.abs().compareTo(MIN) < 0) {
          expectedError = "underflow";
        } else {
          reference = stripped;
        }
      }
    }
    if (reference != null) {
      BigDecimal parsed = Numbers.parse(text);
      assertThat(parsed.compareTo(reference)).isZero();
      assertThat(AttributeValue.n(text).n())
          .isEqualTo(reference.signum() == 0 ? "0" : reference.toPlainString());
    } else {
      assertThatThrownBy(() -> Numbers.parse(text))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining(expectedError);
    }
  }

  @Property(tries = 500)
  void spacesAreNeverPartOfANumber(@ForAll("numberTexts") String text, @ForAll boolean leading) {
    String spaced = leading ? " " + text : text + " ";
    assertThatThrownBy(() -> AttributeValue.n(spaced))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cannot be converted to a numeric value");
  }

  @Example
  void dynamoDbCountsDigitsNotCharacters() {
    assertThat(AttributeValue.n("0".repeat(200) + "1").n()).isEqualTo("1");
    assertThat(AttributeValue.n("0." + "0".repeat(129) + "1").n())
        .isEqualTo("0." + "0".repeat(129) + "1");
    assertThat(AttributeValue.n("1" + "0".repeat(125)).n()).isEqualTo("1" + "0".repeat(125));
    assertThat(AttributeValue.n("1." + "0".repeat(500)).n()).isEqualTo("1");
    assertThat(AttributeValue.n("-000123.4500e-0002").n()).isEqualTo("-1.2345");
    assertThat(AttributeValue.n("0e999999999999999999").n()).isEqualTo("0");
    assertThatThrownBy(() -> AttributeValue.n("1e999999999999999999"))
        .hasMessageContaining("overflow");
    assertThatThrownBy(() -> AttributeValue.n("1e-999999999999999999"))
        .hasMessageContaining("underflow");
    assertThatThrownBy(() -> AttributeValue.n("1" + "0".repeat(126)))
        .hasMessageContaining("overflow");
    for (String bad :
        new String[] {
          " 1",
          "1 ",
          "\t1",
          "1\n",
          "",
          "-",
          ".",
          "e5",
          "1e",
          "1.2.3",
          "0x10",
          "NaN",
          "Infinity",
          "1_000",
          "١"
        }) {
      assertThatThrownBy(() -> AttributeValue.n(bad))
          .as(bad)
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("cannot be converted to a numeric value");
    }
    // a long refused text is quoted, not echoed whole
    assertThatThrownBy(() -> AttributeValue.n("x".repeat(100_000)))
        .hasMessageEndingWith("(100000 characters)");
  }
}
