package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.output.AwsJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer verify}: reads every page of every table (or one) and reports those that fail
 * authentication, with their location. Exit code 1 when any does (the report is printed, and one
 * line on stderr sums it up).
 */
@Command(
    name = "verify",
    description = {
      "Read every page of every table (or one) through the engine and list the pages that fail"
          + " authentication: table, partition token, node id.",
      "Exit code 0 when every page authenticates, 1 when any fails (or the store cannot be opened)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer verify",
      "  coffer verify --table-name Music \\",
      "      --query 'Tables[].CorruptPages[].Location' --output text"
    })
public final class VerifyCommand extends StoreCommand {
  @Option(names = "--table-name", description = "Verify only this table.")
  String tableName;

  private int corruptCount;

  @Override
  JsonNode run(CliContext context) {
    Coffer coffer = context.coffer(false);
    List<String> names = tableName != null ? List.of(tableName) : coffer.listTables();
    ObjectNode out = AwsJson.object();
    ArrayNode tables = out.putArray("Tables");
    for (String name : names) {
      TableVerifier.Result r = TableVerifier.verify(coffer.table(name));
      ObjectNode t = tables.addObject().put("TableName", name).put("ItemsRead", r.itemsRead());
      ArrayNode pages = t.putArray("CorruptPages");
      r.corruptPages().forEach(p -> pages.add(p.json()));
      t.put("UnreadSegments", r.unreadSegments());
      corruptCount += r.corruptPages().size();
    }
    out.put("CorruptPageCount", corruptCount);
    if (corruptCount > 0) {
      spec.commandLine().getErr().println("coffer verify: " + corruptCount + " corrupt page"
          + (corruptCount == 1 ? "" : "s") + " found");
      spec.commandLine().getErr().flush();
    }
    return out;
  }

  @Override
  int exitCode() {
    return corruptCount > 0 ? ExitCode.FAILED : ExitCode.OK;
  }
}
