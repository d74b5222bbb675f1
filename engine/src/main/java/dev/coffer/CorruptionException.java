package dev.coffer;

/**
 * A stored page or record failed its authentication tag or could not be parsed: the files were
 * modified, damaged, or moved from another place, table or store. The read returns no data at all
 * rather than wrong or partial data.
 */
public class CorruptionException extends CofferException {
  private static final long serialVersionUID = 1L;

  private final String tableName;
  private final String location;

  /**
   * @param message what failed
   * @param tableName the table, or null for store-level records
   * @param location where: e.g. {@code partition 3fa2...e1 node 0}
   */
  public CorruptionException(String message, String tableName, String location) {
    this(message, tableName, location, null);
  }

  public CorruptionException(String message, String tableName, String location, Throwable cause) {
    super(
        "CorruptionException",
        message + (tableName == null ? "" : " (table " + tableName + ", " + location + ")"),
        cause);
    this.tableName = tableName;
    this.location = location;
  }

  /** The table whose page failed, or null. */
  public String tableName() {
    return tableName;
  }

  /** The page location (partition token and node id). */
  public String location() {
    return location;
  }
}
