package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Coffer;
import dev.coffer.StoreVerification;
import dev.coffer.TableVerification;
import dev.coffer.VerifyFinding;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.ExitCode;
import dev.coffer.cli.output.AwsJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer verify}: the engine's verification ({@code Table.verify()}) of every table (or
 * one): every stored record is read and opened, every tree walked. Exit code 1 when anything is
 * found (the report is printed, and one line on stderr sums it up).
 */
@Command(
    name = "verify",
    description = {
      "Read every stored record of every table (or one) and check it: every page and delta record"
          + " authenticates and parses, every node a tree points at exists, no stored node is unreachable,"
          + " and the storage engine can read every block. Each finding names the table, the partition token"
          + " (or the range of them) and the node. With freshness on, the store's ClientRequestToken records"
          + " are compared with their freshness map too (StoreFindings, without --table-name).",
      "In a record backend (--backend) there are no storage blocks and no delta records, and an"
          + " unreachable node is garbage a change left for deletion, not a finding: the other checks"
          + " run as they are.",
      "Exit code 0 when nothing is found, 1 when anything is (or the store cannot be opened)."
    },
    footer = {
      "",
      "Examples:",
      "  coffer verify",
      "  coffer verify --table-name Music \\",
      "      --query 'Tables[].Findings[].[Kind, Location]' --output text"
    })
public final class VerifyCommand extends StoreCommand {
  @Option(names = "--table-name", description = "Verify only this table.")
  String tableName;

  private int findingCount;

  @Override
  JsonNode run(CliContext context) {
    Coffer coffer = context.cofferToInspect();
    StoreVerification all =
        tableName != null
            ? new StoreVerification(List.of(coffer.table(tableName).verify()))
            : coffer.verify();
    ObjectNode out = AwsJson.object();
    ArrayNode tables = out.putArray("Tables");
    Map<VerifyFinding.Kind, Integer> byKind = new TreeMap<>();
    for (TableVerification v : all.tables()) {
      ObjectNode t =
          tables
              .addObject()
              .put("TableName", v.tableName())
              .put("Partitions", v.partitions())
              .put("Nodes", v.nodes())
              .put("DeltaRecords", v.deltaRecords())
              .put("ItemsRead", v.items());
      ArrayNode findings = t.putArray("Findings");
      for (VerifyFinding f : v.findings()) {
        findings.add(json(f));
        byKind.merge(f.kind(), 1, Integer::sum);
      }
      findingCount += v.findings().size();
    }
    if (tableName == null) {
      ArrayNode store = out.putArray("StoreFindings");
      for (VerifyFinding f : all.storeFindings()) {
        store.add(json(f));
        byKind.merge(f.kind(), 1, Integer::sum);
      }
      findingCount += all.storeFindings().size();
    }
    out.put("FindingCount", findingCount);
    coffer
        .lastAcceptedRollback()
        .ifPresent(r -> out.set("LastAcceptedRollback", InfoCommand.acceptedRollback(r)));
    if (findingCount > 0) {
      StringBuilder line =
          new StringBuilder(
              "coffer verify: "
                  + findingCount
                  + " finding"
                  + (findingCount == 1 ? "" : "s")
                  + " (");
      byKind.forEach(
          (k, n) ->
              line.append(line.charAt(line.length() - 1) == '(' ? "" : ", ")
                  .append(n)
                  .append(' ')
                  .append(k));
      spec.commandLine().getErr().println(line.append(")"));
      spec.commandLine().getErr().flush();
    }
    return out;
  }

  /**
   * {@code {"Kind", "TableName"? (not for the store's own records), "PartitionToken"?,
   * "LastPartitionToken"?, "NodeId"?, "Location", "Message"}}.
   */
  private static ObjectNode json(VerifyFinding f) {
    ObjectNode out = AwsJson.object().put("Kind", f.kind().name());
    if (!f.tableName().isEmpty()) {
      out.put("TableName", f.tableName());
    }
    f.partitionToken().ifPresent(t -> out.put("PartitionToken", t));
    f.lastPartitionToken().ifPresent(t -> out.put("LastPartitionToken", t));
    f.nodeId().ifPresent(n -> out.put("NodeId", n));
    return out.put("Location", f.location()).put("Message", f.message());
  }

  @Override
  int exitCode() {
    return findingCount > 0 ? ExitCode.FAILED : ExitCode.OK;
  }
}
