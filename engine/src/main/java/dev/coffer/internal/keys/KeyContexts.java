package dev.coffer.internal.keys;

import dev.coffer.kms.EncryptionContext;
import java.util.Map;

/**
 * The encryption contexts Coffer wraps its keys under. The provider binds each wrapped key to its
 * context, so a wrapped key moved to another store, table, purpose or version fails to unwrap.
 *
 * <ul>
 *   <li>store key: {@code {store: <store id hex>, purpose: catalog}}, plus {@code state: sealed} in
 *       a store that keeps a sealed state ({@link #catalog(String, boolean)})
 *   <li>table data key version n: {@code {store, table: <table id hex>, purpose: page, version: n}}
 *   <li>table index key: {@code {store, table, purpose: index, version: 1}}
 * </ul>
 */
public final class KeyContexts {
  private KeyContexts() {}

  /** The pair of the store key's context that says the store keeps a sealed state. */
  public static final String STATE = "state";

  /** The value of {@link #STATE}. */
  public static final String STATE_SEALED = "sealed";

  /** The context of the store key of a store without the sealed-state pair. */
  public static EncryptionContext catalog(String storeIdHex) {
    return catalog(storeIdHex, false);
  }

  /**
   * The context of the store key; with {@code sealedState}, it also holds {@code state: sealed},
   * which binds "this store keeps a sealed state record" to the wrapped store key: the provider
   * refuses to unwrap it under a context without the pair, so the pair cannot be taken out of the
   * plaintext header, and a store whose key carries it and whose state record is missing was
   * tampered with (stores created since, and older ones from their next master-key rotation).
   */
  public static EncryptionContext catalog(String storeIdHex, boolean sealedState) {
    return sealedState
        ? EncryptionContext.of("store", storeIdHex, "purpose", "catalog", STATE, STATE_SEALED)
        : EncryptionContext.of("store", storeIdHex, "purpose", "catalog");
  }

  /**
   * Whether the store key context recorded in a header ({@code recorded}, as stored in plaintext)
   * says the store keeps a sealed state. Taken from the plaintext, but the provider checks it: the
   * key unwraps only under the context it was wrapped with.
   */
  public static boolean bindsSealedState(Map<String, String> recorded) {
    return STATE_SEALED.equals(recorded.get(STATE));
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
