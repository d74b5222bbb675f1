package dev.coffer.internal.keys;

import dev.coffer.kms.EncryptionContext;

/**
 * The encryption contexts Coffer wraps its keys under. The provider binds each wrapped key to its
 * context, so a wrapped key moved to another store, table, purpose or version fails to unwrap.
 *
 * <ul>
 *   <li>store key: {@code {store: <store id hex>, purpose: catalog}}
 *   <li>table data key version n: {@code {store, table: <table id hex>, purpose: page, version: n}}
 *   <li>table index key: {@code {store, table, purpose: index, version: 1}}
 * </ul>
 */
public final class KeyContexts {
  private KeyContexts() {}

  /** The context of the store key. */
  public static EncryptionContext catalog(String storeIdHex) {
    return EncryptionContext.of("store", storeIdHex, "purpose", "catalog");
  }

  /** The context of version {@code version} of a table's data key. */
  public static EncryptionContext page(String storeIdHex, String tableIdHex, int version) {
    return EncryptionContext.of(
        "store",
        storeIdHex,
        "table",
        tableIdHex,
        "purpose",
        "page",
        "version",
        Integer.toString(version));
  }

  /** The context of a table's index (partition-token) key. */
  public static EncryptionContext index(String storeIdHex, String tableIdHex) {
    return EncryptionContext.of(
        "store", storeIdHex, "table", tableIdHex, "purpose", "index", "version", "1");
  }
}
