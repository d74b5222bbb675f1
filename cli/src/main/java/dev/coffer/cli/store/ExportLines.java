package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.Item;
import dev.coffer.ValidationException;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.dynamodb.DynamoJson;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.input.UserJson;
import dev.coffer.cli.input.UserJson.InvalidJsonException;
import dev.coffer.cli.output.AwsJson;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The DynamoDB S3 export's JSON-lines format, one item per line: {@code {"Item":{"pk":{"S":"a"}}}}.
 * Reads plain and gzipped files (the export writes {@code data/*.json.gz}), told apart by the gzip
 * magic bytes. Lines are strict JSON ({@link UserJson}) in UTF-8; every error names the file and
 * the line. Stateless.
 */
final class ExportLines {
  /**
   * The longest line read: far above an exported 400 KB item, far below what would exhaust memory.
   */
  static final int MAX_LINE_BYTES = 16 << 20;

  private ExportLines() {}

  /** The line of an item, without a newline. */
  static String line(Item item) {
    ObjectNode line = AwsJson.object();
    line.set("Item", DynamoJson.json(item));
    return line.toString();
  }

  /** Receives the items of a file with their line numbers. */
  @FunctionalInterface
  interface ItemConsumer {
    void accept(Item item, int lineNumber);
  }

  /**
   * Reads every item of {@code file} in order.
   *
   * @throws CliInputException when the file cannot be read or a line is not an exported item
   *     ({@code Cannot import FILE line N: ...})
   * @throws CofferException when a value is invalid or {@code consumer} fails on an item (a {@link
   *     ValidationException} stays one); the message names the file and the line
   */
  static int read(Path file, ItemConsumer consumer) {
    int count = 0;
    try (InputStream in = open(file)) {
      LineReader lines = new LineReader(in, MAX_LINE_BYTES);
      for (int number = 1; ; number++) {
        String line;
        try {
          line = lines.next();
        } catch (LineReader.BadLineException e) {
          throw new CliInputException(
              "Cannot import " + where(file, number) + ": " + e.getMessage());
        }
        if (line == null) {
          break;
        }
        if (line.isBlank()) {
          continue;
        }
        try {
          consumer.accept(DynamoJson.item("Item", exported(line)), number);
        } catch (CliInputException e) {
          throw new CliInputException(
              "Cannot import " + where(file, number) + ": " + e.getMessage(), e);
        } catch (CofferException e) {
          throw withMessage(e, "Cannot import " + where(file, number) + ": " + e.getMessage());
        }
        count++;
      }
    } catch (IOException e) {
      throw new CliInputException(
          "Cannot read "
              + Excerpt.of(file.toString())
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())),
          e);
    }
    return count;
  }

  /**
   * {@code e} with another message: the same class for a {@link ValidationException}, else its
   * error code.
   */
  static CofferException withMessage(CofferException e, String message) {
    return e instanceof ValidationException
        ? new ValidationException(message, e)
        : new CofferException(e.errorCode(), message, e);
  }

  /** {@code FILE line N}, as every error of a line starts. */
  static String where(Path file, int lineNumber) {
    return Excerpt.of(file.toString()) + " line " + lineNumber;
  }

  /** The item object of a line {@code {"Item": {...}}}, which must have no other member. */
  private static JsonNode exported(String line) {
    JsonNode node;
    try {
      node = UserJson.parse(line);
    } catch (InvalidJsonException e) {
      throw new CliInputException(
          "Invalid JSON: "
              + e.reason()
              + (e.column() > 0 ? " at column " + e.column() : "")
              + "; line received: "
              + Excerpt.around(line, e.charOffset()));
    }
    if (!node.isObject() || !node.has("Item") || node.size() != 1) {
      throw new CliInputException(
          "expected {\"Item\": {...}} as DynamoDB's export writes it; line received: "
              + Excerpt.of(line));
    }
    return node.get("Item");
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
  }
}
