package dev.coffer.internal.keys;

import dev.coffer.kms.EncryptionContext;
import dev.coffer.kms.KeyProvider;
import dev.coffer.proto.StoreHeader;
import java.util.HexFormat;

/**
 * Who holds the store's keys, in one place: the key provider, the master key that wraps new keys,
 * and the store header (store id, the wrapped store key, the provider scheme, the last master-key
 * rotation). Created once in {@code Coffer.open}; every other part of the engine asks it instead of
 * keeping its own copy. A master-key rotation replaces all three at once ({@link #rewrapped}).
 *
 * <p>Callers that generate or wrap keys take a {@link #current()} snapshot first and, when they
 * commit what they made, check that it is still current: a rotation in between means their keys
 * were wrapped by the previous master key, and they start again. Thread-safe.
 */
public final class StoreKeys {
  /** One consistent state: provider, master key and header, replaced as a whole. */
  public record State(KeyProvider provider, String masterKeyId, StoreHeader header) {}

  private final byte[] storeId;
  private final String storeIdHex;
  private volatile State state;

  /**
   * The keys of the store whose header is {@code header}, opened with {@code provider} and {@code
   * masterKeyId}.
   */
  public StoreKeys(KeyProvider provider, String masterKeyId, StoreHeader header) {
    this.storeId = header.getStoreId().toByteArray();
    this.storeIdHex = HexFormat.of().formatHex(storeId);
    this.state = new State(provider, masterKeyId, header);
  }

  /** The current state. */
  public State current() {
    return state;
  }

  /** The provider that unwraps and generates keys now. */
  public KeyProvider provider() {
    return state.provider();
  }

  /** The master key (as the options or the last rotation named it) that wraps new keys. */
  public String masterKeyId() {
    return state.masterKeyId();
  }

  /** The store header as last written. */
  public StoreHeader header() {
    return state.header();
  }

  /** The provider's principal (for audit records); empty when the provider cannot say. */
  public String principal() {
    return state.provider().principal();
  }

  /** The 16-byte store id (a copy). */
  public byte[] storeId() {
    return storeId.clone();
  }

  /** The store id in hex. */
  public String storeIdHex() {
    return storeIdHex;
  }

  /**
   * The context the store key is wrapped under now: with the sealed-state pair when the header's
   * recorded context has it ({@link KeyContexts#catalog(String, boolean)}).
   */
  public EncryptionContext storeKeyContext() {
    return KeyContexts.catalog(
        storeIdHex, KeyContexts.bindsSealedState(header().getStoreKey().getEncryptionContextMap()));
  }

  /**
   * The context the store key is wrapped under from the next master-key rotation on: with the
   * sealed-state pair when the store keeps a sealed state ({@code sealedState}).
   */
  public EncryptionContext storeKeyContext(boolean sealedState) {
    return KeyContexts.catalog(storeIdHex, sealedState);
  }

  /** The context version {@code version} of table {@code tableId}'s data key is wrapped under. */
  public EncryptionContext pageContext(byte[] tableId, int version) {
    return KeyContexts.page(storeIdHex, HexFormat.of().formatHex(tableId), version);
  }

  /** The context table {@code tableId}'s index key is wrapped under. */
  public EncryptionContext indexContext(byte[] tableId) {
    return KeyContexts.index(storeIdHex, HexFormat.of().formatHex(tableId));
  }

  /**
   * On a shared backend: another instance rotated the master key and wrote {@code header}. From now
   * on the master key it names wraps new keys (with this instance's provider: a store moved to a
   * provider of another scheme must be reopened with it, see {@link #foreignScheme()}).
   */
  public synchronized void adopt(StoreHeader header) {
    if (!header.equals(state.header())) {
      state = new State(state.provider(), header.getStoreKey().getMasterKeyId(), header);
    }
  }

  /**
   * The scheme another instance moved the store's keys to, when it is not this instance's
   * provider's (this instance can then unwrap what it already holds, but must not wrap new keys);
   * null when the provider is the store's.
   */
  public String foreignScheme() {
    State s = state;
    String scheme = s.header().getKeyProviderScheme();
    return scheme.isEmpty() || scheme.equals(s.provider().scheme()) ? null : scheme;
  }

  /**
   * After a master-key rotation committed: from now on {@code provider} and {@code masterKeyId}
   * wrap new keys, and {@code header} is the store's header.
   *
   * @param expected the state the rotation started from; it must still be current
   * @throws IllegalStateException when another rotation replaced it meanwhile
   */
  public synchronized void rewrapped(
      State expected, KeyProvider provider, String masterKeyId, StoreHeader header) {
    if (state != expected) {
      throw new IllegalStateException("the store's keys changed during a master-key rotation");
    }
    state = new State(provider, masterKeyId, header);
  }
}
