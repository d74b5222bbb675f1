package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A namespace of the RocksDB backend: a column family, and what error messages call it (the table
 * name once the catalog knows it, the table id before). Translates RocksDB's errors for it.
 */
final class RocksFamily implements RecordStore.Namespace {
  final ColumnFamilyHandle handle;
  final byte[] tableId;
  volatile String tableName;

  RocksFamily(ColumnFamilyHandle handle, byte[] tableId) {
    this.handle = handle;
    this.tableId = tableId;
    this.tableName = tableId == null ? null : "table id " + HexFormat.of().formatHex(tableId);
  }

  @Override
  public byte[] tableId() {
    return tableId == null ? null : tableId.clone();
  }

  /** Where {@code key} of this family is, for messages. */
  String describe(byte[] key) {
    return tableId == null ? RecordKeys.describeStoreKey(key) : RecordKeys.describeTableKey(key);
  }

  /**
   * A failed read at {@code where}: damaged data as {@link CorruptionException}, anything else as
   * {@link StorageException}.
   */
  RuntimeException readFailure(Path dir, String where, RocksDBException e) {
    if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
      String message =
          "RocksDB found damaged data in "
              + dir
              + " reading "
              + where
              + ": "
              + RocksStore.status(e);
      return new CorruptionException(
          tableName == null ? message + " (" + where + ")" : message, tableName, where, e);
    }
    return new StorageException(
        "Cannot read "
            + where
            + (tableName == null ? "" : " of " + tableName)
            + " from "
            + dir
            + ": "
            + RocksStore.status(e),
        e);
  }

  /** A failed write. */
  StorageException writeFailure(Path dir, RocksDBException e) {
    return new StorageException(
        "Cannot write "
            + (tableName == null ? "the store's records" : tableName)
            + " to "
            + dir
            + ": "
            + RocksStore.status(e),
        e);
  }
}
