package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.AttributeType;
import dev.coffer.CorruptionException;
import dev.coffer.KeySchema;
import dev.coffer.ResourceInUseException;
import dev.coffer.ResourceNotFoundException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.KeyContexts;
import dev.coffer.internal.lifecycle.EngineAudit;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.ReencryptionState;
import dev.coffer.proto.StoreHeader;
import dev.coffer.proto.WrappedKeyRef;
import java.time.Clock;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.page.AssociatedData;
import dev.coffer.internal.page.PageCipher;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import dev.coffer.kms.KeyProvider;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.KeyAttribute;
import dev.coffer.proto.KeyType;
import dev.coffer.proto.TableOptions;
import dev.coffer.proto.TableStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * The catalog: one entry per table, sealed with the catalog key under {@code "coffer/catalog/" ||
 * tableId} in the default column family, and the open tables' keys. Creating a table makes its
 * column family first and then its entry; deleting removes the entry first and then drops the
 * family; at open, a family without an entry (left by a crash) is dropped. DDL is serialised by
 * the caller; look-ups are thread-safe.
 */
public final class Catalog {
  private static final int ENTRY_FORMAT = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RocksStore store;
  private final DataKeys dataKeys;
  private final byte[] storeId;
  private final AeadKey catalogKey;
  private final Map<String, TableContext> byName = new ConcurrentHashMap<>();
  private final AtomicInteger serials = new AtomicInteger();
  private final Clock clock;
  private final EngineAudit audit;

