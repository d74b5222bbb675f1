package dev.coffer.internal.record;

import dev.coffer.CorruptionException;

/** What {@link TableRecords#walk} meets, in key order. Implementations do not throw. */
public interface RecordWalker {
  /** One stored record of the table: a node, or a key of another shape. */
  void record(StoredRecord record);

  /**
   * Records the backend could not read (a damaged block): every partition from {@code firstToken}
   * to {@code lastToken} (inclusive) may have lost some of its nodes.
   */
  void unreadable(byte[] firstToken, byte[] lastToken, CorruptionException cause);
}
