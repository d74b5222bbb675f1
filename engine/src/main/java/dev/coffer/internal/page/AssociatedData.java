package dev.coffer.internal.page;

import java.nio.ByteBuffer;

/**
 * The associated data of a sealed record. It is never stored: the reader rebuilds it from where it
 * found the record, so a record moved to another place, partition, table or store fails its tag.
 * Fixed layout, {@value #LENGTH} bytes, integers big-endian:
 *
 * <pre>
 * offset length field
 *   0      1    record kind: 1 page, 2 delta record, 3 catalog entry
 *   1      4    envelope format version (1)
 *   5      4    key version (data-key version; 1 for catalog entries)
 *   9     16    store id
 *  25     16    table id
 *  41     16    partition token (zeros for catalog entries)
 *  57      8    node id (0 for catalog entries)
 *  65      8    delta sequence number (0 for pages and catalog entries)
 * </pre>
 */
public final class AssociatedData {
  /** The length of the associated data. */
  public static final int LENGTH = 73;

  private static final byte[] ZERO_TOKEN = new byte[16];

  private AssociatedData() {}

  /** The associated data of a page or delta record. */
  public static byte[] of(
      RecordKind kind, int keyVersion, byte[] storeId, byte[] tableId, byte[] token, long nodeId, long deltaSeq) {
    check(storeId, "store id");
    check(tableId, "table id");
    check(token, "partition token");
    return ByteBuffer.allocate(LENGTH)
        .put((byte) kind.code())
        .putInt(SealedEnvelope.FORMAT_VERSION)
        .putInt(keyVersion)
        .put(storeId)
        .put(tableId)
        .put(token)
        .putLong(nodeId)
        .putLong(deltaSeq)
        .array();
  }

  /** The associated data of the catalog entry of table {@code tableId}. */
  public static byte[] catalog(int keyVersion, byte[] storeId, byte[] tableId) {
    return of(RecordKind.CATALOG, keyVersion, storeId, tableId, ZERO_TOKEN, 0, 0);
  }

  private static void check(byte[] id, String what) {
    if (id.length != 16) {
      throw new IllegalArgumentException(what + " must have 16 bytes, not " + id.length);
    }
  }
}
