package dev.coffer.internal.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RocksDB keys Coffer writes. In a table's column family:
 *
 * <pre>
 * page:         partitionToken(16) || nodeId(8, big-endian)                     24 bytes
 * delta record: partitionToken(16) || nodeId(8, big-endian) || deltaSeq(8, BE)  32 bytes
 * </pre>
 *
 * so a leaf's delta records follow the leaf in key order. In the default column family: {@code
 * "coffer/header"} and {@code "coffer/catalog/" || tableId(16)}.
 */
public final class RecordKeys {
  /** Length of a page key. */
  public static final int PAGE_KEY_BYTES = 24;
  /** Length of a delta-record key. */
  public static final int DELTA_KEY_BYTES = 32;
  /** The store header's key. */
  public static final byte[] HEADER = "coffer/header".getBytes(StandardCharsets.US_ASCII);
  /** The prefix of catalog entry keys. */
  public static final byte[] CATALOG_PREFIX = "coffer/catalog/".getBytes(StandardCharsets.US_ASCII);

  private RecordKeys() {}

  /** The key of page {@code nodeId} of partition {@code token}. */
  public static byte[] page(byte[] token, long nodeId) {
    return ByteBuffer.allocate(PAGE_KEY_BYTES).put(token).putLong(nodeId).array();
  }

  /** The key of delta record {@code seq} of leaf {@code nodeId}. */
  public static byte[] delta(byte[] token, long nodeId, long seq) {
    return ByteBuffer.allocate(DELTA_KEY_BYTES).put(token).putLong(nodeId).putLong(seq).array();
  }

  /** The node id inside a page or delta key. */
  public static long nodeId(byte[] key) {
    return ByteBuffer.wrap(key, 16, 8).getLong();
  }

  /** The delta sequence number inside a delta key. */
  public static long deltaSeq(byte[] key) {
    return ByteBuffer.wrap(key, 24, 8).getLong();
  }

  /** The partition token of a page or delta key. */
  public static byte[] token(byte[] key) {
    return Arrays.copyOf(key, 16);
  }

  /** The key of a table's catalog entry. */
  public static byte[] catalog(byte[] tableId) {
    return ByteBuffer.allocate(CATALOG_PREFIX.length + 16).put(CATALOG_PREFIX).put(tableId).array();
  }

  /** Whether {@code key} starts with {@code prefix}. */
  public static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
