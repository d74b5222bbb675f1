package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.BatchWriteItemRequest;
import dev.coffer.Coffer;
import dev.coffer.CofferException;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.WriteRequest;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.dynamodb.ItemKeys;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.output.AwsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer import}: puts the items of DynamoDB JSON-lines files (as {@code export} and
 * DynamoDB's S3 export write them, plain or gzipped) into an existing table. Every file is read and
 * every item checked against the key schema first; a malformed line imports nothing. Items are
 * written with BatchWriteItem, 25 at a time (each batch atomic); items with the key of an existing
 * item replace it, and a key twice in the files ends with the later item.
 */
@Command(
    name = "import",
    description = {
      "Put the items of a DynamoDB JSON-lines file {\"Item\": {...}} (plain or gzipped, as DynamoDB's"
          + " export to S3 writes them) into an existing table.",
      "--input-file may be a directory: its *.json and *.json.gz files are read, sorted by name.",
      "Every line is checked before the first item is written."
    },
    footer = {
      "",
      "Examples:",
      "  coffer import --table-name Music --input-file music.json.gz",
      "  coffer import --table-name Music \\",
      "      --input-file AWSDynamoDB/01700000000000-abcdef12/data"
    })
public final class ImportCommand extends StoreCommand {
  /** DynamoDB's BatchWriteItem limit. */
  private static final int BATCH = 25;

  @Option(names = "--table-name", required = true, description = "The table to import into.")
  String tableName;

  @Option(
      names = "--input-file",
      required = true,
      paramLabel = "FILE|DIR",
      description = "The export to read.")
  Path inputFile;

  @Override
  JsonNode run(CliContext context) {
    List<Path> files = files();
    Coffer coffer = context.coffer(false);
    Table table = coffer.table(tableName);
    for (Path f : files) {
      ExportLines.read(f, (item, line) -> ItemKeys.keyOf(table.keySchema(), item));
    }
    long[] count = {0};
    Map<Key, WriteRequest> batch = new LinkedHashMap<>();
    try {
      for (Path f : files) {
        ExportLines.read(
            f,
            (item, line) -> {
              Key key = ItemKeys.keyOf(table.keySchema(), item);
              if (batch.size() == BATCH || batch.containsKey(key)) {
                count[0] += write(coffer, batch);
              }
              batch.put(key, WriteRequest.put(item));
            });
      }
      count[0] += write(coffer, batch);
    } catch (CofferException e) {
      // The first pass checked every line's JSON, shape and key; what only the store checks (item
      // size, nesting) can still stop the second pass part-way.
      throw ExportLines.withMessage(
          e,
          e.getMessage()
              + " ("
              + count[0]
              + " item"
              + (count[0] == 1 ? "" : "s")
              + " of the lines before it were imported; importing again replaces items with the same key)");
    }
    ObjectNode out =
        AwsJson.object().put("TableName", tableName).put("ImportedItemCount", count[0]);
    ArrayNode inputs = out.putArray("InputFiles");
    files.forEach(f -> inputs.add(f.toString()));
    return out;
  }

  /**
   * Writes {@code batch} with one BatchWriteItem and empties it; returns how many items it wrote.
   */
  private int write(Coffer coffer, Map<Key, WriteRequest> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    int n = batch.size();
    coffer.batchWriteItem(
        BatchWriteItemRequest.builder()
            .requestItems(tableName, new ArrayList<>(batch.values()))
            .build());
    batch.clear();
    return n;
  }

  private List<Path> files() {
    if (!Files.exists(inputFile)) {
      throw CliInputException.parameter(
          "--input-file", "No such file or directory: '" + Excerpt.of(inputFile.toString()) + "'");
    }
    if (!Files.isDirectory(inputFile)) {
      return List.of(inputFile);
    }
    try (Stream<Path> s = Files.list(inputFile)) {
      List<Path> files =
          s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".json.gz"))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw CliInputException.parameter(
            "--input-file", "no *.json or *.json.gz files in " + Excerpt.of(inputFile.toString()));
      }
      return files;
    } catch (IOException e) {
      throw CliInputException.parameter(
          "--input-file",
          "Cannot list "
              + Excerpt.of(inputFile.toString())
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())));
    }
  }
}
