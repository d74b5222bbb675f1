package dev.coffer.internal.record;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * <b>The one place that decides where a record goes on a shared backend</b> ({@code
 * dev.coffer.spi.RecordBackend}: records with a binary partition key and sort key). {@link
 * RecordKeys} decides the record's key as the engine names it; this class maps it. Layout 2 (store
 * format 4; the header's format version tells it from layout 1, see {@code
 * StoreBootstrap.formatVersion}):
 *
 * <pre>
 * what                     partition key                          sort key
 * node of a table          tableKey(4) || token(16)      20 bytes  nodeId(8); the root: 0x00 (1 byte)
 * partition index entry    tableKey(4) || bucket(1)       5 bytes  token(16)           (bucket = token[0] >>> 4)
 * store record             "coffer/store"                12 bytes  the RecordKeys key  (header, catalog, markers)
 * table namespace          "coffer/meta"                 11 bytes  "namespace/" || tableId(16)
 * table key reservation    "coffer/meta"                 11 bytes  "tablekey/" || tableKey(4)
 * lease                    "coffer/meta"                 11 bytes  "lease/" || name
 * chunk of a large value   its record's partition key || 0x00      its sort key || chunkSet(8) || index(2)
 * </pre>
 *
 * The <b>table key</b> is the first {@value #TABLE_KEY_BYTES} bytes of the table's 16-byte random
 * id: a table is created only when no table of the store ever had the same table key (the
 * reservation record, written when the table is created and never deleted), so a table key names
 * one table for the life of the store, and the records of a deleted table a crash left behind are
 * never taken for a later table's. The full table id still goes into every record's associated
 * data.
 *
 * <p>Partition keys of different kinds differ in length, so they never collide. Non-root node ids
 * on a shared backend are fresh for every write ({@link #freshNodeId}): the milliseconds since
 * 2024-01-01 in the high 41 bits (so a sweep can tell a young node from a crashed writer's old
 * orphan), 21 random bits, and a low bit that says whether the node's value is split into chunks;
 * never 0, so the root's one-byte sort key sorts before every other node's. Stateless.
 */
final class SharedKeys {
  /** The store's own records (header, catalog entries, markers) live in this partition. */
  static final byte[] STORE_PARTITION = ascii("coffer/store");

  /** Namespaces and leases. */
  static final byte[] META_PARTITION = ascii("coffer/meta");

  /** The prefix of a table namespace's registration in {@link #META_PARTITION}. */
  static final byte[] NAMESPACE_PREFIX = ascii("namespace/");

  /** The prefix of a lease in {@link #META_PARTITION}. */
  static final byte[] LEASE_PREFIX = ascii("lease/");

  /** The prefix of a table key's reservation in {@link #META_PARTITION}. */
  static final byte[] TABLE_KEY_PREFIX = ascii("tablekey/");

  /** The bytes of a table id that name a table in partition keys. */
  static final int TABLE_KEY_BYTES = 4;

  /** The length of a node partition key. */
  static final int NODE_PARTITION_BYTES = TABLE_KEY_BYTES + RecordKeys.TOKEN_BYTES;

  /** The length of an index partition key. */
  static final int INDEX_PARTITION_BYTES = TABLE_KEY_BYTES + 1;

  /** The sort key of a partition's root. */
  private static final byte[] ROOT_SORT = {0};

  /** Index buckets per table (by the first four bits of the token). */
  static final int BUCKETS = 16;

  /** 2024-01-01T00:00:00Z, the epoch of fresh node ids. */
  static final long ID_EPOCH_MILLIS = 1_704_067_200_000L;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SharedKeys() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The partition key of the nodes of partition {@code token} of table {@code tableId} (the table's
   * id, or its table key: only the first {@value #TABLE_KEY_BYTES} bytes are used).
   */
  static byte[] nodePartition(byte[] tableId, byte[] token) {
    byte[] pk = Arrays.copyOf(tableId, NODE_PARTITION_BYTES);
    System.arraycopy(token, 0, pk, TABLE_KEY_BYTES, RecordKeys.TOKEN_BYTES);
    return pk;
  }

  /** The table key of table {@code tableId} (its first {@value #TABLE_KEY_BYTES} bytes). */
  static byte[] tableKey(byte[] tableId) {
    return Arrays.copyOf(tableId, TABLE_KEY_BYTES);
  }

  /** The sort key of the reservation of table {@code tableId}'s table key. */
  static byte[] tableKeySort(byte[] tableId) {
    byte[] sk = Arrays.copyOf(TABLE_KEY_PREFIX, TABLE_KEY_PREFIX.length + TABLE_KEY_BYTES);
    System.arraycopy(tableId, 0, sk, TABLE_KEY_PREFIX.length, TABLE_KEY_BYTES);
    return sk;
  }

  /** The sort key of node {@code nodeId}: 8 bytes, or the single byte 0 for the root. */
  static byte[] nodeSort(long nodeId) {
    if (nodeId == 0) {
      return ROOT_SORT.clone();
    }
    byte[] sk = new byte[8];
    for (int i = 0; i < 8; i++) {
      sk[i] = (byte) (nodeId >>> (56 - 8 * i));
    }
    return sk;
  }

  /** The node id of a node sort key. */
  static long nodeId(byte[] sortKey) {
    if (sortKey.length == 1) {
      return 0;
    }
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (sortKey[i] & 0xFF);
    }
    return id;
  }

  /**
   * The backend sort key at which to start reading a node partition for the records whose node id
   * (8 bytes) is at or after {@code idBytes} (a prefix of one, or longer): the root's one-byte sort
   * key when nothing but the root can come first.
   */
  static byte[] nodeSortFrom(byte[] idBytes) {
    for (byte b : idBytes) {
      if (b != 0) {
        return idBytes;
      }
    }
    return idBytes.length <= 8 ? ROOT_SORT.clone() : idBytes;
  }

  /** The 8-byte node id of a node sort key, as {@link RecordKeys} writes it. */
  static byte[] idBytes(byte[] sortKey) {
    return sortKey.length == 1 ? new byte[8] : sortKey;
  }

  /** The index bucket of a token. */
  static int bucket(byte[] token) {
    return (token[0] & 0xFF) >>> 4;
  }

  /**
   * The partition key of index bucket {@code bucket} of table {@code tableId} (its id, or its table
   * key).
   */
  static byte[] indexPartition(byte[] tableId, int bucket) {
    byte[] pk = Arrays.copyOf(tableId, INDEX_PARTITION_BYTES);
    pk[TABLE_KEY_BYTES] = (byte) bucket;
    return pk;
  }

  /** The sort key of a table's registration in {@link #META_PARTITION}. */
  static byte[] namespaceSort(byte[] tableId) {
    byte[] sk =
        Arrays.copyOf(NAMESPACE_PREFIX, NAMESPACE_PREFIX.length + RecordKeys.TABLE_ID_BYTES);
    System.arraycopy(tableId, 0, sk, NAMESPACE_PREFIX.length, RecordKeys.TABLE_ID_BYTES);
    return sk;
  }

  /** The sort key of the lease named {@code name} in {@link #META_PARTITION}. */
  static byte[] leaseSort(String name) {
    byte[] n = ascii(name);
    byte[] sk = Arrays.copyOf(LEASE_PREFIX, LEASE_PREFIX.length + n.length);
    System.arraycopy(n, 0, sk, LEASE_PREFIX.length, n.length);
    return sk;
  }

  /** The partition key of the chunks of the records of partition {@code pk}. */
  static byte[] chunkPartition(byte[] pk) {
    return Arrays.copyOf(pk, pk.length + 1);
  }

  /**
   * The sort key of chunk {@code index} of chunk set {@code chunkSet} of the record with sort key
   * {@code sk}.
   */
  static byte[] chunkSort(byte[] sk, long chunkSet, int index) {
    byte[] out = Arrays.copyOf(sk, sk.length + 10);
    for (int i = 0; i < 8; i++) {
      out[sk.length + i] = (byte) (chunkSet >>> (56 - 8 * i));
    }
    out[sk.length + 8] = (byte) (index >>> 8);
    out[sk.length + 9] = (byte) index;
    return out;
  }

  /**
   * A fresh id for a non-root node written now: {@code millis since 2024 (41 bits) || random (21
   * bits) || chunked (1 bit)}, never 0.
   */
  static long freshNodeId(long nowMillis, boolean chunked) {
    long millis = Math.max(1, nowMillis - ID_EPOCH_MILLIS) & ((1L << 41) - 1);
    long random = RANDOM.nextInt(1 << 21);
    return (millis << 22) | (random << 1) | (chunked ? 1 : 0);
  }

  /** When a node id made by {@link #freshNodeId} was made (milliseconds since the Unix epoch). */
  static long nodeIdMillis(long nodeId) {
    return (nodeId >>> 22) + ID_EPOCH_MILLIS;
  }

  /** Whether the node with this id has its value split into chunks. */
  static boolean chunked(long nodeId) {
    return (nodeId & 1) == 1;
  }

  /** A random 64-bit value (chunk set ids, versions of blind writes, instance ids). */
  static long randomLong() {
    return RANDOM.nextLong();
  }
}
