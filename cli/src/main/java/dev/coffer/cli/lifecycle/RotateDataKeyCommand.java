package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Table;
import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code coffer rotate data-key}: a new data-key version seals the table's pages from now on; the
 * old versions stay (RETIRED) until {@code --reencrypt} or {@code coffer reencrypt} moves their
 * pages and destroys them. {@code --bytes-per-second} without {@code --reencrypt} is bad usage and
 * rotates nothing.
 */
@Command(
    name = "data-key",
    description = {
      "Give a table a new data-key version for new pages (no page is touched).",
      "--reencrypt then re-seals the old pages under it and destroys the old versions, with a"
          + " progress bar on stderr; interrupted, it resumes with 'coffer reencrypt'. On a store in"
          + " a record backend (--backend) it waits the access re-check interval (5 minutes by"
          + " default) after the last page, before it destroys the old versions."
    },
    footer = {
      "",
      "Examples:",
      "  coffer rotate data-key --table-name Music",
      "  coffer rotate data-key --table-name Music --reencrypt \\",
      "      --bytes-per-second 33554432"
    })
final class RotateDataKeyCommand extends AwsCommand {
  @Option(names = "--table-name", required = true, description = "The table.")
  String tableName;

  @Option(
      names = "--reencrypt",
      description = "Then re-encrypt the table's pages under the new version.")
  boolean reencrypt;

  @Option(
      names = "--bytes-per-second",
      paramLabel = "N",
      converter = BytesPerSecond.class,
      description = "Throttle of --reencrypt, in bytes per second; 0 (default) for none.")
  Long bytesPerSecond;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public String operationName() {
    return "RotateDataKey";
  }

  @Override
  protected JsonNode run(CliContext context) {
    if (bytesPerSecond != null && !reencrypt) {
      throw new ParameterException(
          spec.commandLine(),
          "--bytes-per-second throttles the re-encryption: give it with --reencrypt, or use"
              + " 'coffer reencrypt --bytes-per-second N'");
    }
    Table table = context.coffer(false).table(tableName);
    int version = table.rotateDataKey();
    ObjectNode out =
        AwsJson.object().put("TableName", tableName).put("PrimaryDataKeyVersion", version);
    if (reencrypt) {
      long rate = bytesPerSecond == null ? 0 : bytesPerSecond;
      out.set(
          "Reencryption",
          ReencryptShapes.result(
              ReencryptRunner.run(
                  table,
                  rate,
                  !noProgress,
                  context.backendUri() != null,
                  spec.commandLine().getErr())));
    }
    return out;
  }
}