  private Catalog(RocksStore store, KeyProvider provider, String masterKeyId, byte[] storeId, AeadKey catalogKey,
      Clock clock, EngineAudit audit) {
    this.store = store;
    this.dataKeys = new DataKeys(provider, masterKeyId, storeId);
    this.storeId = storeId;
    this.catalogKey = catalogKey;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Reads every catalog entry and unwraps every table's keys. On failure the caller closes the
   * store; keys unwrapped so far are wiped here.
   */
  public static Catalog load(RocksStore store, KeyProvider provider, String masterKeyId, byte[] storeId,
      AeadKey catalogKey, Clock clock, EngineAudit audit) {
    Catalog catalog = new Catalog(store, provider, masterKeyId, storeId, catalogKey, clock, audit);
    try {
      catalog.loadEntries();
    } catch (RuntimeException e) {
      catalog.byName.values().forEach(t -> t.keys().destroy());
      throw e;
    }
    return catalog;
  }

  private void loadEntries() {
    List<byte[]> ids = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    try (RocksIterator it = store.iterator(store.defaultFamily())) {
      for (it.seek(RecordKeys.CATALOG_PREFIX); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!RecordKeys.startsWith(key, RecordKeys.CATALOG_PREFIX)) {
          break;
        }
        if (key.length != RecordKeys.CATALOG_PREFIX.length + 16) {
          throw new CorruptionException("A catalog key has the wrong length", null, "catalog");
        }
        ids.add(java.util.Arrays.copyOfRange(key, RecordKeys.CATALOG_PREFIX.length, key.length));
        values.add(it.value());
      }
      store.checkIterator(it);
    }
    Map<String, Boolean> referenced = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      CatalogEntry entry = openEntry(ids.get(i), values.get(i));
      String hex = HexFormat.of().formatHex(ids.get(i));
      if (entry.getStatus() == TableStatus.TABLE_STATUS_DELETING) {
        // a crash interrupted DeleteTable after the keys were destroyed: finish it
        finishDelete(entry, "resumed at open");
        continue;
      }
      ColumnFamilyHandle family = store.family(hex);
      if (family == null) {
        throw new CorruptionException(
            "The column family of a table is missing from the RocksDB database", entry.getName(), "table id " + hex);
      }
      referenced.put(hex, true);
      register(entry, family, dataKeys.unwrap(entry));
    }
    for (String name : store.familyNames()) {
      if (!referenced.containsKey(name)) {
        store.dropFamily(name); // left by a crash during create or delete
      }
    }
  }

  private CatalogEntry openEntry(byte[] tableId, byte[] sealed) {
    String where = "catalog entry " + HexFormat.of().formatHex(tableId);
    byte[] plain =
        PageCipher.open(sealed, v -> v == 1 ? catalogKey : null, v -> AssociatedData.catalog(v, storeId, tableId), null, where);
    try {
      CatalogEntry entry = CatalogEntry.parseFrom(plain);
      if (entry.getFormatVersion() != ENTRY_FORMAT || !entry.getTableId().equals(ByteString.copyFrom(tableId))) {
        throw new CorruptionException("A catalog entry has an unknown format or the wrong table id", null, where);
      }
      return entry;
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("A catalog entry is malformed", null, where, e);
    }
  }

  private TableContext register(CatalogEntry entry, ColumnFamilyHandle family, TableKeys keys) {
    KeySchema schema = entry.hasSortKey()
        ? KeySchema.of(entry.getPartitionKey().getName(), type(entry.getPartitionKey().getType()),
            entry.getSortKey().getName(), type(entry.getSortKey().getType()))
        : KeySchema.of(entry.getPartitionKey().getName(), type(entry.getPartitionKey().getType()));
    TableContext t = new TableContext(serials.incrementAndGet(), entry, storeId, schema, family, keys, this);
    byName.put(entry.getName(), t);
    return t;
  }

  /** The open table named {@code name}. */
  public TableContext get(String name) {
    TableContext t = byName.get(name);
    if (t == null) {
      throw new ResourceNotFoundException("Requested resource not found: Table: " + name + " not found");
    }
    return t;
  }

  /** Every table name, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    names.sort(null);
    return names;
  }

  /** Creates a table with a fresh data key (version 1) and index key. */
  public synchronized TableContext create(String name, KeySchema schema, int pageTargetBytes) {
    return create(name, schema, TableOptions.newBuilder().setPageTargetBytes(pageTargetBytes).build());
  }

  /** Creates a table with the given options (page target, rotation policies). */
  public synchronized TableContext create(String name, KeySchema schema, TableOptions options) {
    if (byName.containsKey(name)) {
      throw new ResourceInUseException("Table already exists: " + name);
    }
    byte[] tableId = new byte[16];
    RANDOM.nextBytes(tableId);
    String tableHex = HexFormat.of().formatHex(tableId);
    long now = clock.millis();
    DataKeys.Generated generated = dataKeys.generate(tableId, now);
    TableKeys keys = generated.keys();
    CatalogEntry.Builder entry = CatalogEntry.newBuilder()
        .setFormatVersion(ENTRY_FORMAT)
        .setTableId(ByteString.copyFrom(tableId))
        .setName(name)
        .setPartitionKey(attribute(schema.partitionKeyName(), schema.partitionKeyType()))
        .setOptions(options)
        .addDataKeys(generated.version1())
        .setIndexKey(generated.indexKey())
        .setCreatedMillis(now)
        .setStatus(TableStatus.TABLE_STATUS_ACTIVE);
    if (schema.hasSortKey()) {
      entry.setSortKey(attribute(schema.sortKeyName(), schema.sortKeyType()));
    }
    ColumnFamilyHandle family;
    try {
      family = store.createFamily(tableHex);
    } catch (RuntimeException e) {
      keys.destroy();
      throw e;
    }
    CatalogEntry built = entry.build();
    try {
      writeEntry(built);
    } catch (RuntimeException e) {
      keys.destroy();
      store.dropFamily(tableHex);
      throw e;
    }
    return register(built, family, keys);
  }

  /**
   * Deletes a table by crypto-shredding. Step 1, one synced write: the entry becomes DELETING and
   * loses every wrapped key (data-key versions DESTROYED, index key cleared); the unwrapped keys
   * are wiped. From here on nothing of the table can be decrypted. Step 2: the column family is
   * dropped, the entry removed and the default column family compacted. A crash after step 1 is
   * finished at the next open. Both steps are audited.
   */
  public synchronized void drop(String name) {
    finishDelete(shred(name), "");
  }

  /**
   * Step 1 of {@link #drop}: the table's keys are destroyed (entry DELETING, synced) and wiped in
   * memory; the table is gone from this catalog. Returns the DELETING entry for step 2. Tests call it
   * alone to leave the state a crash between the steps leaves.
   */
  public synchronized CatalogEntry shred(String name) {
    TableContext t = get(name);
    long now = clock.millis();
    CatalogEntry.Builder shredded = t.entry().toBuilder()
        .setStatus(TableStatus.TABLE_STATUS_DELETING)
        .clearIndexKey()
        .clearReencryption();
    for (int i = 0; i < shredded.getDataKeysCount(); i++) {
      DataKeyVersion v = shredded.getDataKeys(i);
      if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED) {
        shredded.setDataKeys(i, v.toBuilder().clearWrapped().setState(DataKeyState.DATA_KEY_STATE_DESTROYED)
            .setDestroyedMillis(now));
      }
    }
    CatalogEntry built = shredded.build();
    writeEntry(built, true); // if this fails, the table stays
    byName.remove(name);
    t.markDropped();
    t.entry(built);
    t.keys().destroy();
    audit.success(EngineAudit.DELETE_TABLE, dataKeys.masterKeyId(), null,
        "table " + t.tableIdHex() + ": keys destroyed (step 1 of 2)");
    return built;
  }

  private void finishDelete(CatalogEntry entry, String note) {
    byte[] tableId = entry.getTableId().toByteArray();
    String hex = HexFormat.of().formatHex(tableId);
    store.dropFamily(hex);
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(store.defaultFamily(), RecordKeys.catalog(tableId));
      store.writeSynced(batch);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot build a write batch: " + e.getMessage(), e);
    }
    store.compactDefault();
    audit.success(EngineAudit.DELETE_TABLE, dataKeys.masterKeyId(), null,
        "table " + hex + ": column family dropped and catalog compacted (step 2 of 2)" + (note.isEmpty() ? "" : ", " + note));
  }

  /** Every open table. */
  public List<TableContext> tables() {
    return new ArrayList<>(byName.values());
  }

  /** The table keys' generator and unwrapper (its provider and master key follow rotations). */
  public DataKeys dataKeys() {
    return dataKeys;
  }

  /** The 16-byte store id. */
  public byte[] storeId() {
    return storeId.clone();
  }

  /**
   * Data-key rotation: generates version n+1 (the provider's {@code GenerateDataKey} with context
   * {@code {store, table, purpose: page, version: n+1}}), makes it primary and the old primary
   * RETIRED, in one catalog write. Returns the new version, or the current one when {@code
   * ifPrimaryIs} is positive and no longer the primary (another thread rotated first).
   */
  public synchronized int rotateDataKey(TableContext t, int ifPrimaryIs) {
    t.checkLive();
    int primary = t.keys().primaryVersion();
    if (ifPrimaryIs > 0 && primary != ifPrimaryIs) {
      return primary;
    }
    int next = 0;
    for (DataKeyVersion v : t.entry().getDataKeysList()) {
      next = Math.max(next, v.getVersion());
    }
    next++;
    long now = clock.millis();
    DataKeys.NewVersion nv = dataKeys.generateVersion(t.tableId(), next, now);
    CatalogEntry.Builder b = t.entry().toBuilder();
    for (int i = 0; i < b.getDataKeysCount(); i++) {
      DataKeyVersion v = b.getDataKeys(i);
      SealBudget budget = t.keys().budget(v.getVersion());
      DataKeyVersion.Builder vb = v.toBuilder();
      if (budget != null) {
        vb.setSeals(Math.max(v.getSeals(), budget.count()));
      }
      if (v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY) {
        vb.setState(DataKeyState.DATA_KEY_STATE_RETIRED);
      }
      b.setDataKeys(i, vb);
    }
    b.addDataKeys(nv.version()).setLastDataKeyRotationMillis(now);
    CatalogEntry updated = b.build();
    try {
      writeEntry(updated, true);
    } catch (RuntimeException e) {
      nv.pageKey().destroy();
      throw e;
    }
    t.entry(updated);
    t.keys().addPrimary(next, nv.pageKey(), SealBudget.fresh());
    return next;
  }

  /**
   * Destroys RETIRED data-key versions: one synced catalog write removes their wrapped forms
   * (state DESTROYED), then their page keys are wiped. The caller has proved that no record of
   * the table uses them. Clears the re-encryption state in the same write.
   */
  public synchronized void destroyVersions(TableContext t, java.util.Set<Integer> versions) {
    t.checkLive();
    long now = clock.millis();
    CatalogEntry.Builder b = t.entry().toBuilder().clearReencryption();
    for (int i = 0; i < b.getDataKeysCount(); i++) {
      DataKeyVersion v = b.getDataKeys(i);
      if (versions.contains(v.getVersion()) && v.getState() == DataKeyState.DATA_KEY_STATE_RETIRED) {
        SealBudget budget = t.keys().budget(v.getVersion());
        b.setDataKeys(i, v.toBuilder().clearWrapped().setState(DataKeyState.DATA_KEY_STATE_DESTROYED)
            .setDestroyedMillis(now).setSeals(Math.max(v.getSeals(), budget == null ? 0 : budget.count())));
      }
    }
    CatalogEntry updated = b.build();
    writeEntry(updated, true);
    t.entry(updated);
    for (DataKeyVersion v : updated.getDataKeysList()) {
      if (versions.contains(v.getVersion()) && v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED) {
        t.keys().destroyVersion(v.getVersion());
      }
    }
  }

  /** Persists the position of the table's re-encryption job (null clears it). */
  public synchronized void saveReencryption(TableContext t, ReencryptionState state) {
    t.checkLive();
    CatalogEntry.Builder b = t.entry().toBuilder();
    if (state == null) {
      b.clearReencryption();
    } else {
      b.setReencryption(state);
    }
    CatalogEntry updated = b.build();
    writeEntry(updated, true);
    t.entry(updated);
  }

  /** Replaces the table's options (rotation policies) in its catalog entry. */
  public synchronized void saveOptions(TableContext t, TableOptions options) {
    t.checkLive();
    CatalogEntry updated = t.entry().toBuilder().setOptions(options).build();
    writeEntry(updated, false);
    t.entry(updated);
  }

  /**
   * Master-key rotation: re-wraps every wrapped key of the store with {@code rewrap} (the store key
   * in the header, every live data-key version and every index key) and writes the header and
   * every catalog entry in ONE synced write batch. No page is read or written. While it runs no
   * other catalog change can start (this method holds the catalog's lock); item reads and writes
   * go on. On failure nothing is written and the old keys stay in force.
   *
   * @param rewrap re-wraps one key, given its stored form and the context rebuilt from where it is
   * @param scheme the scheme of the provider that made the new wrapped keys
   * @return the number of keys re-wrapped
   */
  public synchronized int rewrapAll(java.util.function.BiFunction<WrappedKeyRef, EncryptionContext, WrappedKey> rewrap,
      String scheme, KeyProvider newProvider, String newMasterKeyId) {
    byte[] rawHeader = store.get(store.defaultFamily(), RecordKeys.HEADER);
    StoreHeader header;
    try {
      header = StoreHeader.parseFrom(rawHeader);
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      throw new CorruptionException("The store header is missing or malformed", null, "store header", e);
    }
    int count = 0;
    EncryptionContext storeCtx = KeyContexts.catalog(HexFormat.of().formatHex(storeId));
    StoreHeader newHeader = header.toBuilder()
        .setStoreKey(DataKeys.ref(rewrap.apply(header.getStoreKey(), storeCtx), storeCtx))
        .setKeyProviderScheme(scheme)
        .setLastMasterRotationMillis(clock.millis())
        .build();
    count++;
    Map<TableContext, CatalogEntry> updated = new HashMap<>();
    for (TableContext t : byName.values()) {
      CatalogEntry.Builder b = t.entry().toBuilder();
      for (int i = 0; i < b.getDataKeysCount(); i++) {
        DataKeyVersion v = b.getDataKeys(i);
        if (v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED || !v.hasWrapped()) {
          continue;
        }
        EncryptionContext ctx = dataKeys.pageContext(t.tableId(), v.getVersion());
        b.setDataKeys(i, v.toBuilder().setWrapped(DataKeys.ref(rewrap.apply(v.getWrapped(), ctx), ctx)));
        count++;
      }
      EncryptionContext ictx = dataKeys.indexContext(t.tableId());
      b.setIndexKey(DataKeys.ref(rewrap.apply(b.getIndexKey(), ictx), ictx));
      count++;
      updated.put(t, b.build());
    }
    // One batch: the header and every entry, or nothing.
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.defaultFamily(), RecordKeys.HEADER, newHeader.toByteArray());
      for (CatalogEntry e : updated.values()) {
        byte[] tableId = e.getTableId().toByteArray();
        batch.put(store.defaultFamily(), RecordKeys.catalog(tableId), sealEntry(e));
      }
      store.writeSynced(batch);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot build a write batch: " + e.getMessage(), e);
    }
    updated.forEach(TableContext::entry);
    dataKeys.retarget(newProvider, newMasterKeyId);
    return count;
  }

  /** The master key id that wraps the store key now (as the header records it). */
  public String storeMasterKeyId() {
    byte[] raw = store.get(store.defaultFamily(), RecordKeys.HEADER);
    try {
      return StoreHeader.parseFrom(raw).getStoreKey().getMasterKeyId();
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store header is malformed", null, "store header", e);
    }
  }

  /** The store header as stored. */
  public StoreHeader header() {
    byte[] raw = store.get(store.defaultFamily(), RecordKeys.HEADER);
    try {
      return StoreHeader.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store header is malformed", null, "store header", e);
    }
  }

  /** Persists the seal counts of {@code t}'s key versions. */
  public synchronized void persistSeals(TableContext t) {
    if (!byName.containsKey(t.name()) || byName.get(t.name()) != t) {
      return;
    }
    CatalogEntry.Builder b = t.entry().toBuilder();
    for (int i = 0; i < b.getDataKeysCount(); i++) {
      DataKeyVersion v = b.getDataKeys(i);
      SealBudget budget = t.keys().budget(v.getVersion());
      if (budget != null) {
        b.setDataKeys(i, v.toBuilder().setSeals(Math.max(v.getSeals(), budget.count())));
      }
    }
    CatalogEntry updated = b.build();
    writeEntry(updated);
    t.entry(updated);
  }

  private void writeEntry(CatalogEntry entry) {
    writeEntry(entry, false);
  }

  private void writeEntry(CatalogEntry entry, boolean synced) {
    byte[] tableId = entry.getTableId().toByteArray();
    byte[] sealed = sealEntry(entry);
    if (!synced) {
      store.put(store.defaultFamily(), RecordKeys.catalog(tableId), sealed);
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(store.defaultFamily(), RecordKeys.catalog(tableId), sealed);
      store.writeSynced(batch);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot build a write batch: " + e.getMessage(), e);
    }
  }

  private byte[] sealEntry(CatalogEntry entry) {
    byte[] tableId = entry.getTableId().toByteArray();
    return PageCipher.seal(catalogKey, 1, AssociatedData.catalog(1, storeId, tableId), entry.toByteArray());
  }

  /** Persists seal counts and wipes every key. The caller closes the store afterwards. */
  public synchronized void close() {
    RuntimeException first = null;
    for (TableContext t : byName.values()) {
      try {
        persistSeals(t);
      } catch (StorageException e) {
        first = first == null ? e : first;
      }
      t.keys().destroy();
    }
    catalogKey.destroy();
    if (first != null) {
      throw first;
    }
  }

  private static KeyAttribute attribute(String name, AttributeType type) {
    KeyType t = type == AttributeType.S ? KeyType.KEY_TYPE_S : type == AttributeType.N ? KeyType.KEY_TYPE_N : KeyType.KEY_TYPE_B;
    return KeyAttribute.newBuilder().setName(name).setType(t).build();
  }

  private static AttributeType type(KeyType t) {
    switch (t) {
      case KEY_TYPE_S:
        return AttributeType.S;
      case KEY_TYPE_N:
        return AttributeType.N;
      case KEY_TYPE_B:
        return AttributeType.B;
      default:
        throw new CorruptionException("A catalog entry has an unknown key type " + t, null, "catalog");
    }
  }
}
