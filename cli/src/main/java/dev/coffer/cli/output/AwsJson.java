package dev.coffer.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * JSON as the AWS CLI writes it: 4-space indent, {@code "Key": value}, {@code []} for empty lists,
 * timestamps in ISO 8601 with an offset ({@code 2026-11-23T17:01:02.345000+00:00}). Shared by every
 * command group. Thread-safe.
 */
public final class AwsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter PRETTY;
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  static {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(separators)
            .withObjectIndenter(indenter)
            .withArrayIndenter(indenter);
    PRETTY = MAPPER.writer(printer);
  }

  private AwsJson() {}

  /** The shared mapper (plain, compact). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A new, empty object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code node} pretty-printed as the AWS CLI's json output, without a trailing newline. */
  public static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * A timestamp as the AWS CLI v2 prints it: UTC, seconds, microseconds only when not zero, and the
   * offset {@code +00:00} (Python's {@code isoformat()}).
   */
  public static String timestamp(Instant instant) {
    Instant t = instant.truncatedTo(ChronoUnit.MICROS);
    String s = SECONDS.format(t.atOffset(ZoneOffset.UTC));
    int micros = t.getNano() / 1000;
    return s + (micros == 0 ? "" : String.format(".%06d", micros)) + "+00:00";
  }
}
