package dev.coffer.internal.record;

/**
 * Ordered iteration over one namespace of a {@link RecordStore}. A failure of the backend (a
 * damaged block, an I/O error) is thrown as {@code CorruptionException} or {@code StorageException}
 * by the call that met it, never shown as the end of the data. Not thread-safe; close it after use.
 */
public interface RecordCursor extends AutoCloseable {
  /** Moves to the first record. */
  void seekToFirst();

  /** Moves to the first record whose key is at or after {@code key}. */
  void seek(byte[] key);

  /** Whether the cursor is at a record (false at the end). */
  boolean valid();

  /** Moves to the next record. */
  void next();

  /** The current record's key. */
  byte[] key();

  /** The current record's value. */
  byte[] value();

  @Override
  void close();
}
