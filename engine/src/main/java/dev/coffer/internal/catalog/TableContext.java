package dev.coffer.internal.catalog;

import dev.coffer.KeySchema;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.TableRecords;
import dev.coffer.proto.CatalogEntry;
import java.util.HexFormat;

/**
 * Everything the engine needs about one open table: its identity, key schema, options, records and
 * unwrapped keys. Thread-safe: fields are final except the catalog entry (replaced as a whole, by
 * the catalog) and the dropped flag.
 */
public final class TableContext {
  private final int serial;
  private final String name;
  private final byte[] tableId;
  private final String tableIdHex;
  private final KeySchema schema;
  private final int pageTargetBytes;
  private final TableRecords records;
  private final TableKeys keys;
  private volatile CatalogEntry entry;
  private volatile boolean dropped;
  private volatile long entryVersion;
  private volatile boolean stale;

  TableContext(
      int serial, CatalogEntry entry, KeySchema schema, TableRecords records, TableKeys keys) {
    this.serial = serial;
    this.entry = entry;
    this.name = entry.getName();
    this.tableId = entry.getTableId().toByteArray();
    this.tableIdHex = HexFormat.of().formatHex(tableId);
    this.schema = schema;
    this.pageTargetBytes = entry.getOptions().getPageTargetBytes();
    this.records = records;
    this.keys = keys;
    refuseOlderEnvelopesIf(entry);
  }

  private void refuseOlderEnvelopesIf(CatalogEntry entry) {
    if (entry.getOlderEnvelopesRefused()) {
      keys.refuseOlderEnvelopes();
    }
  }

  /** A number unique among the tables opened by this store instance (a cache key part). */
  public int serial() {
    return serial;
  }

  public String name() {
    return name;
  }

  /** The 16-byte table id (a copy is not made: do not change it). */
  public byte[] tableId() {
    return tableId;
  }

  public String tableIdHex() {
    return tableIdHex;
  }

  public KeySchema schema() {
    return schema;
  }

  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /** The table's records; only valid while {@link #checkLive()} passes under the lifecycle lock. */
  public TableRecords records() {
    return records;
  }

  public TableKeys keys() {
    return keys;
  }

  /** The current catalog entry. */
  public CatalogEntry entry() {
    return entry;
  }

  void entry(CatalogEntry entry) {
    refuseOlderEnvelopesIf(entry); // before the entry is seen: the flag is never undone
    this.entry = entry;
  }

  /** Throws {@link ResourceNotFoundException} once the table was deleted. */
  public void checkLive() {
    if (dropped) {
      throw new ResourceNotFoundException(
          "Requested resource not found: Table: " + name + " not found");
    }
  }

  void markDropped() {
    dropped = true;
  }

  /** On a shared backend: the record version of {@link #entry()}, which its next write names. */
  long entryVersion() {
    return entryVersion;
  }

  void entryVersion(long version) {
    this.entryVersion = version;
  }

  /**
   * On a shared backend: whether another instance changed the entry (a write lost); read it again.
   */
  boolean stale() {
    return stale;
  }

  void stale(boolean stale) {
    this.stale = stale;
  }
}
