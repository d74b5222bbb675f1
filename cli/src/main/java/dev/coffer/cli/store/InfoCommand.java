package dev.coffer.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AcceptedRollback;
import dev.coffer.Coffer;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.StoreKeyInfo;
import dev.coffer.Table;
import dev.coffer.TableDescription;
import dev.coffer.cli.CliContext;
import dev.coffer.cli.dynamodb.TableShapes;
import dev.coffer.cli.output.AwsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coffer info}: the store (where it is: its directory or its record backend; master key,
 * last master-key rotation) and its tables: key schema, page target size, data-key versions with
 * their states, last data-key rotation, an unfinished re-encryption; item counts when asked (by
 * scanning).
 */
@Command(
    name = "info",
    description = {
      "Describe the store: its tables with key schema, page target size and data-key versions.",
      "--count-items counts each table's items by scanning it (reads every page)."
    },
    footer = {"", "Examples:", "  coffer info", "  coffer info --count-items --output table"})
public final class InfoCommand extends StoreCommand {
  @Option(names = "--count-items", description = "Count the items of every table (a full scan).")
  boolean countItems;

  @Override
  JsonNode run(CliContext context) {
    Coffer coffer = context.cofferToInspect();
    ObjectNode out = AwsJson.object().put("Store", coffer.location());
    StoreKeyInfo key = coffer.keyInfo();
    out.put("MasterKeyId", key.masterKeyId()).put("KeyProvider", key.providerScheme());
    if (key.lastMasterKeyRotation() != null) {
      out.put("LastMasterKeyRotation", AwsJson.timestamp(key.lastMasterKeyRotation()));
    }
    coffer
        .lastAcceptedRollback()
        .ifPresent(r -> out.set("LastAcceptedRollback", acceptedRollback(r)));
    ArrayNode tables = out.putArray("Tables");
    for (String name : coffer.listTables()) {
      TableDescription d = coffer.describeTable(name);
      ObjectNode t = tables.addObject().put("TableName", name);
      t.set("KeySchema", TableShapes.keySchema(d.keySchema()));
      t.put("CreationDateTime", AwsJson.timestamp(d.creationTime()));
      t.put("PageTargetBytes", d.pageTargetBytes());
      d.dataKeyVersions().forEach(t.putArray("DataKeyVersions")::add);
      t.put("PrimaryDataKeyVersion", d.primaryDataKeyVersion());
      ArrayNode keys = t.putArray("DataKeys");
      for (DataKeyVersionInfo v : d.dataKeys()) {
        ObjectNode k =
            keys.addObject()
                .put("Version", v.version())
                .put("State", v.state().name())
                .put("CreationDateTime", AwsJson.timestamp(v.created()))
                .put("Seals", v.seals());
        if (v.destroyed() != null) {
          k.put("DestroyedDateTime", AwsJson.timestamp(v.destroyed()));
        }
      }
      d.lastDataKeyRotation().ifPresent(r -> t.put("LastDataKeyRotation", AwsJson.timestamp(r)));
      d.reencryption()
          .ifPresent(
              p ->
                  t.putObject("Reencryption")
                      .put("TargetDataKeyVersion", p.targetVersion())
                      .put("PagesDone", p.pagesDone())
                      .put("PagesTotal", p.pagesTotal())
                      .put("StartDateTime", AwsJson.timestamp(p.started())));
      if (countItems) {
        t.put("ItemCount", count(coffer.table(name)));
      }
    }
    return out;
  }

  private static long count(Table table) {
    long n = 0;
    Key after = null;
    do {
      Page page = table.scan(after == null ? Scan.all() : Scan.all().exclusiveStartKey(after));
      n += page.count();
      after = page.lastEvaluatedKey().orElse(null);
    } while (after != null);
    return n;
  }

  /**
   * {@code {"AcceptedDateTime", "Reason", "AnchoredEpoch"?, "FoundEpoch"}}: a rollback accepted at
   * an open ({@code --accept-rollback}).
   */
  static ObjectNode acceptedRollback(AcceptedRollback r) {
    ObjectNode out =
        AwsJson.object()
            .put("AcceptedDateTime", AwsJson.timestamp(r.acceptedAt()))
            .put("Reason", r.reason().name());
    r.anchoredEpoch().ifPresent(e -> out.put("AnchoredEpoch", e));
    return out.put("FoundEpoch", r.foundEpoch());
  }
}
