package dev.coffer.internal.model;

import dev.coffer.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * DynamoDB numbers: parsing, limits and the canonical text form. A number has at most 38
 * significant digits and a magnitude of 1E-130 to 9.9999999999999999999999999999999999999E+125 (or
 * is zero); how many characters its text has does not matter ({@code 000...0001} with 200 zeros is
 * 1). The syntax is {@code [+-]?(digits[.[digits]]|.digits)([eE][+-]?digits)?} ({@code 5.} is 5),
 * nothing else: no spaces, no {@code NaN}, no hex. The canonical form is {@link
 * BigDecimal#stripTrailingZeros()} in plain notation, so equal numbers have equal text.
 *
 * <p>Parsing is one linear pass over the text that counts the significant digits before anything is
 * built, so a long text costs its length and never more (a {@code BigDecimal} of the whole text
 * would cost its square). Stateless.
 */
public final class Numbers {
  /** Largest number of significant digits. */
  public static final int MAX_DIGITS = 38;

  private static final BigDecimal MAX =
      new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");

  /** An exponent beyond this is out of range whatever the digits (they are at most 38). */
  private static final long EXPONENT_BOUND = 1_000_000;

  private Numbers() {}

  /** Parses and checks {@code text}; returns the normalized value (trailing zeros stripped). */
  public static BigDecimal parse(String text) {
    if (text == null) {
      throw new ValidationException("The parameter cannot be converted to a numeric value");
    }
    int n = text.length();
    int i = 0;
    boolean negative = false;
    if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
      negative = text.charAt(i) == '-';
      i++;
    }
    // The mantissa: digits with at most one point. value = 0.d1d2...dk x 10^(pointPosition), so
    // significant digits are those from the first to the last non-zero one.
    int mantissaStart = i;
    int digits = 0;
    int pointAt = -1;
    int firstNonZero = -1;
    int lastNonZero = -1;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (c != '0') {
          if (firstNonZero < 0) {
            firstNonZero = digits;
          }
          lastNonZero = digits;
        }
        digits++;
      } else if (c == '.' && pointAt < 0) {
        pointAt = digits;
      } else {
        break;
      }
    }
    if (digits == 0) {
      throw unconvertible(text);
    }
    if (pointAt < 0) {
      pointAt = digits;
    }
    long exponent = 0;
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        negativeExponent = text.charAt(i) == '-';
        i++;
      }
      int exponentDigits = 0;
      for (; i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
        exponentDigits++;
        if (exponent < EXPONENT_BOUND) {
          exponent = exponent * 10 + (text.charAt(i) - '0');
        }
      }
      if (exponentDigits == 0) {
        throw unconvertible(text);
      }
      exponent = negativeExponent ? -exponent : exponent;
    }
    if (i != n) {
      throw unconvertible(text);
    }
    if (firstNonZero < 0) {
      return BigDecimal.ZERO;
    }
    int significant = lastNonZero - firstNonZero + 1;
    if (significant > MAX_DIGITS) {
      throw tooManyDigits();
    }
    // the significant digits, without the point
    StringBuilder sig = new StringBuilder(significant);
    int seen = 0;
    for (int j = mantissaStart; seen <= lastNonZero; j++) {
      char c = text.charAt(j);
      if (c == '.') {
        continue;
      }
      if (seen >= firstNonZero) {
        sig.append(c);
      }
      seen++;
    }
    // value = sig x 10^(pointAt - lastNonZero - 1 + exponent)
    long power = pointAt - (long) lastNonZero - 1 + exponent;
    if (Math.abs(exponent) >= EXPONENT_BOUND) {
      throw power > 0 ? overflow() : underflow();
    }
    BigDecimal d = new BigDecimal(new BigInteger(sig.toString()), Math.toIntExact(-power));
    return check(negative ? d.negate() : d);
  }

  /** Checks the limits of {@code d}; returns it normalized (trailing zeros stripped). */
  public static BigDecimal check(BigDecimal d) {
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal n = d.stripTrailingZeros();
    if (n.precision() > MAX_DIGITS) {
      throw tooManyDigits();
    }
    BigDecimal abs = n.abs();
    if (abs.compareTo(MAX) > 0) {
      throw overflow();
    }
    if (abs.compareTo(MIN_MAGNITUDE) < 0) {
      throw underflow();
    }
    return n;
  }

  /** The canonical text of a checked number. */
  public static String canonical(BigDecimal normalized) {
    return normalized.signum() == 0 ? "0" : normalized.toPlainString();
  }

  private static ValidationException unconvertible(String text) {
    return new ValidationException(
        "The parameter cannot be converted to a numeric value: " + Strings.quote(text));
  }

  private static ValidationException tooManyDigits() {
    return new ValidationException(
        "Attempting to store more than " + MAX_DIGITS + " significant digits in a Number");
  }

  private static ValidationException overflow() {
    return new ValidationException(
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  }

  private static ValidationException underflow() {
    return new ValidationException(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  }
}
