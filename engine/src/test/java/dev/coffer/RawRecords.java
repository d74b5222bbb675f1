package dev.coffer;

import java.util.List;
import java.util.Map;

/**
 * A closed store's records as someone with write access to where they live sees them (the RocksDB
 * files, or the shared backend's records), for the tamper tests: node keys ({@code token ||
 * nodeId}, 24 bytes) and their stored values per table, and the store's own records (header,
 * catalog). The same operations over either backend, so one suite runs against both.
 */
interface RawRecords extends AutoCloseable {
  /** The node keys of table {@code tableIdHex}, in key order. */
  List<byte[]> nodeKeys(String tableIdHex);

  /** The stored value of a node. */
  byte[] get(String tableIdHex, byte[] nodeKey);

  /** Replaces the stored value of a node. */
  void put(String tableIdHex, byte[] nodeKey, byte[] value);

  /**
   * The store's own records (keys as RecordKeys names them: {@code coffer/header}, {@code
   * coffer/catalog/...}).
   */
  Map<byte[], byte[]> storeRecords();

  /** Replaces one of the store's own records. */
  void putStoreRecord(byte[] key, byte[] value);

  @Override
  void close();
}
