package dev.coffer.internal.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.KeySchema;
import dev.coffer.ResourceInUseException;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.EngineAudit;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.RecordStore;
import dev.coffer.internal.record.TableRecords;
import dev.coffer.internal.record.TokenRecords;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.ClientTokenRecord;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.TableOptions;
import dev.coffer.proto.TableStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The catalog: the open tables, their persisted entries (one sealed {@code CatalogEntry} per table)
 * and the crash protocol of CreateTable and DeleteTable.
 *
 * <ul>
 *   <li>Create: (1) a sealed "creating" marker, synced; (2) the table's namespace; (3) one synced
 *       batch writing the entry and deleting the marker. The keys are generated before, without any
 *       lock held.
 *   <li>Delete (crypto-shredding): (1) the entry becomes DELETING and loses every wrapped key, in
 *       one synced write, and the unwrapped keys are wiped; (2) the namespace is dropped and the
 *       entry deleted. The caller compacts the store's records afterwards ({@link #compact()}),
 *       with no lock held.
 *   <li>Open: a DELETING entry has step 2 finished; a namespace with a marker and no entry (a crash
 *       during create) is dropped; a namespace with neither stops the open with {@link
 *       CorruptionException} (a lost entry must never silently drop a table); markers are deleted.
 * </ul>
 *
 * <p>In a store that owns its records, every write or deletion of an entry is committed together
 * with the sealed store state recording the entry's digest ({@link SealedState#commitCatalog},
 * {@link CatalogBinding}), and the catalog read at open is checked against those digests before any
 * entry is acted on: an entry rolled back, removed or added fails the open.
 *
 * <p>Every change to an entry, here or by {@link KeyVersions}, {@link ReencryptionCursor} and
 * {@link MasterKeyRewrap}, is made holding {@link #lock()}, which is never held across a key
 * provider call or a compaction. Look-ups are lock-free. Thread-safe.
 */
public final class Catalog {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How often a CreateTable starts again when a master-key rotation replaced the keys it made. */
  static final int ATTEMPTS = 3;

  private final RecordStore store;
  private final CatalogRecords records;
  private final SealedState sealedState;
  private final StoreKeys storeKeys;
  private final DataKeys dataKeys;
  private final Clock clock;
  private final EngineAudit audit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, TableContext> byName = new ConcurrentHashMap<>();
  private final AtomicInteger serials = new AtomicInteger();

  /**
   * On a shared backend: the versioned records, the leases and the refresh ({@link SharedCatalog});
   * else null.
   */
  private final SharedCatalog shared;

  private Catalog(
      RecordStore store, StoreBootstrap boot, DataKeys dataKeys, Clock clock, EngineAudit audit) {
    this.store = store;
    this.records = boot.records();
    this.sealedState = boot.state();
    StoreKeys storeKeys = boot.keys();
    this.storeKeys = storeKeys;
    this.dataKeys = dataKeys;
    this.clock = clock;
    this.audit = audit;
    this.shared =
        records.shared() == null
            ? null
            : new SharedCatalog(this, records.shared(), storeKeys, dataKeys);
    if (records.tokens() != null) {
      // token records are in no digest of the sealed state: once no table takes format 1, neither
      // does a token record (a format-1 one was put back from an older copy)
      records.tokens().refuseOlderWhen(this::everyTableRefusesOlderEnvelopes);
    }
  }

  /**
   * Whether every table refuses records of envelope format 1 (true for a store without tables):
   * every table was re-encrypted or created by this code, and this code seals format 2 only.
   */
  boolean everyTableRefusesOlderEnvelopes() {
    for (TableContext t : byName.values()) {
      if (!t.keys().olderEnvelopesRefused()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads every catalog entry, unwraps every table's keys and finishes what a crash interrupted. On
   * failure the caller closes the store; keys unwrapped so far are wiped here.
   */
  public static Catalog load(
      RecordStore store, StoreBootstrap boot, DataKeys dataKeys, Clock clock, EngineAudit audit) {
    Catalog catalog = new Catalog(store, boot, dataKeys, clock, audit);
    try {
      if (catalog.shared != null) {
        catalog.shared.load();
      } else {
        List<CatalogRecords.CatalogRecord> entries = catalog.records.entries();
        catalog.sealedState.checkCatalog(entries); // before anything acts on an entry
        catalog.loadEntries(Loaded.of(entries));
      }
    } catch (RuntimeException e) {
      catalog.byName.values().forEach(t -> t.keys().destroy());
      throw e;
    }
    return catalog;
  }

  /** A catalog entry as read at open: table id, plaintext, record version (0 unless shared). */
  record Loaded(byte[] tableId, byte[] plaintext, long version) {
    static List<Loaded> of(List<CatalogRecords.CatalogRecord> records) {
      List<Loaded> out = new ArrayList<>(records.size());
      records.forEach(r -> out.add(new Loaded(r.tableId(), r.plaintext(), 0)));
      return out;
    }
  }

  /** Registers every table of {@code entries} and finishes what a crash interrupted. */
  void loadEntries(List<Loaded> entries) {
    Set<String> referenced = new HashSet<>();
    boolean finishedDeletes = false;
    for (Loaded r : entries) {
      CatalogEntry entry = CatalogEntries.parse(r.tableId(), r.plaintext());
      String hex = HexFormat.of().formatHex(r.tableId());
      if (entry.getStatus() == TableStatus.TABLE_STATUS_DELETING) {
        finishDelete(
            entry,
            ", resumed at open"); // a crash interrupted DeleteTable after the keys were destroyed
        finishedDeletes = true;
        continue;
      }
      RecordStore.Namespace ns = store.table(r.tableId(), entry.getName());
      if (ns == null) {
        throw new CorruptionException(
            "The column family of a table is missing from the RocksDB database",
            entry.getName(),
            "table id " + hex);
      }
      referenced.add(hex);
      register(entry, ns, dataKeys.unwrap(entry), r.version());
    }
    List<byte[]> markers = records.creatingMarkers();
    Set<String> marked = new HashSet<>();
    markers.forEach(id -> marked.add(HexFormat.of().formatHex(id)));
    List<byte[]> orphans = new ArrayList<>();
    for (byte[] id : store.tableIds()) {
      String hex = HexFormat.of().formatHex(id);
      if (referenced.contains(hex)) {
        continue;
      }
      if (!marked.contains(hex)) {
        throw new CorruptionException(
            "The column family of table id "
                + hex
                + " has no catalog entry (the entry"
                + " was lost or removed); the store does not open with a table missing",
            null,
            "table id " + hex);
      }
      orphans.add(id);
    }
    orphans.forEach(store::dropTable); // left by a crash during create
    if (!markers.isEmpty()) {
      RecordBatch batch = RecordBatch.createSynced();
      markers.forEach(
          id ->
              records.deleteMarker(batch, id)); // each create finished, or was rolled back just now
      store.commit(batch);
    }
    if (finishedDeletes) {
      records.compact();
    }
  }

  TableContext register(
      CatalogEntry entry, RecordStore.Namespace ns, TableKeys keys, long version) {
    KeySchema schema = CatalogEntries.schema(entry);
    TableRecords tableRecords =
        new TableRecords(
            store,
            ns,
            storeKeys.storeId(),
            entry.getTableId().toByteArray(),
            entry.getName(),
            keys,
            schema.hasSortKey(),
            !entry.getOptions().getUncompressedPages());
    TableContext t = new TableContext(serials.incrementAndGet(), entry, schema, tableRecords, keys);
    t.entryVersion(version);
    byName.put(entry.getName(), t);
    return t;
  }

  /** The open table named {@code name}. */
  public TableContext get(String name) {
    TableContext t = byName.get(name);
    if (t == null) {
      throw new ResourceNotFoundException(
          "Requested resource not found: Table: " + name + " not found");
    }
    return t;
  }

  /** Every table name, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    names.sort(null);
    return names;
  }

  /** Every open table. */
  public List<TableContext> tables() {
    return new ArrayList<>(byName.values());
  }

  /**
   * Creates a table with a fresh data key (version 1) and index key, generated first, without any
   * lock held; {@code underStore} runs the commit (under the catalog lock) under the store's shared
   * lifecycle lock. Starts again (at most {@value #ATTEMPTS} times) when a master-key rotation
   * committed meanwhile.
   *
   * @throws ResourceInUseException when a table of that name exists
   */
  public TableContext create(
      String name, KeySchema schema, TableOptions options, Consumer<Runnable> underStore) {
    for (int attempt = 1; ; attempt++) {
      if (byName.containsKey(name)) {
        throw new ResourceInUseException("Table already exists: " + name);
      }
      byte[] tableId = new byte[16];
      do {
        RANDOM.nextBytes(tableId);
      } while (!store.tableIdUsable(tableId)); // a shared backend's table key, never used before
      StoreKeys.State keys = storeKeys.current();
      long now = clock.millis();
      if (shared != null) {
        shared.checkProviderScheme();
      }
      DataKeys.Generated generated = dataKeys.generate(keys, tableId, now);
      TableContext[] created = new TableContext[1];
      StoreLeases.Held lease = null;
      try {
        if (shared != null) {
          lease =
              shared
                  .leases()
                  .ddl(); // no CreateTable or DeleteTable runs in another instance meanwhile
          shared.refresh(); // tables the others created: names must stay unique
        }
        underStore.accept(
            () -> {
              lock.lock();
              try {
                if (byName.containsKey(name)) {
                  throw new ResourceInUseException("Table already exists: " + name);
                }
                if (storeKeys.current() == keys) {
                  created[0] = createLocked(name, schema, options, tableId, generated, now);
                }
              } finally {
                lock.unlock();
              }
            });
      } catch (RuntimeException e) {
        generated.keys().destroy();
        throw e;
      } finally {
        if (lease != null) {
          lease.close();
        }
      }
      if (created[0] != null) {
        return created[0];
      }
      generated.keys().destroy(); // wrapped by a master key that was rotated away meanwhile
      if (attempt == ATTEMPTS) {
        throw new StorageException(
            "CreateTable "
                + name
                + " did not finish: the master key was rotated "
                + ATTEMPTS
                + " times while its keys were made; try again");
      }
    }
  }

  private TableContext createLocked(
      String name,
      KeySchema schema,
      TableOptions options,
      byte[] tableId,
      DataKeys.Generated generated,
      long now) {
    CatalogEntry built = CatalogEntries.create(tableId, name, schema, options, generated, now);
    RecordStore.Namespace ns;
    try {
      RecordBatch marker = RecordBatch.createSynced(); // step 1
      records.putMarker(marker, tableId);
      store.commit(marker);
      ns = store.createTable(tableId, name); // step 2
    } catch (RuntimeException e) {
      generated.keys().destroy();
      throw e;
    }
    long version = 0;
    try {
      // step 3: the namespace always has its entry or its marker
      if (shared != null) {
        version =
            records
                .shared()
                .putEntry(tableId, built.toByteArray(), -1); // then the marker goes, in order
        RecordBatch batch = RecordBatch.createSynced();
        records.deleteMarker(batch, tableId);
        store.commit(batch);
      } else {
        sealedState.commitCatalog(
            true,
            changes -> {
              changes.putEntry(tableId, built.toByteArray());
              records.deleteMarker(changes.batch(), tableId);
            });
      }
    } catch (RuntimeException e) {
      generated.keys().destroy();
      try {
        store.dropTable(tableId);
        RecordBatch undo = RecordBatch.createSynced();
        records.deleteMarker(undo, tableId);
        store.commit(undo);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed); // the marker stays: the next open drops the namespace
      }
      throw e;
    }
    return register(built, ns, generated.keys(), version);
  }

  /**
   * Deletes a table by crypto-shredding, steps 1 and 2 (see the class comment); both are audited.
   * The caller compacts afterwards ({@link #compact()}), when it holds no lock that others need.
   *
   * @throws ResourceNotFoundException when there is no such table
   */
  public void drop(String name) {
    if (shared != null) {
      shared.drop(name);
      return;
    }
    lock.lock();
    try {
      finishDelete(shred(name), "");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Step 1 of a deletion: the keys destroyed (entry DELETING, synced) and wiped; the table
   * forgotten.
   */
  CatalogEntry shred(String name) {
    TableContext t = get(name);
    long now = clock.millis();
    CatalogEntry.Builder shredded =
        t.entry().toBuilder()
            .setStatus(TableStatus.TABLE_STATUS_DELETING)
            .clearIndexKey()
            .clearReencryption();
    for (int i = 0; i < shredded.getDataKeysCount(); i++) {
      DataKeyVersion v = shredded.getDataKeys(i);
      if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED) {
        shredded.setDataKeys(
            i,
            v.toBuilder()
                .clearWrapped()
                .setState(DataKeyState.DATA_KEY_STATE_DESTROYED)
                .setDestroyedMillis(now));
      }
    }
    CatalogEntry built = shredded.build();
    write(t, built, true); // if this fails, the table stays
    byName.remove(name);
    t.markDropped();
    t.keys().destroy();
    audit.success(
        EngineAudit.DELETE_TABLE,
        storeKeys.masterKeyId(),
        null,
        "table " + t.tableIdHex() + ": keys destroyed (step 1 of 2)");
    return built;
  }

  /** Step 2 of a deletion: the namespace dropped and the entry deleted. */
  void finishDelete(CatalogEntry entry, String note) {
    byte[] tableId = entry.getTableId().toByteArray();
    store.dropTable(tableId);
    sealedState.commitCatalog(true, changes -> changes.deleteEntry(tableId));
    audit.success(
        EngineAudit.DELETE_TABLE,
        storeKeys.masterKeyId(),
        null,
        "table "
            + HexFormat.of().formatHex(tableId)
            + ": column family dropped (step 2 of 2)"
            + note);
  }

  /**
   * Compacts the store's own records, so that overwritten and deleted entries (and the wrapped keys
   * in them) leave the live files: after a deletion or a destroyed data-key version. Call it
   * without holding the catalog lock.
   */
  public void compact() {
    records.compact();
  }

  /** The lock every entry change holds; never held across a provider call or a compaction. */
  public ReentrantLock lock() {
    return lock;
  }

  /**
   * Runs {@code write} (a change of {@code t}'s entry through {@link #write}) under the catalog
   * lock. On a shared backend, when another instance changed the entry first, the entry is read
   * again (with no lock held: new key versions may need the provider) and {@code write} runs again
   * on it; {@code write} must therefore compute its change from {@code t.entry()} each time.
   */
  public <T> T updateEntry(TableContext t, java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      if (shared != null && t.stale()) {
        shared.sync(t);
      }
      lock.lock();
      try {
        return write.get();
      } catch (RecordConflictException e) {
        if (attempt >= ATTEMPTS * 8) {
          throw SharedCatalog.gaveUp("A change of table " + t.name() + "'s catalog entry", e);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * On a shared backend, reads {@code t}'s entry again now (another instance may have moved it on);
   * no lock held.
   */
  public void resync(TableContext t) {
    if (shared != null) {
      shared.sync(t);
    }
  }

  /**
   * On a shared backend, reads {@code t}'s entry again when a write of it lost; no lock may be
   * held.
   */
  public void syncIfStale(TableContext t) {
    if (shared != null && t.stale()) {
      shared.sync(t);
    }
  }

  /**
   * Writes {@code t}'s entry and publishes it; the caller holds {@link #lock()}.
   *
   * @param synced whether the write must be on disk before this returns
   */
  public void write(TableContext t, CatalogEntry updated, boolean synced) {
    checkLocked();
    byte[] tableId = updated.getTableId().toByteArray();
    if (shared != null) {
      // another instance may have changed the entry: the write names the version this one read
      try {
        t.entryVersion(records.shared().putEntry(tableId, updated.toByteArray(), t.entryVersion()));
      } catch (RecordConflictException e) {
        t.stale(true);
        throw e;
      }
    } else {
      // with the sealed state recording the entry's digest, in one batch (CatalogBinding)
      sealedState.commitCatalog(
          synced, changes -> changes.putEntry(tableId, updated.toByteArray()));
    }
    t.entry(updated);
  }

  /**
   * Replaces the store header and the entries of {@code updated} in ONE synced batch, then
   * publishes the entries; the caller holds {@link #lock()}.
   */
  public void writeAll(byte[] header, Map<TableContext, CatalogEntry> updated) {
    checkLocked();
    if (shared != null) {
      shared.writeAll(header, updated); // versioned writes; no sealed state on a shared backend
      return;
    }
    sealedState.commitHeader(
        header,
        changes ->
            updated.forEach(
                (t, e) -> changes.putEntry(e.getTableId().toByteArray(), e.toByteArray())));
    updated.forEach(TableContext::entry);
  }

  /**
   * The commit of the master-key rotation that renews the store key ({@link MasterKeyRewrap}): the
   * header, every catalog entry ({@code updated}'s, and any other entry on disk as it is), marker,
   * token record and the state, re-sealed with {@code newCatalogKey} in one synced batch ({@link
   * SealedState#renew}). The caller holds the catalog lock and the store's exclusive lock.
   *
   * @return the number of records re-sealed
   */
  int renewStoreKey(byte[] header, Map<TableContext, CatalogEntry> updated, AeadKey newCatalogKey) {
    checkLocked();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (CatalogRecords.CatalogRecord r : records.entries()) {
      entries.put(HexFormat.of().formatHex(r.tableId()), r.plaintext());
    }
    updated.forEach((t, e) -> entries.put(t.tableIdHex(), e.toByteArray()));
    int resealed =
        sealedState.renew(records.renewed(newCatalogKey), header, entries, Catalog::tokenOf);
    updated.forEach(TableContext::entry);
    return resealed;
  }

  /** The token a ClientRequestToken record's plaintext names, or null when it names none. */
  private static String tokenOf(byte[] plaintext) {
    try {
      String token = ClientTokenRecord.parseFrom(plaintext).getToken();
      return token.isEmpty() ? null : token;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /**
   * The store's sealed state (on a shared backend, one that is neither read nor written: {@link
   * SealedState}).
   */
  public SealedState sealedState() {
    return sealedState;
  }

  /**
   * On a shared backend: this catalog's view of the others' changes ({@link SharedCatalog}: the
   * refresh, the leases); null when the process owns the store alone.
   */
  public SharedCatalog shared() {
    return shared;
  }

  /** The store's records. */
  RecordStore store() {
    return store;
  }

  CatalogRecords records() {
    return records;
  }

  /**
   * The records of TransactWriteItems' ClientRequestTokens, or null on a shared backend (tokens are
   * kept in memory there).
   */
  public TokenRecords tokenRecords() {
    return records.tokens();
  }

  EngineAudit audit() {
    return audit;
  }

  Clock clock() {
    return clock;
  }

  StoreKeys storeKeys() {
    return storeKeys;
  }

  /** The table whose id is {@code tableIdHex}, or null. */
  TableContext byId(String tableIdHex) {
    for (TableContext t : byName.values()) {
      if (t.tableIdHex().equals(tableIdHex)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Forgets {@code t} (deleted by another instance): new operations on it fail; the caller wipes
   * its keys.
   */
  void forget(TableContext t) {
    byName.remove(t.name(), t);
    t.markDropped();
  }

  /** Whether a table named {@code name} is open. */
  boolean has(String name) {
    return byName.containsKey(name);
  }

  /** Whether {@code t} is still this catalog's table of its name. */
  boolean isCurrent(TableContext t) {
    return byName.get(t.name()) == t;
  }

  private void checkLocked() {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("catalog entries change only under the catalog lock");
    }
  }

  /**
   * Wipes every key. The caller persisted the seal counts first and closes the store afterwards.
   */
  public void close() {
    lock.lock();
    try {
      byName.values().forEach(t -> t.keys().destroy());
      if (shared != null) {
        shared.drainForgotten().forEach(t -> t.keys().destroy());
      }
      records.destroy();
    } finally {
      lock.unlock();
    }
  }
}
