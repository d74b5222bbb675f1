package dev.coffer;

/**
 * The storage layer (RocksDB, the file system) failed: a file could not be read or written, the
 * store is locked by another process, or the disk is full. The message says what failed and where;
 * the RocksDB error is the cause. {@link #errorCode()} is {@code InternalServerError}, as DynamoDB
 * names server-side failures.
 */
public class StorageException extends CofferException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super("InternalServerError", message);
  }

  public StorageException(String message, Throwable cause) {
    super("InternalServerError", message, cause);
  }
}
