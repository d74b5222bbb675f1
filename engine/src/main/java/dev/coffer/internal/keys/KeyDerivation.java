package dev.coffer.internal.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Derives the AES keys that seal records from the keys the provider generated, with HKDF-SHA256 (no
 * salt). The info string binds the purpose, the store, the table and the version, so one data key
 * can never seal under two identities:
 *
 * <pre>
 * page key    = HKDF(dataKey_v, info = "coffer/page-key/v1"    || storeId(16) || tableId(16) || u32be(v))
 * catalog key = HKDF(storeKey,  info = "coffer/catalog-key/v1" || storeId(16))
 * token key   = HKDF(catalogKey, info = "coffer/token-key/v1"  || storeId(16))   (HMAC-SHA256 key)
 * </pre>
 */
public final class KeyDerivation {
  private static final byte[] PAGE_LABEL = "coffer/page-key/v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CATALOG_LABEL =
      "coffer/catalog-key/v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] TOKEN_LABEL =
      "coffer/token-key/v1".getBytes(StandardCharsets.US_ASCII);

  private KeyDerivation() {}

  /** The page key of one data-key version. The caller still owns (and wipes) {@code dataKey}. */
  public static AeadKey pageKey(byte[] dataKey, byte[] storeId, byte[] tableId, int version) {
    byte[] info =
        ByteBuffer.allocate(PAGE_LABEL.length + 36)
            .put(PAGE_LABEL)
            .put(storeId)
            .put(tableId)
            .putInt(version)
            .array();
    return AeadKey.wrap(Hkdf.derive(dataKey, null, info, AeadKey.LENGTH_BYTES));
  }

  /** The key sealing catalog entries. The caller still owns (and wipes) {@code storeKey}. */
  public static AeadKey catalogKey(byte[] storeKey, byte[] storeId) {
    byte[] info =
        ByteBuffer.allocate(CATALOG_LABEL.length + 16).put(CATALOG_LABEL).put(storeId).array();
    return AeadKey.wrap(Hkdf.derive(storeKey, null, info, AeadKey.LENGTH_BYTES));
  }

  /**
   * The HMAC-SHA256 key that names the records of ClientRequestTokens (their record keys hold a
   * keyed digest of the token, never the token). The caller still owns (and wipes) {@code
   * catalogKey}.
   */
  public static AeadKey tokenKey(byte[] catalogKey, byte[] storeId) {
    byte[] info =
        ByteBuffer.allocate(TOKEN_LABEL.length + 16).put(TOKEN_LABEL).put(storeId).array();
    return AeadKey.wrap(Hkdf.derive(catalogKey, null, info, AeadKey.LENGTH_BYTES));
  }
}
