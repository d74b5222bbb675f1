package dev.coffer;

/**
 * The store directory is already open: RocksDB holds a lock on its {@code LOCK} file for as long as
 * the store is open, in another process or in this one. Close the other {@link Coffer} (or the
 * process) first. {@link #errorCode()} is {@code InternalServerError}, as for every {@link
 * StorageException}.
 */
public class StoreLockedException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StoreLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
