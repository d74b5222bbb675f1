package dev.coffer.internal.catalog;

import dev.coffer.DataKeyVersionInfo;
import dev.coffer.ReencryptionProgress;
import dev.coffer.TableDescription;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.ReencryptionState;
import dev.coffer.proto.TableOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * DescribeTable: an open table's catalog entry and keys as the public {@link TableDescription}.
 * Stateless.
 */
public final class TableDescriptions {
  private TableDescriptions() {}

  /** The description of {@code t} now (seal counts as counted, not only as persisted). */
  public static TableDescription of(TableContext t) {
    CatalogEntry e = t.entry();
    List<Integer> versions = new ArrayList<>();
    List<DataKeyVersionInfo> infos = new ArrayList<>();
    for (DataKeyVersion v : e.getDataKeysList()) {
      if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED) {
        versions.add(v.getVersion());
      }
      DataKeyVersionInfo.State state =
          v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY
              ? DataKeyVersionInfo.State.PRIMARY
              : v.getState() == DataKeyState.DATA_KEY_STATE_RETIRED
                  ? DataKeyVersionInfo.State.RETIRED
                  : DataKeyVersionInfo.State.DESTROYED;
      SealBudget budget = t.keys().budget(v.getVersion());
      long seals =
          Math.max(
              v.getSeals(),
              budget == null || state == DataKeyVersionInfo.State.DESTROYED ? 0 : budget.count());
      infos.add(
          new DataKeyVersionInfo(
              v.getVersion(),
              state,
              Instant.ofEpochMilli(v.getCreatedMillis()),
              seals,
              v.getDestroyedMillis() == 0 ? null : Instant.ofEpochMilli(v.getDestroyedMillis())));
    }
    ReencryptionProgress progress = null;
    if (e.hasReencryption()) {
      ReencryptionState r = e.getReencryption();
      progress =
          new ReencryptionProgress(
              r.getTargetVersion(),
              r.getPagesDone(),
              r.getPagesDone(),
              r.getBytesDone(),
              0,
              Duration.ZERO,
              Instant.ofEpochMilli(r.getStartedMillis()));
    }
    TableOptions o = e.getOptions();
    return new TableDescription(
        t.name(),
        t.tableIdHex(),
        t.schema(),
        Instant.ofEpochMilli(e.getCreatedMillis()),
        t.pageTargetBytes(),
        versions,
        t.keys().primaryVersion(),
        infos,
        progress,
        e.getLastDataKeyRotationMillis() == 0
            ? null
            : Instant.ofEpochMilli(e.getLastDataKeyRotationMillis()),
        o.getRotateAfterDays(),
        o.getRotateAfterPages(),
        o.getAutoReencrypt(),
        TableCapacity.of(e));
  }
}
