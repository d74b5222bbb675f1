package dev.coffer.internal.record;

import dev.coffer.CorruptionException;

/**
 * One stored record of a table as {@link TableRecords#walk} found it, not opened yet. Immutable.
 */
public final class StoredRecord {
  private final TableRecords table;
  private final byte[] key;
  private final byte[] value;

  StoredRecord(TableRecords table, byte[] key, byte[] value) {
    this.table = table;
    this.key = key;
    this.value = value;
  }

  /** Whether the key has the shape of a node key (else it is a stray record). */
  public boolean isNode() {
    return RecordKeys.isNodeKey(key);
  }

  /** The partition token (the key's first 16 bytes, or all of a shorter key). */
  public byte[] token() {
    return RecordKeys.token(key);
  }

  /** The node id; only for {@linkplain #isNode() node} records. */
  public long nodeId() {
    return RecordKeys.nodeId(key);
  }

  /** Where the record is, for messages. */
  public String location() {
    return RecordKeys.describeTableKey(key);
  }

  /**
   * Opens the node, as {@link TableRecords#readNode} does.
   *
   * @throws CorruptionException when any of its records does not authenticate or parse
   */
  public <N> N open(NodeFactory<N> factory) {
    return table.openNode(token(), nodeId(), value, factory);
  }
}
