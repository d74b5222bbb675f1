package dev.coffer.cli.input;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for whole-number options that are checked before a command runs: a bad value is bad
 * usage (exit 2) with a sentence saying what is expected, never a Java exception's name. Stateless.
 */
public final class WholeNumbers {
  private WholeNumbers() {}

  /** A TCP port on 127.0.0.1: 0 (a free one) to 65535. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) parse(value, 0, 65_535, "a port number from 0 (a free one) to 65535, e.g. 8000");
    }
  }

  /** A count of threads: 1 to 1024. */
  public static final class Threads implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) parse(value, 1, 1024, "a number of threads from 1 to 1024, e.g. 8");
    }
  }

  /** A number of seconds: 0 (no limit) or more. */
  public static final class Seconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(
          value, 0, Long.MAX_VALUE / 1_000_000_000L, "a whole number of seconds, 0 for no limit");
    }
  }

  /** A grace period in seconds: 0 to 86400 (one day), as {@code CofferOptions} takes it. */
  public static final class GraceSeconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(
          value, 0, 86_400, "a whole number of seconds from 0 to 86400 (one day), e.g. 60");
    }
  }

  private static long parse(String value, long min, long max, String expected) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("expected " + expected);
    }
    if (n < min || n > max) {
      throw new TypeConversionException("expected " + expected);
    }
    return n;
  }
}
