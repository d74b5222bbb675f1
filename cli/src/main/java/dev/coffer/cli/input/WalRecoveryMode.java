package dev.coffer.cli.input;

import dev.coffer.WalRecovery;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --wal-recovery}: {@code torn-tail-only} ({@link WalRecovery#TORN_TAIL_ONLY}, the
 * default) or {@code point-in-time} ({@link WalRecovery#POINT_IN_TIME}), in any case. Anything else
 * is bad usage (exit 2) with a sentence, before the store is opened. Stateless.
 */
public final class WalRecoveryMode implements ITypeConverter<WalRecovery> {
  @Override
  public WalRecovery convert(String value) {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "torn-tail-only":
        return WalRecovery.TORN_TAIL_ONLY;
      case "point-in-time":
        return WalRecovery.POINT_IN_TIME;
      default:
        throw new TypeConversionException(
            "'"
                + Excerpt.of(value)
                + "' is not a recovery mode: expected"
                + " torn-tail-only (the default: refuse a write-ahead log damaged other than by a crash) or point-in-time"
                + " (keep the writes before the damage, drop the rest)");
    }
  }
}
