package dev.coffer.cli.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Table;
import dev.coffer.cli.AwsOperation;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.Main;
import dev.coffer.cli.output.AwsJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coffer rotate data-key}: a new data-key version seals the table's pages from now on; the
 * old versions stay (RETIRED) until {@code --reencrypt} or {@code coffer reencrypt} moves their
 * pages and destroys them.
 */
@Command(
    name = "data-key",
    description = {
      "Give a table a new data-key version for new pages (no page is touched).",
      "--reencrypt then re-seals the old pages under it and destroys the old versions, with a"
          + " progress bar on stderr; interrupted, it resumes with 'coffer reencrypt'."
    },
    footer = {
      "",
      "Examples:",
      "  coffer rotate data-key --table-name Music",
      "  coffer rotate data-key --table-name Music --reencrypt \\",
      "      --bytes-per-second 33554432"
    })
final class RotateDataKeyCommand implements Callable<Integer>, AwsOperation {
  @Spec CommandSpec spec;

  @Option(names = "--table-name", required = true, description = "The table.")
  String tableName;

  @Option(names = "--reencrypt", description = "Then re-encrypt the table's pages under the new version.")
  boolean reencrypt;

  @Option(names = "--bytes-per-second", description = "Throttle of --reencrypt; 0 (default) for none.")
  long bytesPerSecond;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public String operationName() {
    return "RotateDataKey";
  }

  @Override
  public Integer call() {
    CliContext context = ((Main) spec.root().userObject()).context();
    Table table = context.coffer(false).table(tableName);
    int version = table.rotateDataKey();
    ObjectNode out = AwsJson.object().put("TableName", tableName).put("PrimaryDataKeyVersion", version);
    if (reencrypt) {
      out.set("Reencryption",
          ReencryptShapes.result(ReencryptRunner.run(table, bytesPerSecond, !noProgress, spec.commandLine().getErr())));
    }
    context.printer(spec.commandLine().getOut()).print(operationName(), out);
    return Main.EXIT_OK;
  }
}
