package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.Excerpt;
import dev.coffer.cli.output.AwsJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer export}: every item of a table as DynamoDB JSON lines ({@code {"Item": {...}}}, the
 * S3 export's format), to stdout or a file ({@code .gz} names are gzipped). The items leave the
 * store decrypted: the file is created new with mode 0600, never through a symbolic link, and an
 * existing file is replaced only with {@code --overwrite} ({@link PrivateFile}); a failed export
 * leaves no file behind. To stdout, a failed export has written the lines of the pages read before
 * the failure (partial output, non-zero exit).
 */
@Command(
    name = "export",
    description = {
      "Write every item of a table as DynamoDB JSON lines {\"Item\": {...}}, the format of"
          + " DynamoDB's export to S3.",
      "To stdout, or to --output-file (gzipped when its name ends in .gz); the file holds the items"
          + " in plaintext: it is created new, readable by its owner only (0600), and an existing file"
          + " or symlink is refused unless --overwrite."
    },
    footer = {
      "",
      "Examples:",
      "  coffer export --table-name Music --output-file music.json.gz",
      "  coffer export --table-name Music --output-file music.json.gz \\",
      "      --overwrite",
      "  coffer export --table-name Music | head -3"
    })
public final class ExportCommand extends StoreCommand {
  @Option(names = "--table-name", required = true, description = "The table to export.")
  String tableName;

  @Option(
      names = "--output-file",
      paramLabel = "FILE",
      description =
          "Write here instead of stdout: a new file, mode 0600; an existing one is refused.")
  Path outputFile;

  @Option(
      names = "--overwrite",
      description =
          "Replace --output-file if it exists (by a new file renamed over it; a symlink there is"
              + " replaced, never followed).")
  boolean overwrite;

  @Override
  JsonNode run(CliContext context) {
    if (outputFile != null) {
      PrivateFile.checkTarget(outputFile, overwrite);
    } else if (overwrite) {
      throw CliInputException.parameter("--overwrite", "applies only with --output-file");
    }
    Table table = context.cofferToRead().table(tableName);
    if (outputFile == null) {
      PrintWriter out = spec.commandLine().getOut();
      write(table, out);
      out.flush();
      return null;
    }
    long count;
    try (PrivateFile file = PrivateFile.create(outputFile, overwrite)) {
      try (OutputStream raw = file.stream();
          OutputStream stream =
              outputFile.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
          Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8))) {
        count = write(table, out);
      }
      file.commit();
    } catch (IOException | UncheckedIOException e) {
      throw new CliInputException(
          "Cannot write "
              + Excerpt.of(outputFile.toString())
              + ": "
              + Excerpt.of(String.valueOf(e.getMessage())),
          e);
    }
    return AwsJson.object()
        .put("TableName", tableName)
        .put("ItemCount", count)
        .put("OutputFile", outputFile.toString());
  }

  private static long write(Table table, Writer out) {
    long count = 0;
    Key after = null;
    try {
      do {
        Page page = table.scan(after == null ? Scan.all() : Scan.all().exclusiveStartKey(after));
        for (Item item : page.items()) {
          out.write(ExportLines.line(item));
          out.write('\n');
          count++;
        }
        after = page.lastEvaluatedKey().orElse(null);
      } while (after != null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }
}
