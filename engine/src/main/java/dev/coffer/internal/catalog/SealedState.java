package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.StateGeneration;
import dev.coffer.proto.StoreState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The store's sealed state ({@code StoreState}, sealed with the catalog key): what the plaintext
 * header cannot vouch for. It holds the SHA-256 of the header as stored, so a header changed by
 * anyone but the store fails the open, and the newest key-provider state generation the store
 * has seen ({@link StateGeneration}), so a keystore rolled back to an older state is refused at
 * the next open ({@link KeyProvider#requireStateGeneration}).
 *
 * <p>Every write of the state goes through {@link #commit}, which writes it in the same batch as
 * the caller's other records (the header, catalog entries), so the state on disk always matches
 * them. Writers serialize on this object; callers may hold the catalog lock when they call it
 * (never the other way round). Thread-safe.
 */
public final class SealedState {
  private static final int FORMAT_VERSION = 1;

  private final CatalogRecords records;
  private StoreState state; // guarded by this

  private SealedState(CatalogRecords records, StoreState state) {
    this.records = records;
    this.state = state;
  }

  /** The state of a new store with header {@code header}: written by the caller's first commit. */
  static SealedState create(CatalogRecords records, byte[] header) {
    return new SealedState(records, StoreState.newBuilder().setFormatVersion(FORMAT_VERSION)
        .setHeaderSha256(ByteString.copyFrom(sha256(header))).build());
  }

  /**
   * Opens the state of an existing store whose header is {@code header} (as stored) and checks
   * it: the header must be the one the state vouches for, and {@code provider}'s key state must be
   * at least as new as the state recorded. A store without a state (written by an earlier version)
   * gets one now, vouching for the header as it is (trust on first use).
   *
   * @throws CorruptionException when the state does not authenticate or is malformed, or the
   *     header was changed
   * @throws KeystoreRollbackException when the provider's key state is older than recorded
   */
  static SealedState open(CatalogRecords records, byte[] header, KeyProvider provider) {
    byte[] plain = records.readState();
    if (plain == null) {
      SealedState s = create(records, header);
      s.observe(provider);
      s.commit(true, batch -> { }, UnaryOperator.identity());
      return s;
    }
    StoreState state;
    try {
      state = StoreState.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store state is malformed", null, "store state", e);
    }
    if (state.getFormatVersion() != FORMAT_VERSION) {
      throw new CorruptionException("The store state has unknown format version " + state.getFormatVersion(), null,
          "store state");
    }
    if (!MessageDigest.isEqual(state.getHeaderSha256().toByteArray(), sha256(header))) {
      throw new CorruptionException("The store header was changed by something other than Coffer (it does not match"
          + " the store's sealed state)", null, "store header");
    }
    if (!state.getKeyStateGeneration().isEmpty()) {
      StateGeneration recorded;
      try {
        recorded = StateGeneration.decode(state.getKeyStateGeneration().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new CorruptionException("The store state names a malformed key-state generation", null, "store state",
            e);
      }
      provider.requireStateGeneration(recorded);
    }
    SealedState s = new SealedState(records, state);
    if (s.observe(provider)) {
      s.commit(true, batch -> { }, UnaryOperator.identity());
    }
    return s;
  }

  /** The state as last written. */
  public synchronized StoreState current() {
    return state;
  }

  /**
   * Commits the records {@code ops} adds to a batch together with the state as {@code change}
   * makes it, in one atomic write (synced when {@code synced}); the new state is kept only when
   * the write succeeded.
   */
  public synchronized void commit(boolean synced, Consumer<RecordBatch> ops,
      UnaryOperator<StoreState.Builder> change) {
    StoreState next = change.apply(state.toBuilder()).build();
    RecordBatch batch = synced ? RecordBatch.createSynced() : RecordBatch.create();
    ops.accept(batch);
    records.putState(batch, next.toByteArray());
    records.commit(batch);
    state = next;
  }

  /**
   * Commits a new header (and the caller's other records) with the state vouching for it; see
   * {@link #commit}.
   */
  public void commitHeader(byte[] header, Consumer<RecordBatch> ops) {
    commit(true, batch -> {
      records.putHeader(batch, header);
      ops.accept(batch);
    }, b -> b.setHeaderSha256(ByteString.copyFrom(sha256(header))));
  }

  /**
   * Records {@code provider}'s key-state generation when it is newer than the one recorded (or of
   * another source): one synced write of the state. Failures of the provider to say are ignored
   * here (the caller's own use of the provider reports them).
   */
  public void recordGeneration(KeyProvider provider) {
    synchronized (this) {
      if (observe(provider)) {
        commit(true, batch -> { }, UnaryOperator.identity());
      }
    }
  }

  /** Moves the in-memory state to {@code provider}'s generation when newer; true when it changed. */
  synchronized boolean observe(KeyProvider provider) {
    Optional<StateGeneration> now;
    try {
      now = provider.stateGeneration();
    } catch (KeyProviderException e) {
      return false;
    }
    if (now.isEmpty()) {
      return false;
    }
    StateGeneration g = now.get();
    if (!state.getKeyStateGeneration().isEmpty()) {
      StateGeneration recorded = StateGeneration.decode(state.getKeyStateGeneration().toByteArray());
      if (recorded.sourceId().equals(g.sourceId()) && recorded.generation() >= g.generation()) {
        return false;
      }
    }
    state = state.toBuilder().setKeyStateGeneration(ByteString.copyFrom(g.encode())).build();
    return true;
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
