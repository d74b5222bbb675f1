package dev.coffer.internal.keys;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.WrappedKeyRef;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table's keys and the key provider: generates a new table's data key (version 1) and index key,
 * or a new data-key version, and unwraps every live data-key version and the index key of an
 * existing table. Provider and master key come from {@link StoreKeys}. Plaintext keys from the
 * provider are wiped as soon as the page keys and the token function are derived from them. Keys
 * are unwrapped under contexts rebuilt from the store and table ids, never under the stored ones,
 * so a wrapped key moved to another table or purpose fails to unwrap. Provider exceptions pass
 * through unchanged. Thread-safe; it holds no lock while the provider works.
 */
public final class DataKeys {
  private final StoreKeys storeKeys;

  public DataKeys(StoreKeys storeKeys) {
    this.storeKeys = storeKeys;
  }

  /** A new data-key version: its page key and its catalog record (state PRIMARY). */
  public record NewVersion(AeadKey pageKey, DataKeyVersion version) {}

  /**
   * Generates version {@code version} of table {@code tableId}'s data key with the provider and
   * master key of {@code keys}, under the context {@code {store, table, purpose: page, version}}.
   */
  public NewVersion generateVersion(
      StoreKeys.State keys, byte[] tableId, int version, long nowMillis) {
    EncryptionContext ctx = storeKeys.pageContext(tableId, version);
    try (DataKey dk = keys.provider().generateDataKey(keys.masterKeyId(), ctx)) {
      AeadKey pageKey =
          dk.plaintext()
              .withBytes(b -> KeyDerivation.pageKey(b, storeKeys.storeId(), tableId, version));
      DataKeyVersion v =
          DataKeyVersion.newBuilder()
              .setVersion(version)
              .setWrapped(ref(dk.wrapped(), ctx))
              .setCreatedMillis(nowMillis)
              .setState(DataKeyState.DATA_KEY_STATE_PRIMARY)
              .build();
      return new NewVersion(pageKey, v);
    }
  }

  /** A new table's keys and their wrapped forms, for its catalog entry. */
  public record Generated(TableKeys keys, DataKeyVersion version1, WrappedKeyRef indexKey) {}

  /**
   * Generates version 1 of a new table's data key and its index key with the provider of {@code
   * keys}.
   */
  public Generated generate(StoreKeys.State keys, byte[] tableId, long nowMillis) {
    NewVersion v1 = generateVersion(keys, tableId, 1, nowMillis);
    EncryptionContext indexCtx = storeKeys.indexContext(tableId);
    try (DataKey ik = keys.provider().generateDataKey(keys.masterKeyId(), indexCtx)) {
      PartitionTokens tokens = ik.plaintext().withBytes(PartitionTokens::new);
      TableKeys tableKeys =
          new TableKeys(Map.of(1, v1.pageKey()), Map.of(1, SealBudget.fresh()), 1, tokens);
      return new Generated(tableKeys, v1.version(), ref(ik.wrapped(), indexCtx));
    } catch (RuntimeException e) {
      v1.pageKey().destroy();
      throw e;
    }
  }

  /** Unwraps the live data-key versions and the index key of the table {@code entry} describes. */
  public TableKeys unwrap(CatalogEntry entry) {
    KeyProvider provider = storeKeys.provider();
    byte[] tableId = entry.getTableId().toByteArray();
    Map<Integer, AeadKey> pageKeys = new TreeMap<>();
    Map<Integer, SealBudget> budgets = new TreeMap<>();
    int primary = 0;
    try {
      for (DataKeyVersion v : entry.getDataKeysList()) {
        if (v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED) {
          continue;
        }
        EncryptionContext ctx = storeKeys.pageContext(tableId, v.getVersion());
        try (SecretBytes dk = provider.decrypt(wrapped(v.getWrapped()), ctx)) {
          pageKeys.put(
              v.getVersion(),
              dk.withBytes(
                  b -> KeyDerivation.pageKey(b, storeKeys.storeId(), tableId, v.getVersion())));
        }
        budgets.put(v.getVersion(), SealBudget.resume(v.getSeals()));
        if (v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY) {
          primary = v.getVersion();
        }
      }
      PartitionTokens tokens;
      try (SecretBytes ik =
          provider.decrypt(wrapped(entry.getIndexKey()), storeKeys.indexContext(tableId))) {
        tokens = ik.withBytes(PartitionTokens::new);
      }
      return new TableKeys(pageKeys, budgets, primary, tokens);
    } catch (RuntimeException e) {
      pageKeys.values().forEach(AeadKey::destroy);
      throw e;
    }
  }

  /**
   * Unwraps one data-key version of table {@code tableId} into its page key (on a shared backend: a
   * version another instance added).
   */
  public AeadKey unwrapVersion(byte[] tableId, DataKeyVersion v) {
    EncryptionContext ctx = storeKeys.pageContext(tableId, v.getVersion());
    try (SecretBytes dk = storeKeys.provider().decrypt(wrapped(v.getWrapped()), ctx)) {
      return dk.withBytes(
          b -> KeyDerivation.pageKey(b, storeKeys.storeId(), tableId, v.getVersion()));
    }
  }

  /**
   * The provider's form of a stored wrapped key.
   *
   * @throws CorruptionException when the stored key has no ciphertext (a catalog entry that is not
   *     what this code wrote)
   */
  public static WrappedKey wrapped(WrappedKeyRef ref) {
    if (ref.getCiphertextBlob().isEmpty()) {
      throw new CorruptionException("A catalog entry holds an empty wrapped key", null, "catalog");
    }
    return WrappedKey.of(ref.getMasterKeyId(), ref.getCiphertextBlob().toByteArray());
  }

  /** The stored form of a wrapped key. */
  public static WrappedKeyRef ref(WrappedKey w, EncryptionContext ctx) {
    return WrappedKeyRef.newBuilder()
        .setMasterKeyId(w.keyId())
        .setCiphertextBlob(ByteString.copyFrom(w.ciphertextBlob()))
        .putAllEncryptionContext(ctx.asMap())
        .build();
  }
}
