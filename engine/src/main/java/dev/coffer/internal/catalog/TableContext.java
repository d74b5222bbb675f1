package dev.coffer.internal.catalog;

import dev.coffer.KeySchema;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.proto.CatalogEntry;
import java.util.HexFormat;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Everything the engine needs about one open table: its identity, key schema, options, column
 * family and unwrapped keys. Thread-safe: fields are final except the catalog entry (replaced as a
 * whole) and the dropped flag.
 */
public final class TableContext {
  private final int serial;
  private final String name;
  private final byte[] tableId;
  private final String tableIdHex;
  private final byte[] storeId;
  private final KeySchema schema;
  private final int pageTargetBytes;
  private final ColumnFamilyHandle family;
  private final TableKeys keys;
  private final Catalog catalog;
  private volatile CatalogEntry entry;
  private volatile boolean dropped;

  TableContext(int serial, CatalogEntry entry, byte[] storeId, KeySchema schema, ColumnFamilyHandle family,
      TableKeys keys, Catalog catalog) {
    this.serial = serial;
    this.entry = entry;
    this.name = entry.getName();
    this.tableId = entry.getTableId().toByteArray();
    this.tableIdHex = HexFormat.of().formatHex(tableId);
    this.storeId = storeId;
    this.schema = schema;
    this.pageTargetBytes = entry.getOptions().getPageTargetBytes();
    this.family = family;
    this.keys = keys;
    this.catalog = catalog;
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

  /** The 16-byte store id (do not change it). */
  public byte[] storeId() {
    return storeId;
  }

  public KeySchema schema() {
    return schema;
  }

  public int pageTargetBytes() {
    return pageTargetBytes;
  }

  /** The column family; only valid while {@link #checkLive()} passes under the lifecycle lock. */
  public ColumnFamilyHandle family() {
    return family;
  }

  public TableKeys keys() {
    return keys;
  }

  /** The current catalog entry. */
  public CatalogEntry entry() {
    return entry;
  }

  void entry(CatalogEntry entry) {
    this.entry = entry;
  }

  /** Throws {@link ResourceNotFoundException} once the table was deleted. */
  public void checkLive() {
    if (dropped) {
      throw new ResourceNotFoundException("Requested resource not found: Table: " + name + " not found");
    }
  }

  void markDropped() {
    dropped = true;
  }

  /**
   * Counts one seal under the primary data-key version and persists the count when due.
   *
   * @return the version to seal with
   * @throws StorageException when the version's nonce budget is spent
   */
  public int countSeal() {
    int version = keys.primaryVersion();
    SealBudget budget = keys.budget(version);
    boolean persist;
    try {
      persist = budget.countOne();
    } catch (IllegalStateException e) {
      throw new StorageException(
          "Data key version " + version + " of table " + name + " has sealed " + budget.count()
              + " records, the most random 96-bit nonces allow; the data key must be rotated");
    }
    if (persist) {
      catalog.persistSeals(this);
    }
    return version;
  }
}
