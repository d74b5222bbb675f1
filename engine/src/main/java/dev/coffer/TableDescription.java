package dev.coffer;

import java.time.Instant;
import java.util.List;

/**
 * What {@link Coffer#describeTable(String)} tells about a table: name, key schema, creation time,
 * page target size and its data-key versions (the primary one seals new pages). The item count is
 * not kept (counting would read every page). Immutable and thread-safe.
 */
public final class TableDescription {
  private final String name;
  private final String tableId;
  private final KeySchema keySchema;
  private final Instant creationTime;
  private final int pageTargetBytes;
  private final List<Integer> dataKeyVersions;
  private final int primaryDataKeyVersion;

  /** For the engine; users get descriptions from {@link Coffer#describeTable(String)}. */
  public TableDescription(String name, String tableId, KeySchema keySchema, Instant creationTime, int pageTargetBytes,
      List<Integer> dataKeyVersions, int primaryDataKeyVersion) {
    this.name = name;
    this.tableId = tableId;
    this.keySchema = keySchema;
    this.creationTime = creationTime;
    this.pageTargetBytes = pageTargetBytes;
    this.dataKeyVersions = List.copyOf(dataKeyVersions);
    this.primaryDataKeyVersion = primaryDataKeyVersion;
  }

  public String name() {
    return name;
  }

  /** The table's random id in hex: it names the column family and is bound into every page. */
  public String tableId() {
    return tableId;
  }

  public KeySchema keySchema() {
    return keySchema;
  }

  public Instant creationTime() {
    return creationTime;
  }

  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /** The live data-key versions, ascending. */
  public List<Integer> dataKeyVersions() {
    return dataKeyVersions;
  }

  /** The version that seals new pages. */
  public int primaryDataKeyVersion() {
    return primaryDataKeyVersion;
  }

  @Override
  public String toString() {
    return "TableDescription[" + name + ", " + keySchema + ", created " + creationTime + ", data keys "
        + dataKeyVersions + " (primary " + primaryDataKeyVersion + ")]";
  }
}
