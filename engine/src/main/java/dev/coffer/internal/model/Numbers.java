package dev.coffer.internal.model;

import dev.coffer.ValidationException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * DynamoDB numbers: parsing, limits and the canonical text form. A number has at most 38
 * significant digits and a magnitude of 1E-130 to 9.9999999999999999999999999999999999999E+125
 * (or is zero). The canonical form is {@link BigDecimal#stripTrailingZeros()} in plain notation,
 * so equal numbers have equal text.
 */
public final class Numbers {
  /** Largest number of significant digits. */
  public static final int MAX_DIGITS = 38;

  private static final BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");
  /** Decimal or scientific notation (compiled once: every N attribute read or written is checked). */
  private static final Pattern SYNTAX = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Numbers() {}

  /** Parses and checks {@code text}; returns the normalized value. */
  public static BigDecimal parse(String text) {
    if (text == null) {
      throw new ValidationException("The parameter cannot be converted to a numeric value");
    }
    String t = text.trim();
    BigDecimal d;
    try {
      if (t.isEmpty() || t.length() > 200 || !SYNTAX.matcher(t).matches()) {
        throw new NumberFormatException();
      }
      d = new BigDecimal(t);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ValidationException("The parameter cannot be converted to a numeric value: " + text);
    }
    return check(d);
  }

  /** Checks the limits of {@code d}; returns it normalized (trailing zeros stripped). */
  public static BigDecimal check(BigDecimal d) {
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal n = d.stripTrailingZeros();
    if (n.precision() > MAX_DIGITS) {
      throw new ValidationException(
          "Attempting to store more than " + MAX_DIGITS + " significant digits in a Number");
    }
    BigDecimal abs = n.abs();
    if (abs.compareTo(MAX) > 0) {
      throw new ValidationException(
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    if (abs.compareTo(MIN_MAGNITUDE) < 0) {
      throw new ValidationException(
          "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
    return n;
  }

  /** The canonical text of a checked number. */
  public static String canonical(BigDecimal normalized) {
    return normalized.signum() == 0 ? "0" : normalized.toPlainString();
  }
}
