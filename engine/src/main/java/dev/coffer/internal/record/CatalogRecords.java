package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The store's own records, in its own namespace: the plaintext store header, the sealed store
 * state, one sealed catalog entry per table and, only while CreateTable runs, a table's sealed
 * "creating" marker. Entries, markers and the state are sealed with the catalog key (key version 1)
 * and bound to the store (and the table) by their associated data (a marker is told apart from the
 * entry by its node id). What an entry or the state says is the catalog's business: here it is
 * bytes. Thread-safe.
 */
public final class CatalogRecords {
  private static final int CATALOG_KEY_VERSION = 1;

  private final RecordStore store;
  private final RecordStore.Namespace ns;
  private final byte[] storeId;
  // replaced (adopt) when the store key is renewed, under the store's exclusive lock
  private volatile AeadKey catalogKey;
  private final SharedCatalogRecords shared;
  private final TokenRecords tokens;

  /** The catalog records of the store {@code storeId}, sealed with {@code catalogKey}. */
  public CatalogRecords(RecordStore store, byte[] storeId, AeadKey catalogKey) {
    this.store = store;
    this.ns = store.storeNamespace();
    this.storeId = storeId.clone();
    this.catalogKey = catalogKey;
    this.shared = store.shared() == null ? null : new SharedCatalogRecords(this, store.shared());
    this.tokens = store.shared() == null ? new TokenRecords(store, storeId, catalogKey) : null;
  }

  /**
   * The records of ClientRequestTokens, or null on a shared backend (where a token cannot be
   * committed with a transaction's items, so tokens stay in each instance's memory).
   */
  public TokenRecords tokens() {
    return tokens;
  }

  /**
   * The versioned catalog operations and leases of a store on a shared backend, or null when this
   * process owns the store alone.
   */
  public SharedCatalogRecords shared() {
    return shared;
  }

  /** Opens table {@code tableId}'s sealed entry {@code sealed}. */
  byte[] openEntry(byte[] tableId, byte[] sealed) {
    return PageCipher.open(
        sealed,
        CATALOG_KEY_VERSION,
        catalogKey,
        AssociatedData.catalogEntry(CATALOG_KEY_VERSION, storeId, tableId),
        "catalog entry " + HexFormat.of().formatHex(tableId));
  }

  /** The plaintext store header, or null in a new store. */
  public static byte[] readHeader(RecordStore store) {
    return store.get(store.storeNamespace(), RecordKeys.HEADER);
  }

  /** Adds the replacement of the store header to {@code batch}. */
  public void putHeader(RecordBatch batch, byte[] header) {
    batch.put(ns, RecordKeys.HEADER, header);
  }

  /**
   * The store state, opened, or null when the store has none (stores written before it existed).
   *
   * @throws CorruptionException when it does not authenticate
   */
  public byte[] readState() {
    byte[] sealed = store.get(ns, RecordKeys.STATE);
    return sealed == null
        ? null
        : PageCipher.open(
            sealed,
            CATALOG_KEY_VERSION,
            catalogKey,
            AssociatedData.storeState(CATALOG_KEY_VERSION, storeId),
            "store state");
  }

  /** Adds the replacement of the store state, sealed, to {@code batch}. */
  public void putState(RecordBatch batch, byte[] plaintext) {
    batch.put(
        ns,
        RecordKeys.STATE,
        PageCipher.seal(
            catalogKey,
            CATALOG_KEY_VERSION,
            AssociatedData.storeState(CATALOG_KEY_VERSION, storeId),
            plaintext));
  }

  /** {@code plaintext} sealed as the store's rollback anchor (for a file outside the store). */
  public byte[] sealAnchor(byte[] plaintext) {
    return PageCipher.seal(
        catalogKey,
        CATALOG_KEY_VERSION,
        AssociatedData.rollbackAnchor(CATALOG_KEY_VERSION, storeId),
        plaintext);
  }

  /**
   * Opens a rollback anchor sealed by {@link #sealAnchor} for this store.
   *
   * @throws CorruptionException (naming {@code location}) when it is malformed or does not
   *     authenticate (changed, or another store's)
   */
  public byte[] openAnchor(byte[] sealed, String location) {
    return PageCipher.open(
        sealed,
        CATALOG_KEY_VERSION,
        catalogKey,
        AssociatedData.rollbackAnchor(CATALOG_KEY_VERSION, storeId),
        location);
  }

  /** The store id, as lowercase hex (names the store's rollback anchor file). */
  public String storeIdHex() {
    return HexFormat.of().formatHex(storeId);
  }

  /** Applies {@code batch} (built with this object's methods). */
  public void commit(RecordBatch batch) {
    store.commit(batch);
  }

  /**
   * A table's catalog entry, opened: its table id, the plaintext and the sealed bytes as stored
   * (whose digest the store's sealed state records).
   */
  public record CatalogRecord(byte[] tableId, byte[] plaintext, byte[] sealed) {}

  /**
   * Every catalog entry, opened, in table-id order.
   *
   * @throws CorruptionException when a key is malformed or an entry does not authenticate
   */
  public List<CatalogRecord> entries() {
    List<CatalogRecord> out = new ArrayList<>();
    try (RecordCursor c = store.cursor(ns, false)) {
      for (c.seek(RecordKeys.CATALOG_PREFIX); c.valid(); c.next()) {
        byte[] key = c.key();
        if (!RecordKeys.startsWith(key, RecordKeys.CATALOG_PREFIX)) {
          break;
        }
        byte[] id = RecordKeys.tableIdAfter(RecordKeys.CATALOG_PREFIX, key);
        if (id == null) {
          throw new CorruptionException("A catalog key has the wrong length", null, "catalog");
        }
        String where = "catalog entry " + HexFormat.of().formatHex(id);
        byte[] sealed = c.value();
        out.add(
            new CatalogRecord(
                id,
                PageCipher.open(
                    sealed,
                    CATALOG_KEY_VERSION,
                    catalogKey,
                    AssociatedData.catalogEntry(CATALOG_KEY_VERSION, storeId, id),
                    where),
                sealed));
      }
    }
    return out;
  }

