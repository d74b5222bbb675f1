package dev.coffer.internal.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.ValidationException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.RecordStore;
import dev.coffer.internal.record.SharedCatalogRecords;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.StoreHeader;
import dev.coffer.proto.TableStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The catalog of a store on a shared backend, which other instances change too (see {@code
 * docs/scale-out.md}, "Key lifecycle across instances"):
 *
 * <ul>
 *   <li>Every write of an entry names the version it read ({@link Catalog#write}); one that lost
 *       marks the table stale, and the write is made again on the entry read afresh ({@link
 *       Catalog#updateEntry}, {@link #sync}).
 *   <li>{@link #refresh()} reads every entry and the header again, at most once per access re-check
 *       interval (before an operation, lazily): data-key versions another instance added are
 *       unwrapped and the newest made primary, destroyed ones wiped, other instances' seal counts
 *       absorbed, new tables opened, deleted ones forgotten, a master-key rotation adopted.
 *   <li>A record sealed under a data-key version this instance has not seen yet (another instance
 *       rotated the table's data key and wrote under the new version before this one's next
 *       refresh) makes the reader read the catalog again at once, and only once ({@link #catchUp}),
 *       instead of failing as damaged.
 *   <li>DDL and master-key rotations take the DDL lease ({@link StoreLeases}), so the crash
 *       protocol of CreateTable and DeleteTable never meets another instance's half-done one.
 * </ul>
 *
 * Thread-safe.
 */
public final class SharedCatalog {
  /**
   * How far past the refresh interval a view may serve while another thread refreshes it: a tenth
   * of the interval, from 100 ms to 5 s.
   */
  public static long refreshSlackMillis(long intervalMillis) {
    return Math.max(100, Math.min(5_000, intervalMillis / 10));
  }

  private final Catalog catalog;
  private final SharedCatalogRecords records;
  private final StoreKeys storeKeys;
  private final DataKeys dataKeys;
  private final StoreLeases leases;
  private final ReentrantLock refreshing = new ReentrantLock();

  /** Refreshes begun (counted under {@link #refreshing}, before the catalog is read). */
  private final AtomicLong refreshes = new AtomicLong();

  private volatile long headerVersion;
  private volatile long lastRefreshMillis;
  private final List<TableContext> forgotten = new ArrayList<>();

  SharedCatalog(
      Catalog catalog, SharedCatalogRecords records, StoreKeys storeKeys, DataKeys dataKeys) {
    this.catalog = catalog;
    this.records = records;
    this.storeKeys = storeKeys;
    this.dataKeys = dataKeys;
    this.leases = new StoreLeases(records);
  }

  /** The leases of this store. */
  public StoreLeases leases() {
    return leases;
  }

  /** When the catalog was last read whole (wall clock, milliseconds). */
  public long lastRefreshMillis() {
    return lastRefreshMillis;
  }

  // ------------------------------------------------------------------------------------- opening

  /**
   * Reads the catalog at open. When something needs finishing (a DeleteTable or CreateTable that
   * some instance left half done), it is finished under the DDL lease, so that a CreateTable
   * running in another instance is never mistaken for a crashed one.
   */
  void load() {
    long started = System.currentTimeMillis();
    readHeader();
    List<SharedCatalogRecords.VersionedEntry> entries = records.entries();
    if (needsRecovery(entries)) {
      try (StoreLeases.Held lease = leases.ddl()) {
        catalog.loadEntries(loaded(records.entries()));
      }
    } else {
      catalog.loadEntries(loaded(entries));
    }
    lastRefreshMillis = started;
    catalog.store().shared().keyCatchUp(this::catchUp);
  }

  private boolean needsRecovery(List<SharedCatalogRecords.VersionedEntry> entries) {
    Set<String> ids = new HashSet<>();
    for (SharedCatalogRecords.VersionedEntry e : entries) {
      if (CatalogEntries.parse(e.tableId(), e.plaintext()).getStatus()
          == TableStatus.TABLE_STATUS_DELETING) {
        return true;
      }
      ids.add(HexFormat.of().formatHex(e.tableId()));
    }
    if (!catalog.records().creatingMarkers().isEmpty()) {
      return true;
    }
    for (byte[] id : catalog.store().tableIds()) {
      if (!ids.contains(HexFormat.of().formatHex(id))) {
        return true;
      }
    }
    return false;
  }

  private static List<Catalog.Loaded> loaded(List<SharedCatalogRecords.VersionedEntry> entries) {
    List<Catalog.Loaded> out = new ArrayList<>(entries.size());
    entries.forEach(e -> out.add(new Catalog.Loaded(e.tableId(), e.plaintext(), e.version())));
    return out;
  }

  private void readHeader() {
    SharedCatalogRecords.VersionedHeader h = SharedCatalogRecords.readHeader(catalog.store());
    if (h == null) {
      throw new CorruptionException(
          "The store header is missing from the shared backend", null, "store header");
    }
    if (h.version() != headerVersion) {
      try {
        StoreHeader header = StoreHeader.parseFrom(h.header());
        if (!header.getStoreId().equals(storeKeys.header().getStoreId())) {
          throw new CorruptionException(
              "The store header names another store", null, "store header");
        }
        storeKeys.adopt(header);
      } catch (InvalidProtocolBufferException e) {
        throw new CorruptionException("The store header is malformed", null, "store header", e);
      }
      headerVersion = h.version();
    }
  }

  /** Refuses to wrap new keys when another instance moved the store to another key provider. */
  void checkProviderScheme() {
    String foreign = storeKeys.foreignScheme();
    if (foreign != null) {
      throw new ValidationException(
          "Another instance moved this store's keys to a "
              + foreign
              + " key provider;"
              + " reopen the store with that provider to create tables or rotate keys");
    }
  }

  // ------------------------------------------------------------------------------------ refresh

  /**
   * Reads the catalog again when the last read is {@code intervalMillis} old or more (one thread
   * reads; the others go on meanwhile, unless the view is twice that old, when they wait for it).
   *
   * @return whether it read the catalog (tables it found deleted are in {@link #drainForgotten()})
   */
  public boolean refreshIfDue(long intervalMillis) {
    long age = System.currentTimeMillis() - lastRefreshMillis;
    if (age < intervalMillis) {
      return false;
    }
    // a view at most a few seconds past the interval may serve while one thread reads the catalog;
    // an older one waits for it, so no operation seals under a view older than that (the bound the
    // re-encryption job waits out before it destroys a version, see Reencryptor)
    boolean mustWait = age >= intervalMillis + refreshSlackMillis(intervalMillis);
    if (mustWait) {
      refreshing.lock();
    } else if (!refreshing.tryLock()) {
      return false;
    }
    try {
      if (System.currentTimeMillis() - lastRefreshMillis < intervalMillis) {
        return false;
      }
      refresh();
      return true;
    } finally {
      refreshing.unlock();
    }
  }

  /**
   * Reads every entry and the header again and takes in what other instances changed (see the class
   * comment). Key-provider calls run with no catalog lock held.
   *
   * @return the tables deleted by another instance, forgotten here; the caller wipes their keys
   */
  public List<TableContext> refresh() {
    refreshing.lock();
    try {
      refreshes.incrementAndGet();
      return refreshLocked();
    } finally {
      refreshing.unlock();
    }
  }

  private List<TableContext> refreshLocked() {
    long started = System.currentTimeMillis();
    List<TableContext> known =
        catalog.tables(); // tables opened after this are not judged by this read
    readHeader();
    List<SharedCatalogRecords.VersionedEntry> fresh = records.entries();
    Set<String> seen = new HashSet<>();
    List<TableContext> dropped = new ArrayList<>();
    List<Runnable> apply = new ArrayList<>();
    for (SharedCatalogRecords.VersionedEntry e : fresh) {
      String hex = HexFormat.of().formatHex(e.tableId());
      seen.add(hex);
      CatalogEntry entry = CatalogEntries.parse(e.tableId(), e.plaintext());
      TableContext t = catalog.byId(hex);
      if (entry.getStatus() == TableStatus.TABLE_STATUS_DELETING) {
        if (t != null) {
          dropped.add(t);
        }
      } else if (t == null) {
        apply.add(openNew(entry, e.version()));
      } else if (e.version() > t.entryVersion()) {
        apply.add(update(t, entry, e.version()));
      }
    }
    for (TableContext t : known) {
      if (!seen.contains(t.tableIdHex())) {
        dropped.add(t);
      }
    }
    catalog.lock().lock();
    try {
      dropped.forEach(catalog::forget);
      apply.forEach(Runnable::run);
    } finally {
      catalog.lock().unlock();
    }
    synchronized (forgotten) {
      forgotten.addAll(dropped);
    }
    lastRefreshMillis = started;
    return dropped;
  }

  /**
   * A reader met a record of table {@code tableId} sealed under data-key version {@code
   * keyVersion}, which the table's keys here lack. When that version is newer than every version
   * this instance's entry names, another instance rotated the data key and sealed under the new
   * version after writing the entry that names it (it writes the entry first), so reading the
   * catalog now finds it: this reads it once, unless another thread's refresh that began after this
   * call (and so after the record was read) already did. A version the entry names (a destroyed
   * one) is not looked for again: no refresh brings it back. The caller, holding a partition lock,
   * looks the key up once more and fails as damaged when it is still missing, so a version no
   * catalog names costs one catalog read per failed read and never a loop.
   *
   * <p>Lock order: the caller's partition lock, then {@link #refreshing}, then the catalog lock
   * (briefly, to apply); nothing takes a partition lock while holding either of the latter.
   *
   * @return whether the catalog was read again (here, or by another thread since the call began)
   * @throws dev.coffer.ResourceNotFoundException when the refresh found the table deleted by
   *     another instance
   */
  boolean catchUp(byte[] tableId, int keyVersion) {
    TableContext t = catalog.byId(HexFormat.of().formatHex(tableId));
    if (t == null) {
      return false; // not a table open here (nothing of it can be read through this catalog)
    }
    if (t.keys().pageKey(keyVersion) != null) {
      return true; // another thread's refresh brought it meanwhile
    }
    if (keyVersion <= highestVersion(t.entry())) {
      return false;
    }
    long seen = refreshes.get();
    refreshing.lock();
    try {
      if (t.keys().pageKey(keyVersion) == null && refreshes.get() == seen) {
        refresh();
      }
    } finally {
      refreshing.unlock();
    }
    t.checkLive();
    return true;
  }

  private static int highestVersion(CatalogEntry entry) {
    int highest = 0;
    for (DataKeyVersion v : entry.getDataKeysList()) {
      highest = Math.max(highest, v.getVersion());
    }
    return highest;
  }

  /**
   * The tables forgotten since the last call (deleted by another instance), whose keys the caller
   * wipes once no operation runs.
   */
  public List<TableContext> drainForgotten() {
    synchronized (forgotten) {
      List<TableContext> out = new ArrayList<>(forgotten);
      forgotten.clear();
      return out;
    }
  }

  /** Reads {@code t}'s entry again when a write of it lost (no catalog lock held). */
  void sync(TableContext t) {
    SharedCatalogRecords.VersionedEntry e = records.entry(t.tableId());
    if (e == null) {
      t.stale(false);
      throw new ResourceNotFoundException(
          "Requested resource not found: Table: " + t.name() + " not found");
    }
    CatalogEntry entry = CatalogEntries.parse(e.tableId(), e.plaintext());
    if (entry.getStatus() == TableStatus.TABLE_STATUS_DELETING) {
      t.stale(false);
      throw new ResourceNotFoundException(
          "Requested resource not found: Table: " + t.name() + " not found");
    }
    Runnable change = update(t, entry, e.version());
    catalog.lock().lock();
    try {
      change.run();
      t.stale(false);
    } finally {
      catalog.lock().unlock();
    }
  }

  /** A table another instance created: its keys unwrapped now; registered by the returned step. */
  private Runnable openNew(CatalogEntry entry, long version) {
    byte[] id = entry.getTableId().toByteArray();
    RecordStore.Namespace ns = catalog.store().table(id, entry.getName());
    if (ns == null) {
      return () -> {};
    }
    TableKeys keys = dataKeys.unwrap(entry);
    return () -> {
      if (catalog.has(entry.getName()) || catalog.byId(HexFormat.of().formatHex(id)) != null) {
        keys.destroy();
      } else {
        catalog.register(entry, ns, keys, version);
      }
    };
  }

  /**
   * A newer entry of {@code t}: versions added elsewhere unwrapped now; the returned step (run
   * under the catalog lock) adds them (the newest primary one becomes primary), wipes destroyed
   * ones, absorbs the seal counts, and publishes the entry.
   */
  private Runnable update(TableContext t, CatalogEntry entry, long version) {
    Map<Integer, AeadKey> added = new TreeMap<>();
    try {
      for (DataKeyVersion v : entry.getDataKeysList()) {
        if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED
            && v.hasWrapped()
            && t.keys().pageKey(v.getVersion()) == null) {
          added.put(v.getVersion(), dataKeys.unwrapVersion(t.tableId(), v));
        }
      }
    } catch (RuntimeException e) {
      added.values().forEach(AeadKey::destroy);
      throw e;
    }
    return () -> {
      if (version <= t.entryVersion()) {
        added.values().forEach(AeadKey::destroy); // this instance wrote a newer one meanwhile
        return;
      }
      Map<Integer, DataKeyVersion> byVersion = new HashMap<>();
      entry.getDataKeysList().forEach(v -> byVersion.put(v.getVersion(), v));
      for (DataKeyVersion v : entry.getDataKeysList()) {
        AeadKey key = added.remove(v.getVersion());
        if (key != null) {
          SealBudget budget = SealBudget.resume(v.getSeals());
          if (v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY
              && v.getVersion() > t.keys().primaryVersion()) {
            t.keys().addPrimary(v.getVersion(), key, budget);
          } else {
            t.keys().addVersion(v.getVersion(), key, budget);
          }
        }
      }
      for (int live : t.keys().liveVersions()) {
        DataKeyVersion v = byVersion.get(live);
        if (v != null
            && v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED
            && live != t.keys().primaryVersion()) {
          t.keys().destroyVersion(live);
        } else if (v != null) {
          SealBudget budget = t.keys().budget(live);
          if (budget != null) {
            budget.absorb(v.getSeals());
          }
        }
      }
      added.values().forEach(AeadKey::destroy);
      t.entry(entry);
      t.entryVersion(version);
    };
  }

  // ----------------------------------------------------------------------------------- DDL

  /** DeleteTable on a shared backend: step 1 under the DDL lease, step 2 after it. */
  void drop(String name) {
    CatalogEntry shredded;
    try (StoreLeases.Held lease = leases.ddl()) {
      TableContext t = catalog.get(name);
      sync(t);
      shredded = catalog.updateEntry(t, () -> catalog.shred(name));
    }
    catalog.finishDelete(shredded, "");
  }

  /**
   * The commit of a master-key rotation on a shared backend (the caller holds the catalog lock and
   * the DDL lease): each entry by a conditional write, then the header. A crash in between leaves
   * some keys wrapped by the old master key and some by the new one, each naming its own, so every
   * one still unwraps; the rotation run again finishes it.
   *
   * @throws RecordConflictException when another instance changed an entry meanwhile (the caller
   *     starts again)
   */
  void writeAll(byte[] header, Map<TableContext, CatalogEntry> updated) {
    for (Map.Entry<TableContext, CatalogEntry> e : updated.entrySet()) {
      TableContext t = e.getKey();
      try {
        t.entryVersion(records.putEntry(t.tableId(), e.getValue().toByteArray(), t.entryVersion()));
      } catch (RecordConflictException conflict) {
        t.stale(true);
        throw conflict;
      }
      t.entry(e.getValue());
    }
    headerVersion = records.putHeader(header, headerVersion);
  }

  /** Reads the stale tables' entries again (before a rewrap's snapshot). */
  void syncStale() {
    for (TableContext t : catalog.tables()) {
      if (t.stale()) {
        sync(t);
      }
    }
  }

  /** Throws when a shared write kept losing. */
  static StorageException gaveUp(String what, RuntimeException cause) {
    return new StorageException(
        what + " lost to other instances' changes of the catalog too often; try again", cause);
  }
}
