package dev.coffer.internal.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * <b>The one place that decides the key of a record.</b> In a table's namespace (a RocksDB column
 * family named by the table id in hex):
 *
 * <pre>
 * node: partitionToken(16) || nodeId(8, big-endian)   24 bytes
 * </pre>
 *
 * so a table's records sort by partition token, then node id. In the store's own namespace (the
 * default column family): {@code "coffer/header"}, {@code "coffer/state"}, {@code "coffer/catalog/"
 * || tableId(16)}, only while CreateTable runs, {@code "coffer/creating/" || tableId(16)}, and for
 * the ClientRequestTokens of the last 10 minutes {@code "coffer/token/" || digest(16)} (a keyed
 * digest of the token, never the token), and with freshness on the nodes of each table's freshness
 * map, {@code "coffer/fresh/" || tableId(16) || level(1) || index(4)} ({@link FreshNodes}). Nothing
 * outside this package builds or parses a key. Stateless.
 */
final class RecordKeys {
  /** Length of a partition token. */
  static final int TOKEN_BYTES = 16;

  /** Length of a node key. */
  static final int NODE_KEY_BYTES = TOKEN_BYTES + 8;

  /** Length of a table id. */
  static final int TABLE_ID_BYTES = 16;

  /** The store header's key. */
  static final byte[] HEADER = ascii("coffer/header");

  /** The sealed store state's key. */
  static final byte[] STATE = ascii("coffer/state");

  /** The prefix of catalog entry keys. */
  static final byte[] CATALOG_PREFIX = ascii("coffer/catalog/");

  /** The prefix of the keys of "creating" markers. */
  static final byte[] CREATING_PREFIX = ascii("coffer/creating/");

  /** The prefix of the keys of ClientRequestToken records. */
  static final byte[] TOKEN_PREFIX = ascii("coffer/token/");

  /** The prefix of the keys of freshness-map nodes ({@link FreshTree}). */
  static final byte[] FRESH_PREFIX = ascii("coffer/fresh/");

  /** Length of the keyed digest of a ClientRequestToken in its record's key. */
  static final int TOKEN_DIGEST_BYTES = 16;

  private RecordKeys() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The key of node {@code nodeId} of partition {@code token}. */
  static byte[] node(byte[] token, long nodeId) {
    byte[] key = new byte[NODE_KEY_BYTES];
    System.arraycopy(token, 0, key, 0, TOKEN_BYTES);
    for (int i = 0; i < 8; i++) {
      key[TOKEN_BYTES + i] = (byte) (nodeId >>> (56 - 8 * i));
    }
    return key;
  }

  /** The first key a partition can have: its token followed by node id 0. */
  static byte[] partitionStart(byte[] token) {
    return Arrays.copyOf(token, NODE_KEY_BYTES);
  }

  /**
   * A key above every node of partition {@code token} and below every key of the next partition.
   */
  static byte[] afterPartition(byte[] token) {
    byte[] key = Arrays.copyOf(token, NODE_KEY_BYTES + 1);
    Arrays.fill(key, TOKEN_BYTES, key.length, (byte) 0xFF);
    return key;
  }

  /** Whether {@code key} has the shape of a node key. */
  static boolean isNodeKey(byte[] key) {
    return key.length == NODE_KEY_BYTES;
  }

  /** The partition token of a node key. */
  static byte[] token(byte[] key) {
    return Arrays.copyOf(key, TOKEN_BYTES);
  }

