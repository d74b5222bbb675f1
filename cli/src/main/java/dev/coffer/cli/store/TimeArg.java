package dev.coffer.cli.store;

import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as {@code --since} and {@code --until} take it: ISO-8601 ({@code
 * 2026-11-23T17:00:00Z}, with an offset, or without one meaning UTC; a date alone is its midnight
 * UTC), or a time before now: {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1w}.
 * Stateless.
 */
final class TimeArg {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})([smhdw])");

  private TimeArg() {}

  /**
   * The instant of {@code value}, relative ones counted back from {@code now}.
   *
   * @throws CliInputException when it is neither form
   */
  static Instant parse(String option, String value, Instant now) {
    String v = value.strip();
    Matcher m = RELATIVE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
          throw CliInputException.parameter(
              option,
              "Expected an ISO-8601 time such as 2026-11-23T17:00:00Z"
                  + " or 2026-11-23, or a time before now such as 30m, 1h, 2d; received: '"
                  + Excerpt.of(value)
                  + "'");
        }
      }
    }
  }
}
