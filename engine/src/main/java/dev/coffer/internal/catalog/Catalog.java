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

  private Catalog(RocksStore store, KeyProvider provider, String masterKeyId, byte[] storeId, AeadKey catalogKey) {
    this.store = store;
    this.dataKeys = new DataKeys(provider, masterKeyId, storeId);
    this.storeId = storeId;
    this.catalogKey = catalogKey;
  }

  /**
   * Reads every catalog entry and unwraps every table's keys. On failure the caller closes the
   * store; keys unwrapped so far are wiped here.
   */
  public static Catalog load(
      RocksStore store, KeyProvider provider, String masterKeyId, byte[] storeId, AeadKey catalogKey) {
    Catalog catalog = new Catalog(store, provider, masterKeyId, storeId, catalogKey);
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
    if (byName.containsKey(name)) {
      throw new ResourceInUseException("Table already exists: " + name);
    }
    byte[] tableId = new byte[16];
    RANDOM.nextBytes(tableId);
    String tableHex = HexFormat.of().formatHex(tableId);
    long now = System.currentTimeMillis();
    DataKeys.Generated generated = dataKeys.generate(tableId, now);
    TableKeys keys = generated.keys();
    CatalogEntry.Builder entry = CatalogEntry.newBuilder()
        .setFormatVersion(ENTRY_FORMAT)
        .setTableId(ByteString.copyFrom(tableId))
        .setName(name)
        .setPartitionKey(attribute(schema.partitionKeyName(), schema.partitionKeyType()))
        .setOptions(TableOptions.newBuilder().setPageTargetBytes(pageTargetBytes))
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

  /** Deletes a table: its catalog entry (and with it the wrapped keys), then its column family. */
  public synchronized void drop(String name) {
    TableContext t = get(name);
    store.delete(store.defaultFamily(), RecordKeys.catalog(t.tableId())); // if this fails, the table stays
    byName.remove(name);
    t.markDropped();
    t.keys().destroy();
    store.dropFamily(t.tableIdHex());
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
    byte[] tableId = entry.getTableId().toByteArray();
    byte[] sealed = PageCipher.seal(catalogKey, 1, AssociatedData.catalog(1, storeId, tableId), entry.toByteArray());
    store.put(store.defaultFamily(), RecordKeys.catalog(tableId), sealed);
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
