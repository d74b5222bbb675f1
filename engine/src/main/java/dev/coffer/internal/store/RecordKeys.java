package dev.coffer.internal.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The RocksDB keys Coffer writes. In a table's column family:
 *
 * <pre>
 * node: partitionToken(16) || nodeId(8, big-endian)   24 bytes
 * </pre>
 *
 * whose value holds the sealed page and the leaf's delta records ({@code
 * dev.coffer.internal.page.NodeRecords}). In the default column family: {@code
 * "coffer/header"}, {@code "coffer/catalog/" || tableId(16)} and, only while CreateTable runs, the
 * sealed marker {@code "coffer/creating/" || tableId(16)}.
 */
public final class RecordKeys {
  /** Length of a page key. */
  public static final int PAGE_KEY_BYTES = 24;
  /** The store header's key. */
  public static final byte[] HEADER = "coffer/header".getBytes(StandardCharsets.US_ASCII);
  /** The prefix of catalog entry keys. */
  public static final byte[] CATALOG_PREFIX = "coffer/catalog/".getBytes(StandardCharsets.US_ASCII);

  private RecordKeys() {}

  /** The key of page {@code nodeId} of partition {@code token}. */
  public static byte[] page(byte[] token, long nodeId) {
    return ByteBuffer.allocate(PAGE_KEY_BYTES).put(token).putLong(nodeId).array();
  }

  /** The node id inside a page key. */
  public static long nodeId(byte[] key) {
    return ByteBuffer.wrap(key, 16, 8).getLong();
  }

  /** The partition token of a page key. */
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
