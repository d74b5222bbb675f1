package dev.coffer.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import dev.coffer.testkit.fuzz.FuzzText;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Fuzz target: DynamoDB numbers as text ({@link AttributeValue#n(String)}, i.e. {@link
 * Numbers#parse}), and their order-preserving key encoding ({@link KeyCodec#encodeSortKey}).
 *
 * <p><b>Documented exceptions:</b> {@link ValidationException} only ("The parameter cannot be
 * converted to a numeric value: ..." or DynamoDB's overflow, underflow and precision messages).
 * Checked against an independent reference, {@link BigDecimal}: a text is accepted exactly when it
 * has the documented syntax {@code [+-]?(digits[.[digits]]|.digits)([eE][+-]?digits)?}, at most 38
 * significant digits and a magnitude of 1E-130 to 9.9999999999999999999999999999999999999E+125 (or
 * is zero), and then it has that value; its canonical text parses to itself; the key encoding
 * decodes to it and orders two numbers as {@link BigDecimal#compareTo} does.
 *
 * <p><b>Input:</b> text ({@link FuzzText}); up to the first {@code |} is one number, the rest
 * another.
 */
public class NumberFuzzTest {
  private static final Pattern SYNTAX =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final BigDecimal MAX =
      new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN = new BigDecimal("1E-130");

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static void check(byte[] input) {
    String text = FuzzText.of(input);
    int bar = text.indexOf('|');
    AttributeValue a = number(bar < 0 ? text : text.substring(0, bar));
    AttributeValue b = bar < 0 ? null : number(text.substring(bar + 1));
    if (a != null && b != null) {
      int byValue = Integer.signum(a.numberValue().compareTo(b.numberValue()));
      int byKey =
          Integer.signum(
              Arrays.compareUnsigned(KeyCodec.encodeSortKey(a), KeyCodec.encodeSortKey(b)));
      assertThat(byKey).as("key order of " + a + " and " + b).isEqualTo(byValue);
    }
  }

  private static AttributeValue number(String text) {
    BigDecimal reference = reference(text);
    AttributeValue v;
    try {
      v = AttributeValue.n(text);
    } catch (ValidationException e) {
      assertThat(reference).as("refused " + text + ": " + e.getMessage()).isNull();
      return null;
    }
    assertThat(reference).as("accepted " + text).isNotNull();
    assertThat(v.numberValue().compareTo(reference)).as(text).isZero();
    assertThat(AttributeValue.n(v.n())).isEqualTo(v);
    assertThat(v.n()).isEqualTo(v.numberValue().stripTrailingZeros().toPlainString());
    assertThat(KeyCodec.decodeSortKey(AttributeType.N, KeyCodec.encodeSortKey(v))).isEqualTo(v);
    return v;
  }

  /** The value of {@code text} if DynamoDB accepts it as a number, else null. */
  static BigDecimal reference(String text) {
    if (!SYNTAX.matcher(text).matches()) {
      return null;
    }
    if (text.replaceFirst("[eE].*", "").chars().noneMatch(c -> c >= '1' && c <= '9')) {
      return BigDecimal.ZERO; // zero, whatever its exponent
    }
    BigDecimal d;
    try {
      d = new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null; // an exponent beyond int: out of range whatever the digits
    }
    if (d.signum() == 0) {
      return d;
    }
    BigDecimal abs = d.abs().stripTrailingZeros();
    if (abs.precision() > 38 || abs.compareTo(MIN) < 0 || abs.compareTo(MAX) > 0) {
      return null;
    }
    return d;
  }
}
