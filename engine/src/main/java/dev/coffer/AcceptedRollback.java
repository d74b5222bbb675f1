package dev.coffer;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A rollback accepted at open with {@link CofferOptions#acceptRollback()}, as the store's sealed
 * state records it ({@link Coffer#lastAcceptedRollback()}). Immutable. Every field is authenticated
 * (sealed with the catalog key), though a store directory rolled back together with its anchor
 * directory shows what it held then.
 *
 * @param acceptedAt when the rollback was accepted (the store's clock)
 * @param anchoredEpoch the epoch of the store's rollback anchor, empty when the anchor was missing
 *     or damaged
 * @param foundEpoch the store epoch found in the store directory
 * @param reason why the open would have refused the store otherwise
 */
public record AcceptedRollback(
    Instant acceptedAt, OptionalLong anchoredEpoch, long foundEpoch, Reason reason) {
  /** Checks that no component is null. */
  public AcceptedRollback {
    Objects.requireNonNull(acceptedAt, "acceptedAt");
    Objects.requireNonNull(anchoredEpoch, "anchoredEpoch");
    Objects.requireNonNull(reason, "reason");
  }

  /** Why a store was refused before its rollback was accepted. */
  public enum Reason {
    /** The store's epoch was below its anchor's: an older copy (a restore from a backup). */
    OLDER_THAN_ANCHOR,
    /** The store had been anchored but its anchor file was missing. */
    ANCHOR_MISSING,
    /** The anchor file did not authenticate or was malformed. */
    ANCHOR_DAMAGED,
    /** The store had an anchor but its sealed state record was missing. */
    STATE_MISSING,
    /** A reason this version does not know (written by a newer one). */
    UNKNOWN
  }
}
