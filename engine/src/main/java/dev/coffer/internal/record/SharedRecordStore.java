package dev.coffer.internal.record;

import com.github.benmanes.caffeine.cache.Cache;
import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.WriteCondition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record store over a shared {@link RecordBackend} (DynamoDB, or any backend of the SPI), which
 * several Coffer instances write at once. Records are laid out as {@link SharedKeys} says; values
 * larger than the backend's limit are split into chunks ({@link SharedValues}); a table namespace
 * is iterated in key order through its partition index ({@link SharedCursors}), since a backend
 * orders records within a partition only.
 *
 * <p>What it does not do, compared with RocksDB: {@link #append} (delta records are not written to
 * a shared backend: every change there is a copy-on-write of the partition's path, see {@code
 * SharedTableRecords}), atomic batches ({@link #commit} applies the operations one by one, in
 * order; the callers that use it on a shared store are crash-safe in that order), snapshots
 * (cursors read the current state, page by page), flushes and compactions (no-ops: the backend
 * stores durably, and deleted records are gone).
 *
 * <p>Thread-safe. Owns the backend when it was opened from a URI.
 */
public final class SharedRecordStore implements RecordStore {
  private final RecordBackend backend;
  private final boolean ownsBackend;
  private final SharedValues values;
  private final SharedGarbage garbage;
  private final Space store = new Space(null, null);
  private final Map<String, Space> tables = new ConcurrentHashMap<>();
  private final Cache<ByteBuffer, Boolean> knownRoots = SharedBlindWrites.knownRoots();
  private volatile KeyCatchUp keyCatchUp = (tableId, keyVersion) -> false;

  /**
   * What a reader does when a record of a table names a data-key version the table's keys in this
   * instance lack: on a shared backend that is, first of all, another instance's rotation this one
   * has not read yet (it seals under the new version as soon as the catalog entry naming it is
   * written, while this instance reads the catalog again only once per access re-check interval).
   * The catalog installs it ({@link #keyCatchUp(KeyCatchUp)}).
   */
  @FunctionalInterface
  public interface KeyCatchUp {
    /**
     * Reads the catalog again when {@code keyVersion} may be a version of table {@code tableId}
     * this instance has not seen yet (a newer one), so that its key is there when this returns;
     * does nothing when it cannot be (a version this instance knows destroyed). One call reads the
     * catalog at most once; it never loops.
     *
     * @return whether the catalog was read again (by this call, or by another thread meanwhile)
     * @throws RuntimeException what reading the catalog or unwrapping the key throws, or {@code
     *     ResourceNotFoundException} when the table turns out to be deleted
     */
    boolean catchUp(byte[] tableId, int keyVersion);
  }

  /** A namespace: the store's own records, or one table's. */
  static final class Space implements Namespace {
    final byte[] tableId;
    final String tableName;

    Space(byte[] tableId, String tableName) {
      this.tableId = tableId;
      this.tableName = tableName;
    }

    @Override
    public byte[] tableId() {
      return tableId == null ? null : tableId.clone();
    }
  }

  private SharedRecordStore(RecordBackend backend, boolean ownsBackend) {
    this.backend = backend;
    this.ownsBackend = ownsBackend;
    this.values = new SharedValues(backend);
    this.garbage = new SharedGarbage(this);
  }

  /** A record store over {@code backend}; closing it closes the backend when {@code owns}. */
  static SharedRecordStore open(RecordBackend backend, boolean owns) {
    return new SharedRecordStore(backend, owns);
  }

  @Override
  public SharedRecordStore shared() {
    return this;
  }

  RecordBackend backend() {
    return backend;
  }

  /**
   * Installs what readers call on a record under a data-key version they lack ({@link KeyCatchUp}).
   */
  public void keyCatchUp(KeyCatchUp catchUp) {
    this.keyCatchUp = catchUp;
  }

  /**
   * Calls the installed {@link KeyCatchUp} for table {@code tableId} and {@code keyVersion}.
   *
   * @return whether the catalog was read again
   */
  boolean catchUpKeys(byte[] tableId, int keyVersion) {
    return keyCatchUp.catchUp(tableId, keyVersion);
  }

  SharedValues values() {
    return values;
  }

  /** The partitions whose root this instance wrote or read lately ({@link SharedBlindWrites}). */
  Cache<ByteBuffer, Boolean> knownRoots() {
    return knownRoots;
  }

  SharedGarbage garbage() {
    return garbage;
  }

  /** The grace period before unreachable records are deleted, in milliseconds. */
  public long garbageGraceMillis() {
    return garbage.graceMillis();
  }

  /** Sets the grace period before unreachable records are deleted (from the store's options). */
  public void garbageGraceMillis(long millis) {
    garbage.graceMillis(millis);
  }

  /** Unreachable records waiting for their grace period to end. */
  public int pendingGarbage() {
    return garbage.pending();
  }

  @Override
  public List<String> recoveryNotes() {
    return List.of();
  }

  @Override
  public String location() {
    return backend.location();
  }

  @Override
  public Namespace storeNamespace() {
    return store;
  }

  @Override
  public List<byte[]> tableIds() {
    List<byte[]> ids = new ArrayList<>();
    byte[] after = null;
    while (true) {
      List<BackendRecord> page =
          after == null
              ? backend.query(SharedKeys.META_PARTITION, SharedKeys.NAMESPACE_PREFIX, true, 500)
              : backend.query(SharedKeys.META_PARTITION, after, false, 500);
      if (page.isEmpty()) {
        return ids;
      }
      for (BackendRecord r : page) {
        byte[] sk = r.sortKey();
        if (!RecordKeys.startsWith(sk, SharedKeys.NAMESPACE_PREFIX)) {
          return ids;
        }
        if (sk.length == SharedKeys.NAMESPACE_PREFIX.length + RecordKeys.TABLE_ID_BYTES) {
          ids.add(Arrays.copyOfRange(sk, SharedKeys.NAMESPACE_PREFIX.length, sk.length));
        }
        after = sk;
      }
    }
  }

  @Override
  public Namespace table(byte[] tableId, String tableName) {
    String hex = HexFormat.of().formatHex(tableId);
    Space known = tables.get(hex);
    if (known != null) {
      return known;
    }
    if (backend.get(SharedKeys.META_PARTITION, SharedKeys.namespaceSort(tableId)) == null) {
      return null;
    }
    return tables.computeIfAbsent(hex, h -> new Space(tableId.clone(), tableName));
  }

  /** Whether no table of this store ever had {@code tableId}'s table key ({@link SharedKeys}). */
  @Override
  public boolean tableIdUsable(byte[] tableId) {
    return backend.get(SharedKeys.META_PARTITION, SharedKeys.tableKeySort(tableId)) == null;
  }

  /**
   * Reserves the table's table key for good (the record is never deleted, so no later table takes
   * it while records of this one may remain), then registers the namespace.
   *
   * @throws StorageException when another table of the store took the same table key meanwhile
   */
  @Override
  public Namespace createTable(byte[] tableId, String tableName) {
    byte[] reservation = SharedKeys.tableKeySort(tableId);
    try {
      backend.put(
          BackendRecord.of(SharedKeys.META_PARTITION, reservation, tableId.clone(), 0),
          WriteCondition.absent());
    } catch (ConditionFailedException e) {
      BackendRecord held = backend.get(SharedKeys.META_PARTITION, reservation);
      if (held == null || !Arrays.equals(held.value(), tableId)) {
        throw new StorageException(
            "CreateTable "
                + tableName
                + ": another table of the store took the same table key "
                + HexFormat.of().formatHex(SharedKeys.tableKey(tableId))
                + " meanwhile; try again",
            e);
      }
    }
    backend.put(
        BackendRecord.of(
            SharedKeys.META_PARTITION, SharedKeys.namespaceSort(tableId), new byte[] {1}, 0),
        WriteCondition.none());
    return tables.computeIfAbsent(
        HexFormat.of().formatHex(tableId), h -> new Space(tableId.clone(), tableName));
  }

  /**
   * Deletes every record of table {@code tableId}: each partition its index lists (nodes and
   * chunks), the index, and the namespace's registration. Records of partitions the index does not
   * list (an instance that wrote after the table was dropped, before it saw the drop, or a root
   * whose entry a blind write of an earlier version lost in a crash) are left to {@code
   * Coffer.collectGarbage()}; they are sealed under keys the drop destroyed.
   *
   * @throws CorruptionException when the table key's reservation record is missing or names another
   *     table id (records are found by table key, so they would not be this table's), before
   *     anything is deleted
   */
  @Override
  public void dropTable(byte[] tableId) {
    // Records are deleted by their table key (4 bytes of the id): make sure it is this table's.
    BackendRecord held = backend.get(SharedKeys.META_PARTITION, SharedKeys.tableKeySort(tableId));
    if (held == null || !Arrays.equals(held.value(), tableId)) {
      String id = HexFormat.of().formatHex(tableId);
      throw malformed(
          "DeleteTable: the reservation of table key "
              + HexFormat.of().formatHex(SharedKeys.tableKey(tableId))
              + (held == null ? " is missing" : " names another table")
              + ", so the records under that key may not be table "
              + id
              + "'s; nothing was deleted",
          id,
          "shared backend, table key reservation");
    }
    for (int bucket = 0; bucket < SharedKeys.BUCKETS; bucket++) {
      byte[] indexPk = SharedKeys.indexPartition(tableId, bucket);
      while (true) {
        List<BackendRecord> entries = backend.query(indexPk, null, true, 200);
        if (entries.isEmpty()) {
          break;
        }
        List<BackendKey> done = new ArrayList<>();
        for (BackendRecord e : entries) {
          deletePartition(SharedKeys.nodePartition(tableId, e.sortKey()));
          done.add(e.key());
        }
        backend.deleteAll(done);
      }
    }
    backend.delete(
        SharedKeys.META_PARTITION, SharedKeys.namespaceSort(tableId), WriteCondition.none());
    tables.remove(HexFormat.of().formatHex(tableId));
  }

  /** Deletes every record (and chunk) of one backend partition. */
  void deletePartition(byte[] pk) {
    for (byte[] p : List.of(pk, SharedKeys.chunkPartition(pk))) {
      while (true) {
        List<BackendRecord> page = backend.query(p, null, true, 200);
        if (page.isEmpty()) {
          break;
        }
        List<BackendKey> keys = new ArrayList<>(page.size());
        page.forEach(r -> keys.add(r.key()));
        backend.deleteAll(keys);
      }
    }
  }

  // ------------------------------------------------------------------------ RecordStore operations

  /** The backend key of record {@code key} of namespace {@code ns}. */
  static BackendKey backendKey(Namespace ns, byte[] key) {
    Space s = (Space) ns;
    if (s.tableId == null) {
      return BackendKey.of(SharedKeys.STORE_PARTITION, key);
    }
    if (!RecordKeys.isNodeKey(key)) {
      throw new IllegalArgumentException("not a node key: " + HexFormat.of().formatHex(key));
    }
    return BackendKey.of(
        SharedKeys.nodePartition(s.tableId, RecordKeys.token(key)),
        SharedKeys.nodeSort(RecordKeys.nodeId(key)));
  }

  /** Where a record is, for messages. */
  static String describe(Namespace ns, byte[] key) {
    Space s = (Space) ns;
    return s.tableId == null ? RecordKeys.describeStoreKey(key) : RecordKeys.describeTableKey(key);
  }

  @Override
  public byte[] get(Namespace ns, byte[] key) {
    SharedValues.Versioned v = read(ns, key);
    return v == null ? null : v.value();
  }

  /** The value and version under {@code key}, or null. */
  SharedValues.Versioned read(Namespace ns, byte[] key) {
    return values.read(backendKey(ns, key), ((Space) ns).tableName, describe(ns, key));
  }

  @Override
  public void put(Namespace ns, byte[] key, byte[] value) {
    write(ns, key, value, SharedKeys.randomLong(), WriteCondition.none(), false);
  }

  /**
   * Writes {@code value} under {@code key} with {@code version} when {@code condition} holds; the
   * chunks of the value it replaced are deleted after the grace period.
   *
   * @param wantPrevious whether to return the replaced value whole (else only its version)
   * @return the replaced record (value null unless asked for), or null when there was none
   * @throws dev.coffer.spi.ConditionFailedException when the condition does not hold
   */
  SharedValues.Versioned write(
      Namespace ns,
      byte[] key,
      byte[] value,
      long version,
      WriteCondition condition,
      boolean wantPrevious) {
    if (((Space) ns).tableId == null && value.length > values.maxWholeBytes()) {
      throw new StorageException(
          "A store record of "
              + value.length
              + " bytes ("
              + describe(ns, key)
              + ") is larger than the backend's limit of "
              + values.maxWholeBytes()
              + " bytes");
    }
    return values.write(
        backendKey(ns, key),
        value,
        version,
        condition,
        wantPrevious,
        ((Space) ns).tableName,
        describe(ns, key),
        garbage);
  }

  /**
   * Deletes {@code key} when {@code condition} holds; the chunks of its value are deleted after the
   * grace period.
   *
   * @return the deleted record (value null unless asked for), or null when there was none
   */
  SharedValues.Versioned remove(
      Namespace ns, byte[] key, WriteCondition condition, boolean wantPrevious) {
    return values.delete(
        backendKey(ns, key),
        condition,
        wantPrevious,
        ((Space) ns).tableName,
        describe(ns, key),
        garbage);
  }

  @Override
  public void append(Namespace ns, byte[] key, byte[] value) {
    throw new IllegalStateException(
        "a shared record store holds no delta records: " + describe(ns, key));
  }

  @Override
  public void delete(Namespace ns, byte[] key) {
    remove(ns, key, WriteCondition.none(), false);
  }

  /** Applies the operations one by one, in order: a shared backend has no atomic batches. */
  @Override
  public void commit(RecordBatch batch) {
    for (RecordBatch.Operation op : batch.operations()) {
      switch (op.kind()) {
        case PUT -> put(op.namespace(), op.key(), op.value());
        case DELETE -> delete(op.namespace(), op.key());
        case APPEND -> append(op.namespace(), op.key(), op.value());
        default -> throw new AssertionError(op.kind());
      }
    }
  }

  @Override
  public RecordCursor cursor(Namespace ns, boolean verifying) {
    Space s = (Space) ns;
    return s.tableId == null ? SharedCursors.store(this) : SharedCursors.table(this, s);
  }

  /**
   * The partition tokens of table namespace {@code ns} in order, from its index (keys only, no
   * values).
   */
  RecordCursor tokenCursor(Namespace ns) {
    return SharedCursors.tokens(this, (Space) ns);
  }

  /**
   * Makes sure partition {@code token} of {@code ns} is in its table's index: writes the entry (no
   * value; its version is the time of the write, which a sweep reads as its age). Called before a
   * partition's first root is written, and before a blind write that may find no root.
   */
  void index(Namespace ns, byte[] token) {
    byte[] tableId = ((Space) ns).tableId;
    backend.put(
        BackendRecord.of(
            SharedKeys.indexPartition(tableId, SharedKeys.bucket(token)),
            token,
            new byte[0],
            System.currentTimeMillis()),
        WriteCondition.none());
  }

  /** Deletes records at once (no grace period): nodes already past it, or never referenced. */
  void deleteAll(List<BackendKey> keys) {
    if (!keys.isEmpty()) {
      backend.deleteAll(keys);
    }
  }

  /** Deletes a record and, when its value was split, its chunks, at once. */
  void deleteRecordAndChunks(BackendKey key) {
    values.delete(key, WriteCondition.none(), false, null, key.toString(), null);
  }

  @Override
  public void flush() {}

  @Override
  public void compact(Namespace ns) {}

  @Override
  public void close() {
    try {
      garbage.close();
    } finally {
      if (ownsBackend) {
        backend.close();
      }
    }
  }

  /** A record that is not what the layout says it must be. */
  static CorruptionException malformed(String what, String table, String where) {
    return new CorruptionException(what, table, where);
  }
}
