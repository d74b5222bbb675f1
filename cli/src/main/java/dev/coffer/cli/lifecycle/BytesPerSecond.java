package dev.coffer.cli.lifecycle;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --bytes-per-second}: a whole number of bytes per second, 0 for no throttle. Anything
 * else is bad usage (exit 2) with a sentence, before the store is opened. Stateless.
 */
final class BytesPerSecond implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    long rate;
    try {
      rate = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "expected a whole number of bytes per second (0 for no throttle), e.g. 8388608");
    }
    if (rate < 0) {
      throw new TypeConversionException(
          "a rate cannot be negative: give 0 for no throttle or a number of bytes per second, e.g. 8388608");
    }
    return rate;
  }
}
