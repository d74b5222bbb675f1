package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.dynamodb.DynamoJson;
import dev.coffer.cli.output.AwsJson;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The DynamoDB S3 export's JSON-lines format, one item per line: {@code {"Item":{"pk":{"S":"a"}}}}.
 * Reads plain and gzipped files (the export writes {@code data/*.json.gz}), told apart by the gzip
 * magic bytes. Stateless.
 */
final class ExportLines {
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
   * @throws CliInputException when the file cannot be read or a line is not an exported item (the
   *     message names the file and line)
   */
  static int read(Path file, ItemConsumer consumer) {
    int count = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + " line " + number;
        JsonNode node;
        try {
          node = DynamoJson.parse(where, line);
        } catch (CliInputException e) {
          throw new CliInputException("Cannot import " + where + ": not JSON");
        }
        if (!node.isObject() || !node.has("Item")) {
          throw new CliInputException("Cannot import " + where + ": expected {\"Item\": {...}} as DynamoDB's export"
              + " writes it");
        }
        try {
          consumer.accept(DynamoJson.item("Item", node.get("Item")), number);
        } catch (CliInputException e) {
          throw new CliInputException("Cannot import " + where + ": " + e.getMessage());
        }
        count++;
      }
    } catch (IOException e) {
      throw new CliInputException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return count;
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
  }
}
