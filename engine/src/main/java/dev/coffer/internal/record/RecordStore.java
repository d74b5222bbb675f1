package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.WalRecovery;
import dev.coffer.spi.RecordBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The storage backend under the record layer: bytes in and out, in namespaces. A store has one
 * namespace of its own ({@link #storeNamespace()}: the store header, the catalog entries and the
 * "creating" markers) and one per table (its nodes). Within a namespace, records are ordered by
 * unsigned byte order of their keys. What a key or value means is decided above this interface, in
 * this package ({@link RecordKeys}, {@link RecordFormat}); a backend stores and orders bytes, and
 * uses {@link RecordKeys} only to describe a key in an error message.
 *
 * <p>A backend offers: point reads; single writes, each atomic ({@link #put}, {@link #append},
 * {@link #delete}); {@linkplain RecordBatch batches} of writes committed atomically, optionally
 * synced; ordered iteration ({@link RecordCursor}); namespace creation and dropping; flush and
 * compaction. {@link #append} concatenates: the value under the key becomes the old value followed
 * by the given bytes (RocksDB's merge with a concatenating operator). A batch is data (a list of
 * operations), so a backend with other primitives (a conditional write per operation, say) applies
 * it its own way.
 *
 * <p><b>Errors.</b> Every backend failure reaches the caller as Coffer's own exception: {@link
 * CorruptionException} when the backend found damaged data (naming the table and the place, e.g.
 * {@code partition 3fa2... node 0}, or the range an iteration could not read), {@link
 * StorageException} for every other failure (I/O, a full disk, a store open in another process),
 * saying what failed and where. Nothing from the backend's library escapes.
 *
 * <p>Implementations are thread-safe. Dropping a namespace and {@link #close()} must not race with
 * other use of the same namespace (the engine's lifecycle lock sees to it); a running {@link
 * #compact} is cancelled by either.
 */
public interface RecordStore extends AutoCloseable {
  /**
   * A namespace: the records of one table, or the store's own. Handles are owned by the backend.
   */
  interface Namespace {
    /** The table id (16 bytes), or null for the store's own namespace. */
    byte[] tableId();
  }

  /**
   * Opens (or creates) a RocksDB store in {@code dir}: the embedded backend, its write-ahead log
   * recovered as {@code recovery} says.
   */
  static RecordStore openRocksDb(
      Path dir, boolean createIfMissing, boolean syncWrites, WalRecovery recovery) {
    return RocksStore.open(dir, createIfMissing, syncWrites, recovery);
  }

  /**
   * A store over a shared backend ({@link SharedRecordStore}), which several Coffer instances may
   * write at once; closing it closes {@code backend} when {@code owns}.
   */
  static RecordStore openShared(RecordBackend backend, boolean owns) {
    return SharedRecordStore.open(backend, owns);
  }

  /**
   * Compares every record of table {@code ns} with its freshness map, for {@code verify}: what
   * differs, in key order (empty when nothing does, or when the store keeps no map of the table).
   * Nothing by default.
   */
  default List<FreshMismatch> verifyFreshness(Namespace ns) {
    return List.of();
  }

  /**
   * This store as a shared one, or null (the default) for a store this process owns alone: then the
   * engine's in-process locks serialise every writer, and changes are written in place in atomic
   * batches. A shared store is written copy-on-write instead (see {@code docs/scale-out.md}).
   */
  default SharedRecordStore shared() {
    return null;
  }

  /**
   * What the open tolerated and lost (for RocksDB, a torn last record of the write-ahead log, or
   * what a point-in-time recovery dropped), one sentence each; empty when nothing was. Each was
   * also logged as a warning.
   */
  List<String> recoveryNotes();

  /** Where the store is, for messages: e.g. {@code /var/lib/app/store}. */
  String location();

  /** The store's own namespace (header, catalog entries, markers). */
  Namespace storeNamespace();

  /** The ids (16 bytes each) of the tables that have a namespace. */
  List<byte[]> tableIds();

  /**
   * The namespace of table {@code tableId}, or null when it has none. {@code tableName} names the
   * table in error messages from now on.
   */
  Namespace table(byte[] tableId, String tableName);

  /**
   * Whether a new table may take id {@code tableId}: always, except on a shared backend, where the
   * first bytes of the id name the table in every partition key and must never have named another
   * table of the store (a new id is drawn then).
   */
  default boolean tableIdUsable(byte[] tableId) {
    return true;
  }

  /** Creates the namespace of table {@code tableId}. */
  Namespace createTable(byte[] tableId, String tableName);

  /**
   * Drops the namespace of table {@code tableId} and every record in it; nothing when it has none.
   */
  void dropTable(byte[] tableId);

  /** The value under {@code key}, or null. */
  byte[] get(Namespace ns, byte[] key);

  /**
   * The backend's write sequence: a number that never decreases, not even across a close and a
   * crash, and that every write which reaches the store advances (RocksDB's latest sequence
   * number); or -1 when the backend has none. The record layer takes the epochs of delta-record
   * numbers from it ({@link DeltaSequence}); without it, writers read a leaf before appending to
   * it.
   */
  default long writeSequence() {
    return -1;
  }

  /**
   * Checks {@code value} (null: absent), read under {@code key} of table namespace {@code ns}
   * through a {@linkplain #cursor cursor} while the caller holds the partition's lock, as a point
   * read ({@link #get}) checks what it reads: with freshness ({@link FreshStore}), against the
   * table's freshness map. Nothing by default.
   *
   * @throws CorruptionException when the record is not the one the store last wrote there
   */
  default void checkRead(Namespace ns, byte[] key, byte[] value) {}

  /**
   * Checks that a walk of table {@code ns}'s partitions in token order over {@code [from, to)}
   * ({@code to} null: to the end) met every partition the store wrote there: {@code met} holds the
   * tokens it met, ascending. With freshness ({@link FreshStore}), against the table's freshness
   * map, so that a scan does not silently pass over a partition whose every record was removed.
   * Nothing by default.
   *
   * @throws CorruptionException when a partition the store wrote in the range has no record
   */
  default void checkPartitionsMet(Namespace ns, byte[] from, byte[] to, List<byte[]> met) {}

  /**
   * For the renewal of the store key, whose batch writes the sealed state itself (so {@link
   * #commit} cannot add it): adds to {@code batch} the freshness maps' changes for its records
   * ({@link FreshStore}: the map of the ClientRequestToken records, which the renewal rewrites
   * every one of under a new digest) and returns the roots the state the caller writes in the same
   * batch must record (by id in hex; null removes one); the changes take effect when the batch is
   * committed through {@link #commit}. Empty by default. The caller holds the store's exclusive
   * lock.
   *
   * @throws CorruptionException when a token record the map lists was not met by the renewal (it
   *     was removed from the store directory)
   */
  default Map<String, byte[]> stageRenewal(RecordBatch batch) {
    return Map.of();
  }

  /** Writes {@code key -> value}, on its own. */
  void put(Namespace ns, byte[] key, byte[] value);

  /** Appends {@code value} to the value under {@code key} (creating it), on its own. */
  void append(Namespace ns, byte[] key, byte[] value);

  /** Deletes {@code key}, on its own. */
  void delete(Namespace ns, byte[] key);

  /** Applies every operation of {@code batch}, or none; when the batch is synced, durably. */
  void commit(RecordBatch batch);

  /**
   * A cursor over {@code ns} in key order; the caller closes it. A cursor reads one consistent view
   * of the namespace (the state when it was made).
   *
   * @param verifying read for verification: check every block's checksum and keep what was read out
   *     of caches
   */
  RecordCursor cursor(Namespace ns, boolean verifying);

  /** Makes every write so far durable in the backend's files (not only in its log). */
  void flush();

  /**
   * Flushes, then rewrites every file of {@code ns}, so that overwritten and deleted records leave
   * the live files. Returns early, without error, when the namespace is dropped or the store closed
   * meanwhile.
   */
  void compact(Namespace ns);

  /** Closes the store; idempotent. */
  @Override
  void close();
}
