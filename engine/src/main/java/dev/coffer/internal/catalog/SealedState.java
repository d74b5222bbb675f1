package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.internal.record.AnchorFile;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.StateGeneration;
import dev.coffer.proto.RollbackAnchor;
import dev.coffer.proto.StoreState;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The store's sealed state ({@code StoreState}, sealed with the catalog key): what the plaintext
 * header cannot vouch for. It holds the SHA-256 of the header as stored, so a header changed by
 * anyone but the store fails the open, and the newest key-provider state generation the store has
 * seen ({@link StateGeneration}), so a keystore rolled back to an older state is refused at the
 * next open ({@link KeyProvider#requireStateGeneration}).
 *
 * <p><b>Rollback anchor.</b> With an anchor directory outside the store ({@link #anchor}), the
 * state also holds a store epoch that is raised at every open, clean close and (through {@link
 * #advanceAnchor()}) periodic access check, first in the state, then in the sealed anchor file
 * ({@link AnchorFile}); a store whose epoch is below its anchor's was rolled back to an older copy
 * and is refused at open. A crash between the two writes leaves the store one epoch ahead of its
 * anchor, which is accepted.
 *
 * <p>Every write of the state goes through {@link #commit}, which writes it in the same batch as
 * the caller's other records (the header, catalog entries), so the state on disk always matches
 * them. Writers serialize on this object; callers may hold the catalog lock when they call it
 * (never the other way round). Thread-safe.
 *
 * <p><b>Shared record backends.</b> A store in a shared backend (several instances, each with its
 * own cached copy) has no sealed state ({@link #unsealed}): a state written from one instance's
 * copy could undo another's (a rewrap's header hash, a key-state generation), and no write of it is
 * conditional yet. Such a state is neither read nor written, checks nothing and takes no rollback
 * anchor; the header there is written with conditional versions instead (docs/scale-out.md, "Not
 * done yet"; docs/threat-model.md).
 */
public final class SealedState {
  private static final int FORMAT_VERSION = 1;

  private static final int ANCHOR_FORMAT_VERSION = 1;

  private final CatalogRecords records;

  /** False on a shared backend: the state is neither read nor written ({@link #unsealed}). */
  private final boolean sealed;

  private StoreState state; // guarded by this
  private AnchorFile anchor; // guarded by this; null without a rollback anchor

  private SealedState(CatalogRecords records, StoreState state) {
    this(records, state, true);
  }

  private SealedState(CatalogRecords records, StoreState state, boolean sealed) {
    this.records = records;
    this.state = state;
    this.sealed = sealed;
  }

  /**
   * The state of a store in a shared record backend: never read or written, so it vouches for
   * nothing and records no key-state generation; {@link #commit} and {@link #anchor} refuse, the
   * other writes do nothing.
   */
  static SealedState unsealed(CatalogRecords records) {
    return new SealedState(
        records, StoreState.newBuilder().setFormatVersion(FORMAT_VERSION).build(), false);
  }

  /** Whether the state is kept in the store (false on a shared backend: {@link #unsealed}). */
  public boolean sealed() {
    return sealed;
  }

  /** The state of a new store with header {@code header}: written by the caller's first commit. */
  static SealedState create(CatalogRecords records, byte[] header) {
    return new SealedState(
        records,
        StoreState.newBuilder()
            .setFormatVersion(FORMAT_VERSION)
            .setHeaderSha256(ByteString.copyFrom(sha256(header)))
            .build());
  }

  /**
   * Opens the state of an existing store whose header is {@code header} (as stored) and checks it:
   * the header must be the one the state vouches for, and {@code provider}'s key state must be at
   * least as new as the state recorded. A store without a state (written by an earlier version)
   * gets one now, vouching for the header as it is (trust on first use).
   *
   * @throws CorruptionException when the state does not authenticate or is malformed, or the header
   *     was changed
   * @throws KeystoreRollbackException when the provider's key state is older than recorded
   */
  static SealedState open(CatalogRecords records, byte[] header, KeyProvider provider) {
    byte[] plain = records.readState();
    if (plain == null) {
      SealedState s = create(records, header);
      s.observe(provider);
      s.commit(true, batch -> {}, UnaryOperator.identity());
      return s;
    }
    StoreState state;
    try {
      state = StoreState.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store state is malformed", null, "store state", e);
    }
    if (state.getFormatVersion() != FORMAT_VERSION) {
      throw new CorruptionException(
          "The store state has unknown format version " + state.getFormatVersion(),
          null,
          "store state");
    }
    if (!MessageDigest.isEqual(state.getHeaderSha256().toByteArray(), sha256(header))) {
      throw new CorruptionException(
          "The store header was changed by something other than Coffer (it does not match"
              + " the store's sealed state)",
          null,
          "store header");
    }
    if (!state.getKeyStateGeneration().isEmpty()) {
      StateGeneration recorded;
      try {
        recorded = StateGeneration.decode(state.getKeyStateGeneration().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new CorruptionException(
            "The store state names a malformed key-state generation", null, "store state", e);
      }
      provider.requireStateGeneration(recorded);
    }
    SealedState s = new SealedState(records, state);
    if (s.observe(provider)) {
      s.commit(true, batch -> {}, UnaryOperator.identity());
    }
    return s;
  }

  /** The state as last written. */
  public synchronized StoreState current() {
    return state;
  }

  /**
   * Commits the records {@code ops} adds to a batch together with the state as {@code change} makes
   * it, in one atomic write (synced when {@code synced}); the new state is kept only when the write
   * succeeded.
   */
  public synchronized void commit(
      boolean synced, Consumer<RecordBatch> ops, UnaryOperator<StoreState.Builder> change) {
    if (!sealed) {
      throw new IllegalStateException(
          "A store in a shared record backend has no sealed state to commit");
    }
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
    commit(
        true,
        batch -> {
          records.putHeader(batch, header);
          ops.accept(batch);
        },
        b -> b.setHeaderSha256(ByteString.copyFrom(sha256(header))));
  }

  /**
   * Records {@code provider}'s key-state generation when it is newer than the one recorded (or of
   * another source): one synced write of the state. Failures of the provider to say are ignored
   * here (the caller's own use of the provider reports them).
   */
  public void recordGeneration(KeyProvider provider) {
    synchronized (this) {
      if (sealed && observe(provider)) {
        commit(true, batch -> {}, UnaryOperator.identity());
      }
    }
  }

  /**
   * Moves the in-memory state to {@code provider}'s generation when newer; true when it changed.
   */
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
      StateGeneration recorded =
          StateGeneration.decode(state.getKeyStateGeneration().toByteArray());
      if (recorded.sourceId().equals(g.sourceId()) && recorded.generation() >= g.generation()) {
        return false;
      }
    }
    state = state.toBuilder().setKeyStateGeneration(ByteString.copyFrom(g.encode())).build();
    return true;
  }

  /**
   * Checks the store against its rollback anchor in {@code directory} and moves both to a new
   * epoch; from then on {@link #advanceAnchor()} moves them again (at close). With {@code
   * acceptRollback}, a store older than its anchor (or whose anchor is missing) is accepted as it
   * is and anchored anew.
   *
   * @throws CorruptionException when the store's epoch is below its anchor's (the store directory
   *     was rolled back to an older copy), when the store was anchored but its anchor file is
   *     missing, or when the anchor file does not authenticate
   * @throws dev.coffer.StorageException when the anchor file cannot be read or written
   */
  synchronized void anchor(Path directory, boolean acceptRollback) {
    if (!sealed) {
      throw new IllegalStateException(
          "A store in a shared record backend keeps no rollback anchor");
    }
    AnchorFile file = AnchorFile.in(directory, records.storeIdHex());
    byte[] sealed = file.read();
    long anchored = -1;
    if (sealed != null) {
      try {
        RollbackAnchor a =
            RollbackAnchor.parseFrom(records.openAnchor(sealed, "rollback anchor " + file.path()));
        if (a.getFormatVersion() != ANCHOR_FORMAT_VERSION) {
          throw new CorruptionException(
              "The rollback anchor "
                  + file.path()
                  + " has unknown format version "
                  + a.getFormatVersion(),
              null,
              "rollback anchor");
        }
        anchored = a.getEpoch();
      } catch (InvalidProtocolBufferException e) {
        throw new CorruptionException(
            "The rollback anchor " + file.path() + " is malformed", null, "rollback anchor", e);
      }
    }
    long epoch = state.getEpoch();
    if (!acceptRollback) {
      if (anchored < 0 && epoch > 0) {
        throw new CorruptionException(
            "The store was anchored against rollback at epoch "
                + epoch
                + " but its anchor "
                + file.path()
                + " is missing. If the anchor was moved, put it back; to accept the store as it is, open"
                + " it once with CofferOptions.acceptRollback(true)",
            null,
            "rollback anchor");
      }
      if (epoch < anchored) {
        throw new CorruptionException(
            "The store directory is older than its rollback anchor (store epoch "
                + epoch
                + ", anchor "
                + file.path()
                + " at epoch "
                + anchored
                + "): it was rolled back or restored from an older"
                + " copy. To accept it as it is (a deliberate restore from a backup), open it once with"
                + " CofferOptions.acceptRollback(true)",
            null,
            "rollback anchor");
      }
    }
    anchor = file;
    advance(Math.max(epoch, anchored) + 1);
  }

  /**
   * Moves the store and its rollback anchor to the next epoch (the store first); nothing without an
   * anchor.
   *
   * @throws dev.coffer.StorageException when the anchor file cannot be written
   */
  public synchronized void advanceAnchor() {
    if (anchor != null) {
      advance(state.getEpoch() + 1);
    }
  }

  /** The anchor file, or null when the store has none. */
  public synchronized Path anchorPath() {
    return anchor == null ? null : anchor.path();
  }

  private void advance(long next) {
    commit(true, batch -> {}, b -> b.setEpoch(next));
    anchor.write(
        records.sealAnchor(
            RollbackAnchor.newBuilder()
                .setFormatVersion(ANCHOR_FORMAT_VERSION)
                .setEpoch(next)
                .build()
                .toByteArray()));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