  /**
   * Adds the write of table {@code tableId}'s entry, sealed, to {@code batch}; returns the sealed
   * bytes as they will be stored.
   */
  public byte[] putEntry(RecordBatch batch, byte[] tableId, byte[] plaintext) {
    byte[] sealed = sealEntry(tableId, plaintext);
    batch.put(ns, RecordKeys.catalog(tableId), sealed);
    return sealed;
  }

  byte[] sealEntry(byte[] tableId, byte[] plaintext) {
    return PageCipher.seal(
        catalogKey,
        CATALOG_KEY_VERSION,
        AssociatedData.catalogEntry(CATALOG_KEY_VERSION, storeId, tableId),
        plaintext);
  }

  /** Adds the deletion of table {@code tableId}'s entry to {@code batch}. */
  public void deleteEntry(RecordBatch batch, byte[] tableId) {
    batch.delete(ns, RecordKeys.catalog(tableId));
  }

  /**
   * The table ids of the "creating" markers, each opened and checked.
   *
   * @throws CorruptionException when a marker is malformed or does not authenticate
   */
  public List<byte[]> creatingMarkers() {
    List<byte[]> ids = new ArrayList<>();
    try (RecordCursor c = store.cursor(ns, false)) {
      for (c.seek(RecordKeys.CREATING_PREFIX); c.valid(); c.next()) {
        byte[] key = c.key();
        if (!RecordKeys.startsWith(key, RecordKeys.CREATING_PREFIX)) {
          break;
        }
        byte[] id = RecordKeys.tableIdAfter(RecordKeys.CREATING_PREFIX, key);
        if (id == null) {
          throw new CorruptionException(
              "A table-creation marker key has the wrong length", null, "catalog");
        }
        String where = "creation marker of table id " + HexFormat.of().formatHex(id);
        byte[] plain =
            PageCipher.open(
                c.value(),
                CATALOG_KEY_VERSION,
                catalogKey,
                AssociatedData.creatingMarker(CATALOG_KEY_VERSION, storeId, id),
                where);
        if (!Arrays.equals(plain, markerBody(id))) {
          throw new CorruptionException(
              "A table-creation marker has the wrong content", null, where);
        }
        ids.add(id);
      }
    }
    return ids;
  }

  /** Adds the write of table {@code tableId}'s "creating" marker to {@code batch}. */
  public void putMarker(RecordBatch batch, byte[] tableId) {
    batch.put(
        ns,
        RecordKeys.creating(tableId),
        PageCipher.seal(
            catalogKey,
            CATALOG_KEY_VERSION,
            AssociatedData.creatingMarker(CATALOG_KEY_VERSION, storeId, tableId),
            markerBody(tableId)));
  }

  /** Adds the deletion of table {@code tableId}'s "creating" marker to {@code batch}. */
  public void deleteMarker(RecordBatch batch, byte[] tableId) {
    batch.delete(ns, RecordKeys.creating(tableId));
  }

  private static byte[] markerBody(byte[] tableId) {
    return ("creating " + HexFormat.of().formatHex(tableId)).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Compacts the store's namespace, so that overwritten and deleted entries (and the wrapped keys
   * in them) leave the live files.
   */
  public void compact() {
    store.compact(ns);
  }

  /** Wipes the catalog key. */
  public void destroy() {
    catalogKey.destroy();
  }

  /**
   * The records of this store sealed with {@code newCatalogKey} instead (derived from a renewed
   * store key): what {@link #renewInto} writes with, and what {@link #adopt} takes the keys of. Not
   * for a shared backend.
   */
  public CatalogRecords renewed(AeadKey newCatalogKey) {
    if (shared != null) {
      throw new IllegalStateException("a store in a shared backend does not renew its store key");
    }
    return new CatalogRecords(store, storeId, newCatalogKey);
  }

  /**
   * Adds to {@code batch} what the renewal of the store key writes besides the header, the catalog
   * entries and the state (which the caller writes with {@code next}): every "creating" marker and
   * every ClientRequestToken record re-sealed with {@code next}'s keys ({@link
   * TokenRecords#rekeyAll}), so that nothing is left that the old catalog key opens. The caller
   * holds the store's exclusive lock.
   */
  public void renewInto(RecordBatch batch, CatalogRecords next, Function<byte[], String> tokenOf) {
    for (byte[] id : creatingMarkers()) {
      next.putMarker(batch, id);
    }
    if (tokens != null) {
      tokens.rekeyAll(batch, next.tokens, tokenOf);
    }
  }

  /**
   * Adds the freshness maps' changes for the renewal's {@code batch} to it and returns the roots
   * the state written with it must record ({@link RecordStore#stageRenewal}); call once the batch
   * holds every record the renewal writes but the state.
   */
  public Map<String, byte[]> stageRenewal(RecordBatch batch) {
    return store.stageRenewal(batch);
  }

  /**
   * After the renewal's batch was committed: from now on seals and opens with {@code next}'s keys;
   * the old catalog key (and the token key derived from it) is wiped.
   */
  public void adopt(CatalogRecords next) {
    AeadKey old = catalogKey;
    catalogKey = next.catalogKey;
    if (tokens != null) {
      tokens.adopt(next.tokens);
    }
    old.destroy();
  }
}
