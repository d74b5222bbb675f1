package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Table;
import dev.coffer.cli.AwsOperation;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "Resumable: an interrupted job continues where it stopped. Progress, rate and ETA on stderr."
    },
    footer = {
      "",
      "Examples:",
      "  coffer reencrypt --table-name Music",
      "  coffer reencrypt --table-name Music --bytes-per-second 8388608 \\",
      "      --no-progress"
    })
public final class ReencryptCommand implements Callable<Integer>, AwsOperation {
  @Spec CommandSpec spec;

  @Option(names = "--table-name", required = true, description = "The table.")
  String tableName;

  @Option(names = "--bytes-per-second", description = "Throttle; 0 (default) for none.")
  long bytesPerSecond;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public String operationName() {
    return "Reencrypt";
  }

  @Override
  public Integer call() {
    CliContext context = ((Main) spec.root().userObject()).context();
    Table table = context.coffer(false).table(tableName);
    ObjectNode out = ReencryptShapes.result(
        ReencryptRunner.run(table, bytesPerSecond, !noProgress, spec.commandLine().getErr()));
    out.put("TableName", tableName);
    context.printer(spec.commandLine().getOut()).print(operationName(), out);
    return Main.EXIT_OK;
  }
}
