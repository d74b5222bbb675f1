// Over 400 lines: the state's decoding and checks at open, its commits (with the header, the
// catalog) and the rollback anchor all change one object under one monitor; the catalog binding's
// own logic is in CatalogBinding.
package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.ValidationException;
import dev.coffer.internal.record.AnchorFile;
import dev.coffer.internal.record.CatalogRecords;
import dev.coffer.internal.record.FreshStore;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.kms.KeyProvider;
import dev.coffer.kms.KeyProviderException;
import dev.coffer.kms.KeystoreRollbackException;
import dev.coffer.kms.StateGeneration;
import dev.coffer.proto.AcceptedRollback;
import dev.coffer.proto.RollbackAnchor;
import dev.coffer.proto.StoreState;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p><b>The catalog.</b> The state also records the SHA-256 of every catalog entry's sealed bytes
 * (format 2, {@link CatalogBinding}): every catalog write goes through {@link #commitCatalog}, in
 * one batch with the state, and at open {@link #checkCatalog} refuses an entry put back from an
 * older copy, removed or added.
 *
 * <p>Every write of the state goes through {@link #commit} or {@link #commitCatalog}, which write
 * it in the same batch as the caller's other records (the header, catalog entries), so the state on
 * disk always matches them. Writers serialize on this object; callers may hold the catalog lock
 * when they call it (never the other way round). Thread-safe.
 *
 * <p><b>Shared record backends.</b> A store in a shared backend (several instances, each with its
 * own cached copy) has no sealed state ({@link #unsealed}): a state written from one instance's
 * copy could undo another's (a rewrap's header hash, a key-state generation), and no write of it is
 * conditional yet. Such a state is neither read nor written, checks nothing and takes no rollback
 * anchor; the header there is written with conditional versions instead (docs/scale-out.md, "Not
 * done yet"; docs/threat-model.md).
 */
public final class SealedState implements FreshStore.StateSink {
  /**
   * The state format this code writes: 2, which binds the catalog ({@code catalog_entry_sha256},
   * {@link CatalogBinding}). Version 1 (no catalog digests) is read and bound at the next open.
   */
  static final int FORMAT_VERSION = 2;

  /**
   * The state format of a store whose tables have freshness maps ({@code table_freshness_root}):
   * format 2 plus the roots. Earlier code refuses it (it would write records without keeping the
   * maps, and the next open with freshness would fail every read of them).
   */
  static final int FRESH_FORMAT_VERSION = 3;

  /** The state format without catalog digests: read, bound to the catalog as found at open. */
  static final int UNBOUND_FORMAT_VERSION = 1;

  private static final int ANCHOR_FORMAT_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(SealedState.class);

  private final CatalogRecords records;

  /** False on a shared backend: the state is neither read nor written ({@link #unsealed}). */
  private final boolean sealed;

  private StoreState state; // guarded by this
  private AnchorFile anchor; // guarded by this; null without a rollback anchor that moves
  private Path anchorPath; // guarded by this; the anchor checked at open, null without one

  /** True when the store had no state record at open (a store older than the state, or deleted). */
  private boolean stateRecordMissing; // guarded by this

  /**
   * True when the store key's encryption context says the store keeps a sealed state ({@link
   * dev.coffer.internal.keys.KeyContexts#catalog(String, boolean)}): a missing state record was
   * then deleted, not never written.
   */
  private boolean stateBound; // guarded by this

  /**
   * False for a session that only looks ({@link AnchorCheck#move()} false): the open then writes no
   * state of its own (the catalog is bound in memory only, {@link #checkCatalog}).
   */
  private boolean moves = true; // guarded by this

  /**
   * A rollback accepted by a session that only looks: recorded with the first state the session
   * writes, if it writes one, so that no state is ever written without it.
   */
  private AcceptedRollback unrecorded; // guarded by this

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

  /**
   * The state of a new store with header {@code header} and no catalog entry: written by the
   * caller's first commit.
   */
  static SealedState create(CatalogRecords records, byte[] header) {
    return create(records, header, FORMAT_VERSION);
  }

  private static SealedState create(CatalogRecords records, byte[] header, int version) {
    return new SealedState(
        records,
        StoreState.newBuilder()
            .setFormatVersion(version)
            .setHeaderSha256(ByteString.copyFrom(sha256(header)))
            .build());
  }

  /**
   * Opens the state of an existing store whose header is {@code header} (as stored) and checks it:
   * the header must be the one the state vouches for, and {@code provider}'s key state must be at
   * least as new as the state recorded. A store without a state (written by an earlier version)
   * gets one now, vouching for the header as it is (trust on first use); when {@code stateBound}
   * (its store key says it keeps a state) a missing state is refused later, by {@link #anchor}.
   *
   * @throws CorruptionException when the state does not authenticate or is malformed, or the header
   *     was changed
   * @throws KeystoreRollbackException when the provider's key state is older than recorded
   */
  static SealedState open(
      CatalogRecords records, byte[] header, KeyProvider provider, boolean stateBound) {
    byte[] plain = records.readState();
    if (plain == null) {
      // the catalog is bound as found when it is read (checkCatalog), which also writes the state;
      // nothing is written before the rollback check had its say (a store with an anchor, or whose
      // store key says it keeps a state, and no state record is refused there)
      SealedState s = create(records, header, UNBOUND_FORMAT_VERSION);
      s.stateRecordMissing = true;
      s.stateBound = stateBound;
      s.observe(provider);
      return s;
    }
    StoreState state = decode(plain);
    if (!MessageDigest.isEqual(state.getHeaderSha256().toByteArray(), sha256(header))) {
      throw new CorruptionException(
          "The store header was changed by something other than Coffer (it does not match"
              + " the store's sealed state)",
          null,
          "store header");
    }
    StateGeneration recorded = generation(state);
    if (recorded != null) {
      provider.requireStateGeneration(recorded);
    }
    SealedState s = new SealedState(records, state);
    s.stateBound = stateBound;
    if (s.observe(provider)) {
      s.commit(true, batch -> {}, UnaryOperator.identity());
    }
    return s;
  }

  /**
   * The state whose opened bytes are {@code plain}, checked: a state this code reads (format 1 or
   * 2), whose catalog digests name table ids and are SHA-256 digests.
   *
   * @throws CorruptionException when it is malformed or of an unknown format version
   */
  static StoreState decode(byte[] plain) {
    StoreState state;
    try {
      state = StoreState.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("The store state is malformed", null, "store state", e);
    }
    if (state.getFormatVersion() != FORMAT_VERSION
        && state.getFormatVersion() != UNBOUND_FORMAT_VERSION
        && state.getFormatVersion() != FRESH_FORMAT_VERSION) {
      throw new CorruptionException(
          "The store state has unknown format version " + state.getFormatVersion(),
          null,
          "store state");
    }
    CatalogBinding.checkRecorded(state);
    return state;
  }

  /**
   * The key-state generation {@code state} records, or null when it records none.
   *
   * @throws CorruptionException when it is malformed
   */
  static StateGeneration generation(StoreState state) {
    if (state.getKeyStateGeneration().isEmpty()) {
      return null;
    }
    try {
      return StateGeneration.decode(state.getKeyStateGeneration().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new CorruptionException(
          "The store state names a malformed key-state generation", null, "store state", e);
    }
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
    RecordBatch batch = synced ? RecordBatch.createSynced() : RecordBatch.create();
    ops.accept(batch);
    commitWith(batch, change.apply(state.toBuilder()));
  }

  private void commitWith(RecordBatch batch, StoreState.Builder next) {
    if (unrecorded != null) {
      next.setLastAcceptedRollback(unrecorded);
    }
    StoreState built = next.build();
    records.putState(batch, built.toByteArray());
    records.commit(batch);
    state = built;
    unrecorded = null;
  }

  @Override
  public synchronized Map<String, ByteString> freshnessRoots() {
    return state.getTableFreshnessRootMap();
  }

  @Override
  public synchronized boolean freshnessEnabled() {
    return state.getFreshnessEnabled();
  }

  /**
   * Commits {@code batch} (a write of table records with the freshness maps' changed nodes) with
   * the state recording the maps' new roots and, when {@code enabled} is not null, whether
   * freshness is on, in one atomic write; format 3 while freshness is on or any table has a root,
   * else 2.
   */
  @Override
  public synchronized void commitFreshness(
      RecordBatch batch, Map<String, byte[]> roots, Boolean enabled) {
    if (!sealed) {
      throw new IllegalStateException("A store in a shared record backend keeps no freshness map");
    }
    StoreState.Builder next = state.toBuilder();
    roots.forEach(
        (id, root) -> {
          if (root == null) {
            next.removeTableFreshnessRoot(id);
          } else {
            next.putTableFreshnessRoot(id, ByteString.copyFrom(root));
          }
        });
    if (enabled != null) {
      next.setFreshnessEnabled(enabled);
    }
    if (next.getFormatVersion() != UNBOUND_FORMAT_VERSION) {
      next.setFormatVersion(
          next.getTableFreshnessRootCount() > 0 || next.getFreshnessEnabled()
              ? FRESH_FORMAT_VERSION
              : FORMAT_VERSION);
    }
    commitWith(batch, next);
  }

  /**
   * Commits catalog changes (entries written or deleted, the header, markers) together with the
   * state recording the entries' new digests and the header's hash, in one atomic write (synced
   * when {@code synced}): every catalog write goes through here, so the catalog on disk always
   * matches the state ({@link CatalogBinding}). On a shared backend the changes are committed
   * without a state.
   */
  synchronized void commitCatalog(boolean synced, Consumer<CatalogBinding.Changes> ops) {
    CatalogBinding.Changes changes = new CatalogBinding.Changes(records, synced);
    ops.accept(changes);
    if (!sealed) {
      records.commit(changes.batch());
      return;
    }
    StoreState.Builder next = state.toBuilder();
    changes.applyTo(next);
    commitWith(changes.batch(), next);
  }

  /**
   * Commits a new header (and the caller's other catalog changes) with the state vouching for it;
   * see {@link #commitCatalog}.
   */
  void commitHeader(byte[] header, Consumer<CatalogBinding.Changes> ops) {
    commitCatalog(
        true,
        changes -> {
          changes.header(header);
          ops.accept(changes);
        });
  }

  /**
   * Checks the catalog as read at open ({@code entries}) against the digests the state records
   * ({@link CatalogBinding#check}); a state of format 1 (written before it recorded them, or no
   * state record) is bound to the catalog as found, in one synced write, or, in a session that only
   * looks ({@link AnchorCheck#move()} false), in memory only: written by the next open that moves
   * the anchor (before, a look-only open that accepted a deleted state record wrote a bound state
   * here, so the next open passed without the acceptance recorded). Nothing on a shared backend.
   *
   * @throws CorruptionException when an entry differs from the one recorded (an older copy put
   *     back), is missing, or is not recorded (added, or a deleted table's put back)
   */
  synchronized void checkCatalog(List<CatalogRecords.CatalogRecord> entries) {
    if (!sealed) {
      return;
    }
    if (state.getFormatVersion() == UNBOUND_FORMAT_VERSION) {
      StoreState.Builder bound =
          state.toBuilder()
              .setFormatVersion(FORMAT_VERSION)
              .clearCatalogEntrySha256()
              .putAllCatalogEntrySha256(CatalogBinding.digests(entries));
      if (moves) {
        commitWith(RecordBatch.createSynced(), bound);
      } else {
        state = bound.build();
      }
      return;
    }
    CatalogBinding.check(state.getCatalogEntrySha256Map(), entries);
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
   * Checks the store against its rollback anchor ({@link AnchorCheck}) and, when {@code
   * check.move()}, moves both to a new epoch; from then on {@link #advanceAnchor()} moves them
   * again (at access checks and close). Without {@code move} nothing is written, now or later: the
   * store is only checked (a copy looked at without making the store itself look rolled back). With
   * {@code acceptRollback}, a store that would be refused is accepted as it is, with a WARN line,
   * and (when it moves) anchored anew, the acceptance recorded in the state ({@link
   * #lastAcceptedRollback()}).
   *
   * @throws CorruptionException when the store's epoch is below its anchor's (the store directory
   *     was rolled back to an older copy), when the store was anchored but its anchor file is
   *     missing, when the anchor file does not authenticate or is malformed, or when the store has
   *     an anchor but no state record; each names the anchor file and the remedy
   * @throws dev.coffer.StorageException when the anchor file cannot be read, locked or written
   */
  synchronized void anchor(AnchorCheck check) {
    if (!sealed) {
      throw new IllegalStateException(
          "A store in a shared record backend keeps no rollback anchor");
    }
    moves = check.move();
    if (check.directory() == null) {
      checkStateRecord(check);
      return;
    }
    AnchorFile file = AnchorFile.in(check.directory(), records.storeIdHex());
    anchorPath = file.path();
    file.locked(
        () -> {
          checkAndMove(file, check);
          return null;
        });
  }

  private void checkAndMove(AnchorFile file, AnchorCheck check) {
    byte[] bytes = renewedAnchor(file, file.read(), check.move());
    long epoch = state.getEpoch();
    long anchored = -1;
    String reason = null;
    String problem = null;
    if (bytes != null) {
      try {
        anchored = anchoredEpoch(records, bytes, file.path());
      } catch (CorruptionException e) {
        if (!check.acceptRollback()) {
          throw new CorruptionException(
              "The store's rollback anchor "
                  + file.path()
                  + " is damaged ("
                  + e.getMessage()
                  + "), so whether the store directory "
                  + check.location()
                  + " was rolled back cannot be told. Put back an intact copy of the anchor file"
                  + " if you have one; to accept the store directory as it is and anchor it anew,"
                  + " open it once with "
                  + ACCEPT_HOW,
              null,
              "rollback anchor",
              e);
        }
        reason = "ANCHOR_DAMAGED";
        problem = "its rollback anchor " + file.path() + " is damaged (" + e.getMessage() + ")";
      }
    }
    if (reason == null && stateRecordMissing && (bytes != null || stateBound)) {
      reason = "STATE_MISSING";
      problem =
          bytes != null
              ? "its sealed state record is missing though it has a rollback anchor "
                  + file.path()
                  + " (at epoch "
                  + anchored
                  + "): the record was deleted by something other than Coffer, which would make"
                  + " the store trust an older catalog as found"
              : STATE_BOUND_MISSING;
    } else if (reason == null && bytes == null && epoch > 0) {
      reason = "ANCHOR_MISSING";
      problem =
          "it was anchored against rollback at epoch "
              + epoch
              + " but its anchor "
              + file.path()
              + " is missing";
    } else if (reason == null && epoch < anchored) {
      reason = "OLDER_THAN_ANCHOR";
      problem =
          "the store directory is older than its rollback anchor (store epoch "
              + epoch
              + ", anchor "
              + file.path()
              + " at epoch "
              + anchored
              + "): it was rolled back or restored from an older copy";
    }
    AcceptedRollback accepted = null;
    if (reason != null) {
      if (!check.acceptRollback()) {
        throw new CorruptionException(
            "The store "
                + check.location()
                + " was refused: "
                + problem
                + (reason.equals("ANCHOR_MISSING") ? ". If the anchor was moved, put it back" : "")
                + ". To accept it as it is (a deliberate restore from a backup), open it once with "
                + ACCEPT_HOW,
            null,
            "rollback anchor");
      }
      LOG.warn(
          "Rollback accepted for the store {}: {} (anchored epoch {}, found epoch {}){}",
          check.location(),
          problem,
          anchored < 0 ? "none" : Long.toString(anchored),
          epoch,
          check.move() ? "; anchored anew as it is" : "; checked only, nothing recorded");
      accepted =
          AcceptedRollback.newBuilder()
              .setAcceptedMillis(check.clock().millis())
              .setAnchoredEpoch(anchored)
              .setFoundEpoch(epoch)
              .setReason(reason)
              .build();
    }
    if (!check.move()) {
      unrecorded = accepted;
      return;
    }
    anchor = file;
    long next = Math.max(epoch, anchored) + 1;
    AcceptedRollback recorded = accepted;
    commit(
        true,
        batch -> {},
        b -> {
          b.setEpoch(next);
          if (recorded != null) {
            b.setLastAcceptedRollback(recorded);
          }
          return b;
        });
    file.write(sealedAnchor(next));
  }

  /**
   * The anchor to check the store against, given the anchor file's bytes {@code bytes}: those,
   * unless a renewal of the store key left its anchor ({@link AnchorFile#renewal()}) that opens
   * under the store's catalog key while {@code bytes} do not (the process died after the renewal
   * committed and before it rewrote the anchor): then the renewal's, written over the anchor when
   * {@code move}. A renewal anchor that does not open (the renewal did not commit) or is no longer
   * needed is deleted when {@code move}.
   */
  private byte[] renewedAnchor(AnchorFile file, byte[] bytes, boolean move) {
    AnchorFile pending = file.renewal();
    byte[] renewed = pending.read();
    if (renewed == null) {
      return bytes;
    }
    byte[] use = bytes;
    if (opens(renewed, pending.path()) && (bytes == null || !opens(bytes, file.path()))) {
      use = renewed;
      if (move) {
        file.write(renewed);
      }
    }
    if (move) {
      pending.delete();
    }
    return use;
  }

  private boolean opens(byte[] sealed, Path path) {
    try {
      anchoredEpoch(records, sealed, path);
      return true;
    } catch (CorruptionException e) {
      return false;
    }
  }

  /**
   * Renews the store key (at the master-key rotation that binds the sealed state into its context):
   * in ONE synced batch, the header {@code header} (naming the new store key), every catalog entry
   * ({@code entries}: plaintexts by table id hex), every "creating" marker and ClientRequestToken
   * record ({@code tokenOf} reads a token record's token), and the state, all sealed with {@code
   * next}'s catalog key; then this store's records take {@code next}'s keys and the old catalog key
   * is wiped. Nothing is left that the old store key opens, so a header from before the renewal
   * (whose store key unwraps without the pair) opens nothing: not the state, not an entry. With a
   * rollback anchor, the anchor at the same epoch sealed with the new key is written first beside
   * it ({@link AnchorFile#renewal()}) and moved over it after the commit, so a crash anywhere
   * leaves an anchor that opens under the key the store has. A failure before the commit changes
   * nothing.
   *
   * @return the number of records re-sealed with the new key (header, entries, markers, token
   *     records, the state)
   * @throws dev.coffer.ValidationException in a session that checked an anchor without moving it
   *     (it may not write the anchor)
   */
  synchronized int renew(
      CatalogRecords next,
      byte[] header,
      Map<String, byte[]> entries,
      Function<byte[], String> tokenOf) {
    if (!sealed) {
      throw new IllegalStateException("A store in a shared record backend has no sealed state");
    }
    if (anchor == null && anchorPath != null) {
      throw new ValidationException(
          "This master-key rotation renews the store key, which rewrites the store's rollback"
              + " anchor; a session opened with moveRollbackAnchor(false) does not write it: open"
              + " the store as the store (the default) to rotate its master key");
    }
    CatalogBinding.Changes changes = new CatalogBinding.Changes(next, true);
    changes.header(header);
    entries.forEach((hex, plain) -> changes.putEntry(HexFormat.of().parseHex(hex), plain));
    records.renewInto(changes.batch(), next, tokenOf);
    StoreState.Builder b = state.toBuilder().clearCatalogEntrySha256();
    changes.applyTo(b);
    records // the freshness map of the token records, every one of which was rewritten
        .stageRenewal(changes.batch())
        .forEach(
            (id, root) -> {
              if (root == null) {
                b.removeTableFreshnessRoot(id);
              } else {
                b.putTableFreshnessRoot(id, ByteString.copyFrom(root));
              }
            });
    if (unrecorded != null) {
      b.setLastAcceptedRollback(unrecorded);
    }
    StoreState built = b.build();
    next.putState(changes.batch(), built.toByteArray());
    int resealed =
        (int)
            changes.batch().operations().stream()
                .filter(o -> o.kind() == RecordBatch.Kind.PUT)
                .count();
    if (anchor == null) {
      records.commit(changes.batch());
      adopt(next, built);
      return resealed;
    }
    AnchorFile file = anchor;
    file.locked(
        () -> {
          byte[] sealedAnchor =
              next.sealAnchor(
                  RollbackAnchor.newBuilder()
                      .setFormatVersion(ANCHOR_FORMAT_VERSION)
                      .setEpoch(state.getEpoch())
                      .build()
                      .toByteArray());
          AnchorFile pending = file.renewal();
          pending.write(sealedAnchor);
          records.commit(changes.batch());
          adopt(next, built);
          try {
            file.write(sealedAnchor);
            pending.delete();
          } catch (StorageException e) {
            // committed: the next open takes the renewal's anchor (renewedAnchor)
            LOG.warn(
                "The rollback anchor {} was not rewritten after the store key was renewed;"
                    + " the next open uses {}",
                file.path(),
                pending.path(),
                e);
          }
          return null;
        });
    return resealed;
  }

  private void adopt(CatalogRecords next, StoreState built) {
    records.adopt(next);
    state = built;
    unrecorded = null;
  }

  /**
   * Why a store whose store key says it keeps a state, and that has no state record, is refused.
   */
  private static final String STATE_BOUND_MISSING =
      "its sealed state record is missing though its store key is wrapped under an encryption"
          + " context that says the store keeps one (state: sealed): the record was deleted by"
          + " something other than Coffer, which would make the store trust its catalog (older"
          + " entries put back), its header and the key provider's state as found";

  /**
   * Without a rollback anchor: refuses a store whose store key says it keeps a state and whose
   * state record is missing, unless {@code check.acceptRollback()}; an accepted one is logged and,
   * when {@code check.move()}, recorded in the state ({@link #lastAcceptedRollback()}); in a
   * session that only looks, nothing is written, and the acceptance goes with the first state the
   * session writes, if any.
   *
   * @throws CorruptionException when refused, naming the remedy
   */
  private void checkStateRecord(AnchorCheck check) {
    if (!stateRecordMissing || !stateBound) {
      return;
    }
    if (!check.acceptRollback()) {
      throw new CorruptionException(
          "The store "
              + check.location()
              + " was refused: "
              + STATE_BOUND_MISSING
              + ". If you have an intact copy of the store directory, put it back; to accept it as"
              + " it is (a deliberate restore from a backup), open it once with "
              + ACCEPT_HOW,
          null,
          "store state");
    }
    LOG.warn(
        "Rollback accepted for the store {}: {}{}",
        check.location(),
        STATE_BOUND_MISSING,
        check.move() ? "; its catalog and header are bound as found" : "; checked only");
    AcceptedRollback accepted =
        AcceptedRollback.newBuilder()
            .setAcceptedMillis(check.clock().millis())
            .setAnchoredEpoch(-1)
            .setFoundEpoch(state.getEpoch())
            .setReason("STATE_MISSING")
            .build();
    if (check.move()) {
      commit(true, batch -> {}, b -> b.setLastAcceptedRollback(accepted));
    } else {
      unrecorded = accepted; // nothing written now (checkCatalog binds in memory only)
    }
  }

  /** How a rollback is accepted, for the error messages. */
  private static final String ACCEPT_HOW =
      "CofferOptions.acceptRollback(true) (on the command line: --accept-rollback)";

  /** The last rollback accepted at open, as the state records it (empty when none ever was). */
  public synchronized Optional<AcceptedRollback> lastAcceptedRollback() {
    return state.hasLastAcceptedRollback()
        ? Optional.of(state.getLastAcceptedRollback())
        : Optional.empty();
  }

  /**
   * The epoch of the rollback anchor whose file (at {@code path}) holds {@code sealed}.
   *
   * @throws CorruptionException when it does not authenticate (changed, or another store's), is
   *     malformed or of an unknown format version
   */
  static long anchoredEpoch(CatalogRecords records, byte[] sealed, Path path) {
    RollbackAnchor a;
    try {
      a = RollbackAnchor.parseFrom(records.openAnchor(sealed, "rollback anchor " + path));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException(
          "The rollback anchor " + path + " is malformed", null, "rollback anchor", e);
    }
    if (a.getFormatVersion() != ANCHOR_FORMAT_VERSION) {
      throw new CorruptionException(
          "The rollback anchor " + path + " has unknown format version " + a.getFormatVersion(),
          null,
          "rollback anchor");
    }
    return a.getEpoch();
  }

  /**
   * Moves the store and its rollback anchor to the next epoch (the store first); nothing without an
   * anchor that moves. The anchor never moves backwards: when another copy of this store (the same
   * store id) has moved it past this store's next epoch, it is left as it is and a WARN line says
   * so; this store, now behind, is then refused at its next open unless accepted.
   *
   * @throws dev.coffer.StorageException when the anchor file cannot be locked or written
   */
  public synchronized void advanceAnchor() {
    if (anchor == null) {
      return;
    }
    AnchorFile file = anchor;
    file.locked(
        () -> {
          long next = state.getEpoch() + 1;
          commit(true, batch -> {}, b -> b.setEpoch(next));
          long anchored = -1;
          byte[] bytes = file.read();
          if (bytes != null) {
            try {
              anchored = anchoredEpoch(records, bytes, file.path());
            } catch (CorruptionException e) {
              LOG.warn(
                  "The rollback anchor {} was damaged while the store was open; writing it anew",
                  file.path(),
                  e);
            }
          }
          if (anchored
              >= next) { // this copy wrote at most next - 1: an equal epoch is another copy's
            LOG.warn(
                "Another copy of this store (store id {}) moved the rollback anchor {} to epoch {}"
                    + " while this one is at epoch {}: the anchor is left as it is, and this copy"
                    + " will be refused at its next open unless the rollback is accepted",
                records.storeIdHex(),
                file.path(),
                anchored,
                next);
            return null;
          }
          file.write(sealedAnchor(next));
          return null;
        });
  }

  /** The anchor file checked at open, or null when the store has none. */
  public synchronized Path anchorPath() {
    return anchorPath;
  }

  private byte[] sealedAnchor(long epoch) {
    return records.sealAnchor(
        RollbackAnchor.newBuilder()
            .setFormatVersion(ANCHOR_FORMAT_VERSION)
            .setEpoch(epoch)
            .build()
            .toByteArray());
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
