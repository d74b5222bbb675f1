package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CollectedGarbage;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.CliInputException;
import dev.coffer.cli.input.WholeNumbers;
import dev.coffer.cli.output.AwsJson;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer collect-garbage}: the engine's {@code Coffer.collectGarbage()} on a store in a
 * record backend ({@code --backend}); refused for a store directory, which has no garbage (its
 * changes are written in place).
 */
@Command(
    name = "collect-garbage",
    description = {
      "For a store in a record backend (--backend): delete what no partition's tree reaches any more"
          + " and no reader can still need (older than the grace period, and still unreachable after"
          + " waiting one): nodes that instances which closed or died left behind, records of deleted"
          + " tables, stale index entries; and index partitions a crash left out. Reads every record"
          + " once and waits one grace period. Run it now and then (daily, or after a crash), from"
          + " one instance; the others keep working meanwhile.",
      "A store directory (--store) has nothing to collect: refused."
    },
    footer = {
      "",
      "Examples:",
      "  coffer --backend 'dynamodb:orders-store?region=eu-west-1' collect-garbage",
      "  coffer collect-garbage --grace-period 300 --output table"
    })
public final class CollectGarbageCommand extends StoreCommand {
  @Option(
      names = "--grace-period",
      paramLabel = "SECONDS",
      converter = WholeNumbers.GraceSeconds.class,
      description =
          "How old an unreachable node must be before it is deleted, and how long to wait before"
              + " the second look (default 60, the store's default). Make it longer than any read"
              + " of another instance takes (a Query page, a Scan segment): a reader holding an"
              + " older root may still need a node this deletes.")
  Long gracePeriod;

  @Override
  JsonNode run(CliContext context) {
    if (context.store() != null) {
      throw new CliInputException(
          "collect-garbage collects what a store in a record backend (--backend) leaves"
              + " unreachable; a store directory (--store) changes its records in place and has"
              + " nothing to collect.");
    }
    if (gracePeriod != null) {
      context.garbageGracePeriod(Duration.ofSeconds(gracePeriod));
    }
    CollectedGarbage g = context.coffer(false).collectGarbage();
    return AwsJson.object()
        .put("Partitions", g.partitions())
        .put("NodesDeleted", g.nodesDeleted())
        .put("StrayRecordsDeleted", g.strayRecordsDeleted())
        .put("IndexEntriesAdded", g.indexEntriesAdded())
        .put("IndexEntriesDeleted", g.indexEntriesDeleted());
  }
}
