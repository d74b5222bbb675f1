package dev.coffer.internal.catalog;

import dev.coffer.StorageException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.KeyDerivation;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.StoreHeader;
import dev.coffer.proto.WrappedKeyRef;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Master-key rotation by rewrap: every wrapped key of the store (the store key in the header, every
 * live data-key version and every index key) is re-wrapped, and the header and every catalog entry
 * are replaced in ONE synced batch. No page is read or written.
 *
 * <p><b>Renewal.</b> The rotation that adds the {@code state: sealed} pair to the store key's
 * context (a store created before the pair existed; once) does not re-wrap the store key: it makes
 * a new one (so a new catalog key) and re-seals every record sealed with the old catalog key (the
 * header, every catalog entry, marker and ClientRequestToken record, the state) in the same one
 * synced batch, under the store's exclusive lock, and rewrites the rollback anchor crash-safely
 * ({@link SealedState#renew}). Re-wrapping the same key would leave a header from before the
 * rotation (no pair) able to unwrap it, and with the state record deleted such a header and catalog
 * would be trusted as found.
 *
 * <p>The provider round trips run with no lock held: the catalog is read under its lock, the keys
 * are re-wrapped, and the lock is taken again only to commit. If a table was created or a data key
 * rotated meanwhile (keys wrapped by the old master key that the rewrap did not see), it starts
 * again; item reads and writes, and other DDL, go on throughout. On failure nothing is written and
 * the old keys stay in force. Thread-safe.
 */
public final class MasterKeyRewrap {
  private final Catalog catalog;
  private final StoreKeys storeKeys;
  private final Clock clock;

  public MasterKeyRewrap(Catalog catalog, StoreKeys storeKeys, Clock clock) {
    this.catalog = catalog;
    this.storeKeys = storeKeys;
    this.clock = clock;
  }

  /**
   * Re-wraps one key, given its stored form, the context it is wrapped under now and the one it is
   * to be wrapped under (the same, except for the store key of a store that keeps a sealed state
   * and whose key does not say so yet: {@link StoreKeys#storeKeyContext(boolean)}).
   */
  @FunctionalInterface
  public interface Rewrap {
    /** The key of {@code ref}, unwrapped under {@code from}, wrapped under {@code to}. */
    WrappedKey apply(WrappedKeyRef ref, EncryptionContext from, EncryptionContext to);
  }

  /**
   * What a rewrap did.
   *
   * @param keysRewrapped the wrapped keys re-wrapped: every live data-key version and index key,
   *     and the store key unless it was renewed
   * @param storeKeyRenewed whether the store key was renewed (a new one generated) rather than
   *     re-wrapped
   * @param recordsResealed the records re-sealed with the renewed store key's catalog key (the
   *     header, catalog entries, markers, ClientRequestToken records, the state); 0 unless renewed
   */
  public record Outcome(int keysRewrapped, boolean storeKeyRenewed, int recordsResealed) {}

  /** The keys of one table after the rewrap: data-key versions by version, and the index key. */
  private record TableRefs(Map<Integer, WrappedKeyRef> versions, WrappedKeyRef index) {}

  /**
   * Re-wraps every wrapped key with {@code rewrap} and commits them; from then on {@code
   * newProvider} and {@code newMasterKeyId} wrap new keys.
   *
   * @param rewrap re-wraps one key, given its stored form and the contexts rebuilt from where it is
   * @param underStore runs the commit under the store's shared lifecycle lock (throws once closed)
   * @param exclusive runs the commit under the store's exclusive lifecycle lock (no item operation
   *     runs meanwhile): the commit that renews the store key (see the class comment)
   * @return what was done
   */
  public Outcome rewrapAll(
      Rewrap rewrap,
      KeyProvider newProvider,
      String newMasterKeyId,
      Consumer<Runnable> underStore,
      Consumer<Runnable> exclusive) {
    for (int attempt = 1; attempt <= Catalog.ATTEMPTS; attempt++) {
      // On a shared backend the whole attempt holds the DDL lease (no other instance creates,
      // deletes or rewraps meanwhile) and starts from the catalog as it is now.
      StoreLeases.Held lease = catalog.shared() != null ? catalog.shared().leases().ddl() : null;
      try {
        if (lease != null) {
          catalog.shared().refresh();
          catalog.shared().checkProviderScheme();
        }
        Outcome done = attempt(rewrap, newProvider, newMasterKeyId, underStore, exclusive);
        if (done != null) {
          return done;
        }
      } finally {
        if (lease != null) {
          lease.close();
        }
      }
    }
    throw new StorageException(
        "The master key was not rotated: tables were created or data keys rotated during "
            + Catalog.ATTEMPTS
            + " attempts; nothing was changed, try again");
  }

  /** One attempt: what it did, or null when the catalog moved on meanwhile. */
  private Outcome attempt(
      Rewrap rewrap,
      KeyProvider newProvider,
      String newMasterKeyId,
      Consumer<Runnable> underStore,
      Consumer<Runnable> exclusive) {
    {
      StoreKeys.State before = storeKeys.current();
      Map<TableContext, CatalogEntry> snapshot = new LinkedHashMap<>();
      catalog.lock().lock();
      try {
        catalog.tables().forEach(t -> snapshot.put(t, t.entry()));
      } finally {
        catalog.lock().unlock();
      }
      // The provider round trips, with no lock held.
      // A store that keeps a sealed state has its store key wrapped with the pair that says so from
      // now on (a store created before the pair existed gets it here, once).
      EncryptionContext storeCtx = storeKeys.storeKeyContext();
      EncryptionContext newStoreCtx = storeKeys.storeKeyContext(catalog.sealedState().sealed());
      // Adding the pair renews the store key (a new one, not the old one re-wrapped): a header from
      // before, whose store key still unwraps without the pair, then opens nothing.
      boolean renew = !storeCtx.equals(newStoreCtx);
      WrappedKeyRef storeKeyRef;
      AeadKey newCatalogKey = null;
      if (renew) {
        try (DataKey dk = newProvider.generateDataKey(newMasterKeyId, newStoreCtx)) {
          storeKeyRef = DataKeys.ref(dk.wrapped(), newStoreCtx);
          byte[] storeId = storeKeys.storeId();
          newCatalogKey = dk.plaintext().withBytes(b -> KeyDerivation.catalogKey(b, storeId));
        }
      } else {
        storeKeyRef =
            DataKeys.ref(
                rewrap.apply(before.header().getStoreKey(), storeCtx, newStoreCtx), newStoreCtx);
      }
      AeadKey renewed = newCatalogKey;
      boolean[] adopted = new boolean[1];
      try {
        StoreHeader header =
            before.header().toBuilder()
                .setStoreKey(storeKeyRef)
                .setKeyProviderScheme(newProvider.scheme())
                .setLastMasterRotationMillis(clock.millis())
                .build();
        Map<TableContext, TableRefs> refs = new HashMap<>();
        snapshot.forEach((t, e) -> refs.put(t, rewrapTable(t, e, rewrap)));
        Outcome[] done = new Outcome[1];
        (renew ? exclusive : underStore)
            .accept(
                () -> {
                  done[0] =
                      commit(before, snapshot, refs, header, newProvider, newMasterKeyId, renewed);
                  adopted[0] = renewed != null && done[0] != null;
                });
        return done[0];
      } finally {
        if (renewed != null && !adopted[0]) {
          renewed.destroy();
        }
      }
    }
  }

  private TableRefs rewrapTable(TableContext t, CatalogEntry e, Rewrap rewrap) {
    Map<Integer, WrappedKeyRef> versions = new HashMap<>();
    for (DataKeyVersion v : e.getDataKeysList()) {
      if (v.getState() != DataKeyState.DATA_KEY_STATE_DESTROYED && v.hasWrapped()) {
        EncryptionContext ctx = storeKeys.pageContext(t.tableId(), v.getVersion());
        versions.put(v.getVersion(), DataKeys.ref(rewrap.apply(v.getWrapped(), ctx, ctx), ctx));
      }
    }
    EncryptionContext ictx = storeKeys.indexContext(t.tableId());
    return new TableRefs(versions, DataKeys.ref(rewrap.apply(e.getIndexKey(), ictx, ictx), ictx));
  }

  /**
   * Commits the rewrap (renewing the store key when {@code newCatalogKey} is not null): what it
   * did, or null when the catalog moved on and it must start again.
   */
  private Outcome commit(
      StoreKeys.State before,
      Map<TableContext, CatalogEntry> snapshot,
      Map<TableContext, TableRefs> refs,
      StoreHeader header,
      KeyProvider newProvider,
      String newMasterKeyId,
      AeadKey newCatalogKey) {
    catalog.lock().lock();
    try {
      if (storeKeys.current() != before) {
        throw new StorageException(
            "Another master-key rotation of this store ran at the same time; this one"
                + " changed nothing");
      }
      List<TableContext> tables = catalog.tables();
      for (TableContext t : tables) {
        if (!snapshot.containsKey(t)) {
          return null; // created meanwhile, under the old master key
        }
      }
      int count = newCatalogKey == null ? 1 : 0; // the store key, unless renewed
      Map<TableContext, CatalogEntry> updated = new LinkedHashMap<>();
      for (TableContext t : tables) {
        TableRefs r = refs.get(t);
        CatalogEntry.Builder b =
            t.entry().toBuilder(); // the current entry: seal counts and cursor may have moved
        for (int i = 0; i < b.getDataKeysCount(); i++) {
          DataKeyVersion v = b.getDataKeys(i);
          if (v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED || !v.hasWrapped()) {
            continue;
          }
          WrappedKeyRef ref = r.versions().get(v.getVersion());
          if (ref == null) {
            return null; // a data-key version added meanwhile, under the old master key
          }
          b.setDataKeys(i, v.toBuilder().setWrapped(ref));
          count++;
        }
        b.setIndexKey(r.index());
        count++;
        updated.put(t, b.build());
      }
      int resealed = 0;
      try {
        if (newCatalogKey != null) {
          resealed = catalog.renewStoreKey(header.toByteArray(), updated, newCatalogKey);
        } else {
          catalog.writeAll(header.toByteArray(), updated);
        }
      } catch (RecordConflictException e) {
        return null; // another instance changed an entry meanwhile (shared backend): start again
      }
      storeKeys.rewrapped(before, newProvider, newMasterKeyId, header);
      return new Outcome(count, newCatalogKey != null, resealed);
    } finally {
      catalog.lock().unlock();
    }
  }
}
