package dev.coffer.internal.record;

/**
 * <b>The one place that decides the associated data of a sealed record.</b> It is never stored: the
 * reader rebuilds it from where it found the record, so a record moved to another place, partition,
 * table or store, or presented as another kind, fails its tag. Fixed layout, {@value #LENGTH}
 * bytes, integers big-endian:
 *
 * <pre>
 * offset length field
 *   0      1    record kind: 1 page, 2 delta record, 3 catalog record, 4 store state, 5 rollback anchor,
 *                6 ClientRequestToken record
 *   1      4    envelope format version (of the envelope that holds the record: 2, or 1 for older records)
 *   5      4    key version (data-key version; 1 for catalog records)
 *   9     16    store id
 *  25     16    table id (zeros for the store state and the rollback anchor)
 *  41     16    partition token (zeros for catalog records; the token's keyed digest for a token record)
 *  57      8    node id (0 for a catalog entry, 1 for a table's "creating" marker)
 *  65      8    delta sequence number (0 for pages and catalog records)
 * </pre>
 *
 * Stateless.
 */
final class AssociatedData {
  /** The length of the associated data. */
  static final int LENGTH = 73;

  /** What a sealed record is: the first byte of its associated data, so kinds cannot be swapped. */
  enum Kind {
    /** A B+tree page (leaf or inner node) of a partition. */
    PAGE(1),
    /** A delta record appended to a leaf. */
    DELTA(2),
    /** A catalog entry or "creating" marker (sealed with the catalog key). */
    CATALOG(3),
    /** The store's sealed state (sealed with the catalog key). */
    STORE_STATE(4),
    /**
     * The store's rollback anchor, kept outside the store directory (sealed with the catalog key).
     */
    ROLLBACK_ANCHOR(5),
    /**
     * The record of a TransactWriteItems ClientRequestToken (sealed with the catalog key, bound to
     * the keyed digest its key holds).
     */
    CLIENT_TOKEN(6);

    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  /** The node id of a "creating" marker's associated data, which tells it apart from the entry. */
  static final long MARKER_NODE_ID = 1;

  private static final byte[] ZERO_TOKEN = new byte[16];

  private AssociatedData() {}

  /** The associated data of a page or delta record. */
  static byte[] of(
      Kind kind,
      int keyVersion,
      byte[] storeId,
      byte[] tableId,
      byte[] token,
      long nodeId,
      long deltaSeq) {
    check(storeId, "store id");
    check(tableId, "table id");
    check(token, "partition token");
    byte[] ad = new byte[LENGTH];
    ad[0] = (byte) kind.code;
    putInt(ad, 1, RecordFormat.ENVELOPE_VERSION);
    putInt(ad, 5, keyVersion);
    System.arraycopy(storeId, 0, ad, 9, 16);
    System.arraycopy(tableId, 0, ad, 25, 16);
    System.arraycopy(token, 0, ad, 41, 16);
    putLong(ad, 57, nodeId);
    putLong(ad, 65, deltaSeq);
    return ad;
  }

  /**
   * {@code ad} (built by this class for the version written) for a record in an envelope of format
   * {@code envelopeVersion}: the same array when that is the version written, else a copy with it.
   */
  static byte[] forEnvelope(byte[] ad, int envelopeVersion) {
    if (envelopeVersion == RecordFormat.ENVELOPE_VERSION) {
      return ad;
    }
    byte[] copy = ad.clone();
    putInt(copy, 1, envelopeVersion);
    return copy;
  }

  /** The associated data of table {@code tableId}'s catalog entry. */
  static byte[] catalogEntry(int keyVersion, byte[] storeId, byte[] tableId) {
    return of(Kind.CATALOG, keyVersion, storeId, tableId, ZERO_TOKEN, 0, 0);
  }

  /** The associated data of the store's sealed state. */
  static byte[] storeState(int keyVersion, byte[] storeId) {
    return of(Kind.STORE_STATE, keyVersion, storeId, ZERO_TOKEN, ZERO_TOKEN, 0, 0);
  }

  /** The associated data of the store's rollback anchor. */
  static byte[] rollbackAnchor(int keyVersion, byte[] storeId) {
    return of(Kind.ROLLBACK_ANCHOR, keyVersion, storeId, ZERO_TOKEN, ZERO_TOKEN, 0, 0);
  }

  /** The associated data of the token record whose key holds keyed digest {@code digest}. */
  static byte[] clientToken(int keyVersion, byte[] storeId, byte[] digest) {
    return of(Kind.CLIENT_TOKEN, keyVersion, storeId, ZERO_TOKEN, digest, 0, 0);
  }

  /** The associated data of table {@code tableId}'s "creating" marker. */
  static byte[] creatingMarker(int keyVersion, byte[] storeId, byte[] tableId) {
    return of(Kind.CATALOG, keyVersion, storeId, tableId, ZERO_TOKEN, MARKER_NODE_ID, 0);
  }

  private static void putInt(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (24 - 8 * i));
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static void check(byte[] id, String what) {
    if (id.length != 16) {
      throw new IllegalArgumentException(what + " must have 16 bytes, not " + id.length);
    }
  }
}
