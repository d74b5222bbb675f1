package dev.coffer.internal.keys;

import com.google.protobuf.ByteString;
import dev.coffer.kms.DataKey;
import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.WrappedKey;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import dev.coffer.proto.WrappedKeyRef;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table's keys and the key provider: generates a new table's data key (version 1) and index key,
 * and unwraps every live data-key version and the index key of an existing table. Plaintext keys
 * from the provider are wiped as soon as the page keys and the token function are derived from
 * them. Keys are unwrapped under contexts rebuilt from the store and table ids, never under the
 * stored ones, so a wrapped key moved to another table or purpose fails to unwrap. Provider
 * exceptions pass through unchanged. Thread-safe.
 */
public final class DataKeys {
  private final KeyProvider provider;
  private final String masterKeyId;
  private final byte[] storeId;
  private final String storeIdHex;

  public DataKeys(KeyProvider provider, String masterKeyId, byte[] storeId) {
    this.provider = provider;
    this.masterKeyId = masterKeyId;
    this.storeId = storeId.clone();
    this.storeIdHex = HexFormat.of().formatHex(storeId);
  }

  /** A new table's keys and their wrapped forms, for its catalog entry. */
  public record Generated(TableKeys keys, DataKeyVersion version1, WrappedKeyRef indexKey) {}

  /** Generates version 1 of a new table's data key and its index key. */
  public Generated generate(byte[] tableId, long nowMillis) {
    String tableHex = HexFormat.of().formatHex(tableId);
    EncryptionContext pageCtx = KeyContexts.page(storeIdHex, tableHex, 1);
    EncryptionContext indexCtx = KeyContexts.index(storeIdHex, tableHex);
    AeadKey pageKey;
    DataKeyVersion version1;
    try (DataKey dk = provider.generateDataKey(masterKeyId, pageCtx)) {
      pageKey = dk.plaintext().withBytes(b -> KeyDerivation.pageKey(b, storeId, tableId, 1));
      version1 = DataKeyVersion.newBuilder()
          .setVersion(1)
          .setWrapped(ref(dk.wrapped(), pageCtx))
          .setCreatedMillis(nowMillis)
          .setState(DataKeyState.DATA_KEY_STATE_PRIMARY)
          .build();
    }
    try (DataKey ik = provider.generateDataKey(masterKeyId, indexCtx)) {
      PartitionTokens tokens = ik.plaintext().withBytes(PartitionTokens::new);
      TableKeys keys = new TableKeys(Map.of(1, pageKey), Map.of(1, SealBudget.fresh()), 1, tokens);
      return new Generated(keys, version1, ref(ik.wrapped(), indexCtx));
    } catch (RuntimeException e) {
      pageKey.destroy();
      throw e;
    }
  }

  /** Unwraps the live data-key versions and the index key of the table {@code entry} describes. */
  public TableKeys unwrap(CatalogEntry entry) {
    byte[] tableId = entry.getTableId().toByteArray();
    String tableHex = HexFormat.of().formatHex(tableId);
    Map<Integer, AeadKey> pageKeys = new TreeMap<>();
    Map<Integer, SealBudget> budgets = new TreeMap<>();
    int primary = 0;
    try {
      for (DataKeyVersion v : entry.getDataKeysList()) {
        if (v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED) {
          continue;
        }
        EncryptionContext ctx = KeyContexts.page(storeIdHex, tableHex, v.getVersion());
        try (SecretBytes dk = provider.decrypt(wrapped(v.getWrapped()), ctx)) {
          pageKeys.put(v.getVersion(), dk.withBytes(b -> KeyDerivation.pageKey(b, storeId, tableId, v.getVersion())));
        }
        budgets.put(v.getVersion(), SealBudget.resume(v.getSeals()));
        if (v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY) {
          primary = v.getVersion();
        }
      }
      PartitionTokens tokens;
      try (SecretBytes ik = provider.decrypt(wrapped(entry.getIndexKey()), KeyContexts.index(storeIdHex, tableHex))) {
        tokens = ik.withBytes(PartitionTokens::new);
      }
      return new TableKeys(pageKeys, budgets, primary, tokens);
    } catch (RuntimeException e) {
      pageKeys.values().forEach(AeadKey::destroy);
      throw e;
    }
  }

  private static WrappedKey wrapped(WrappedKeyRef ref) {
    return WrappedKey.of(ref.getMasterKeyId(), ref.getCiphertextBlob().toByteArray());
  }

  private static WrappedKeyRef ref(WrappedKey w, EncryptionContext ctx) {
    return WrappedKeyRef.newBuilder()
        .setMasterKeyId(w.keyId())
        .setCiphertextBlob(ByteString.copyFrom(w.ciphertextBlob()))
        .putAllEncryptionContext(ctx.asMap())
        .build();
  }
}
