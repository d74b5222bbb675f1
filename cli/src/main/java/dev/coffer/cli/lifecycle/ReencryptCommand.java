package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Table;
import dev.coffer.cli.AwsCommand;
import dev.coffer.cli.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer reencrypt}: runs (or resumes) a table's re-encryption job: every page sealed by a
 * retired data-key version is re-sealed under the primary one, then the retired versions are
 * destroyed. Progress bar with rate and ETA on stderr.
 */
@Command(
    name = "reencrypt",
    description = {
      "Re-seal every page of a table sealed by a retired data-key version under the primary one,"
          + " then destroy the retired versions.",
      "Resumable: an interrupted job continues where it stopped. Progress, rate and ETA on stderr.",
      "On a store in a record backend (--backend) the job waits, after its last page, the access"
          + " re-check interval (5 minutes by default) and a margin before it destroys the retired"
          + " versions: until then another instance may still seal under them."
    },
    footer = {
      "",
      "Examples:",
      "  coffer reencrypt --table-name Music",
      "  coffer reencrypt --table-name Music --bytes-per-second 8388608 \\",
      "      --no-progress"
    })
public final class ReencryptCommand extends AwsCommand {
  @Option(names = "--table-name", required = true, description = "The table.")
  String tableName;

  @Option(
      names = "--bytes-per-second",
      paramLabel = "N",
      converter = BytesPerSecond.class,
      description = "Throttle, in bytes per second; 0 (default) for none.")
  long bytesPerSecond;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public String operationName() {
    return "Reencrypt";
  }

  @Override
  protected JsonNode run(CliContext context) {
    Table table = context.coffer(false).table(tableName);
    ObjectNode out =
        ReencryptShapes.result(
            ReencryptRunner.run(
                table,
                bytesPerSecond,
                !noProgress,
                context.backendUri() != null,
                spec.commandLine().getErr()));
    out.put("TableName", tableName);
    return out;
  }
}