  /** The node id of a node key. */
  static long nodeId(byte[] key) {
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (key[TOKEN_BYTES + i] & 0xFF);
    }
    return id;
  }

  /** Whether node key {@code key} belongs to partition {@code token}. */
  static boolean inPartition(byte[] key, byte[] token) {
    return key.length >= TOKEN_BYTES && Arrays.equals(key, 0, TOKEN_BYTES, token, 0, TOKEN_BYTES);
  }

  /** The key of a table's catalog entry. */
  static byte[] catalog(byte[] tableId) {
    return concat(CATALOG_PREFIX, tableId);
  }

  /**
   * The key of node {@code index} at level {@code level} of table {@code tableId}'s freshness map:
   * {@code "coffer/fresh/" || tableId(16) || level(1) || index(4, big-endian)}.
   */
  static byte[] freshNode(byte[] tableId, int level, int index) {
    byte[] key = Arrays.copyOf(concat(FRESH_PREFIX, tableId), FRESH_PREFIX.length + 21);
    key[FRESH_PREFIX.length + 16] = (byte) level;
    for (int i = 0; i < 4; i++) {
      key[FRESH_PREFIX.length + 17 + i] = (byte) (index >>> (24 - 8 * i));
    }
    return key;
  }

  /** The prefix of every freshness-map node key of table {@code tableId}. */
  static byte[] freshPrefix(byte[] tableId) {
    return concat(FRESH_PREFIX, tableId);
  }

  /** The key of a table's "creating" marker. */
  static byte[] creating(byte[] tableId) {
    return concat(CREATING_PREFIX, tableId);
  }

  /** The key of the record of the ClientRequestToken whose keyed digest is {@code digest}. */
  static byte[] clientToken(byte[] digest) {
    if (digest.length != TOKEN_DIGEST_BYTES) {
      throw new IllegalArgumentException("a token digest has 16 bytes, not " + digest.length);
    }
    byte[] key = Arrays.copyOf(TOKEN_PREFIX, TOKEN_PREFIX.length + TOKEN_DIGEST_BYTES);
    System.arraycopy(digest, 0, key, TOKEN_PREFIX.length, TOKEN_DIGEST_BYTES);
    return key;
  }

  /** The keyed digest in a key made by {@link #clientToken}, or null for another key. */
  static byte[] tokenDigestAfter(byte[] key) {
    if (!startsWith(key, TOKEN_PREFIX) || key.length != TOKEN_PREFIX.length + TOKEN_DIGEST_BYTES) {
      return null;
    }
    return Arrays.copyOfRange(key, TOKEN_PREFIX.length, key.length);
  }

  /**
   * The table id in a key made by {@link #catalog} or {@link #creating}, or null for another key.
   */
  static byte[] tableIdAfter(byte[] prefix, byte[] key) {
    if (!startsWith(key, prefix) || key.length != prefix.length + TABLE_ID_BYTES) {
      return null;
    }
    return Arrays.copyOfRange(key, prefix.length, key.length);
  }

  /** Whether {@code key} starts with {@code prefix}. */
  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] prefix, byte[] id) {
    if (id.length != TABLE_ID_BYTES) {
      throw new IllegalArgumentException("a table id has 16 bytes, not " + id.length);
    }
    byte[] key = Arrays.copyOf(prefix, prefix.length + TABLE_ID_BYTES);
    System.arraycopy(id, 0, key, prefix.length, TABLE_ID_BYTES);
    return key;
  }

  /** Where a freshness-map node sits, for messages. */
  static String describeFreshNode(byte[] tableId, int level, int index) {
    return "freshness map of table id "
        + HexFormat.of().formatHex(tableId)
        + " level "
        + level
        + " node "
        + index;
  }

  /** Where a table record sits, for messages: {@code partition <token hex> node <id>}. */
  static String describeNode(byte[] token, long nodeId) {
    return "partition " + HexFormat.of().formatHex(token) + " node " + nodeId;
  }

  /** Where a delta record sits, for messages. */
  static String describeDelta(byte[] token, long nodeId, long seq) {
    return describeNode(token, nodeId) + " delta " + seq;
  }

  /**
   * Where any key of a table's namespace sits, for messages (node keys as {@link #describeNode}).
   */
  static String describeTableKey(byte[] key) {
    if (key == null) {
      return "the first partition";
    }
    if (isNodeKey(key)) {
      return describeNode(token(key), nodeId(key));
    }
    return "record key " + HexFormat.of().formatHex(key);
  }

  /** Where a key of the store's own namespace sits, for messages. */
  static String describeStoreKey(byte[] key) {
    if (key == null) {
      return "the store's records";
    }
    if (Arrays.equals(key, HEADER)) {
      return "store header";
    }
    if (Arrays.equals(key, STATE)) {
      return "store state";
    }
    byte[] id = tableIdAfter(CATALOG_PREFIX, key);
    if (id != null) {
      return "catalog entry " + HexFormat.of().formatHex(id);
    }
    id = tableIdAfter(CREATING_PREFIX, key);
    if (id != null) {
      return "creation marker of table id " + HexFormat.of().formatHex(id);
    }
    if (startsWith(key, TOKEN_PREFIX)) {
      return "ClientRequestToken record";
    }
    if (startsWith(key, FRESH_PREFIX) && key.length == FRESH_PREFIX.length + 21) {
      return describeFreshNode(
          Arrays.copyOfRange(key, FRESH_PREFIX.length, FRESH_PREFIX.length + 16),
          key[FRESH_PREFIX.length + 16],
          ByteBuffer.wrap(key, FRESH_PREFIX.length + 17, 4).getInt());
    }
    return "store record";
  }
}
