package dev.coffer.cli.output;

import dev.coffer.cli.input.Excerpt;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The {@code --output} formats, as the AWS CLI names them. */
public enum OutputFormat {
  /** Pretty JSON with a 4-space indent. */
  JSON,
  /** Tab-separated values, one line per object. */
  TEXT,
  /** Boxed tables titled with the operation name. */
  TABLE;

  /** Converts {@code json}, {@code text} or {@code table} (any case). */
  public static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "Invalid output format '" + Excerpt.of(value) + "': expected json, text or table");
      }
    }
  }
}
