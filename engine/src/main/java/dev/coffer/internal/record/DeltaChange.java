package dev.coffer.internal.record;

import com.google.protobuf.ByteString;

/**
 * One opened delta record: its sequence number and an entry to put, or the sort key of an entry to
 * delete (exactly one is not null). Immutable.
 */
public record DeltaChange(long seq, Entry put, ByteString deleteSortKey) {
  /** The sort key the change is about. */
  public ByteString sortKey() {
    return put != null ? put.sortKey() : deleteSortKey;
  }
}
