package dev.coffer.internal.catalog;

import dev.coffer.internal.record.FreshStore;
import dev.coffer.internal.record.RecordStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the open of an embedded store does with freshness ({@code CofferOptions.freshness}), given
 * what the store's sealed state says and whether the session moves the rollback anchor.
 *
 * <p>A session that moves the anchor (the default) does what it is asked: with freshness on it
 * binds the maps, maps the tables written without them ({@link FreshStore#coverAll}) and, at the
 * open that marks the state (the first with freshness on), moves the rollback anchor once more
 * after the mark ({@link SealedState#advanceAnchor}), so that the state the bootstrap anchored, not
 * yet marked, is older than the anchor and refused if put back; with freshness off it removes the
 * maps ({@link FreshStore#forgetAll}).
 *
 * <p>A session that only looks ({@code moveRollbackAnchor(false)}) changes neither way what the
 * store keeps: it checks reads against the maps the state names (every table once the state says
 * freshness is on; the tables an interrupted first build mapped, before), never maps a table or the
 * store's ClientRequestToken records as found, marks the state, or removes the maps, whatever it
 * asked, and says so in a log line when that differs from what it asked (or when the token records
 * go unchecked: a state an earlier build marked names no map of them). Turning freshness on means
 * mapping the tables as found: a look-only open of a copy (a backup being verified) would then have
 * the store's newest state vouched for by maps of whatever it holds, written without moving the
 * anchor. Not thread-safe: used once, by the opening thread.
 */
public final class OpenFreshness {
  private static final Logger LOG = LoggerFactory.getLogger(OpenFreshness.class);

  private final boolean marked;
  private final boolean checks;
  private final boolean wanted;
  private final boolean moves;

  private OpenFreshness(boolean marked, boolean checks, boolean wanted, boolean moves) {
    this.marked = marked;
    this.checks = checks;
    this.wanted = wanted;
    this.moves = moves;
  }

  /**
   * What to do for a store whose state is {@code state}, asked {@code asked} (empty: as the store
   * has it), in a session that moves the anchor when {@code moves}.
   */
  public static OpenFreshness decide(SealedState state, Optional<Boolean> asked, boolean moves) {
    boolean marked = state.freshnessEnabled();
    boolean keeps = marked || !state.freshnessRoots().isEmpty();
    boolean wanted = asked.orElse(keeps);
    return new OpenFreshness(marked, moves ? wanted : keeps, wanted, moves);
  }

  /** Whether the store is asked to keep freshness (what needs a rollback anchor). */
  public boolean wanted() {
    return wanted;
  }

  /** Whether this session checks reads against the maps and keeps them with its writes. */
  public boolean checks() {
    return checks;
  }

  /**
   * After the bootstrap, before the catalog loads: binds {@code fresh} to {@code state} when this
   * session checks, and says in a log line what a look-only session does not do of what it asked.
   */
  public void bind(FreshStore fresh, SealedState state, String location) {
    if (checks) {
      fresh.bind(state);
    }
    if (moves || (wanted ? marked : !checks)) {
      return; // it does what it asked
    }
    if (wanted) {
      LOG.warn(
          "Freshness is not turned on for the store {} by a session that only looks"
              + " (moveRollbackAnchor(false)): its state does not say freshness is on, so no map is"
              + " built and {}; open it once as the store (the default) with freshness(true) to map"
              + " its tables",
          location,
          checks
              ? "only the tables an interrupted first open mapped are checked"
              : "its reads are not checked for freshness");
    } else {
      LOG.warn(
          "Freshness is not turned off for the store {} by a session that only looks"
              + " (moveRollbackAnchor(false)): its maps are kept and checked; open it as the store"
              + " (the default) with freshness(false) to remove them",
          location);
    }
  }

  /**
   * After the catalog loaded, before anything else writes: maps the tables written without a map
   * and marks the state, then moves the anchor once more if the state was not marked (a session
   * that moves the anchor, freshness on); or removes the maps (freshness off); or, in a session
   * that only looks, checks the tables of a marked state as {@link FreshStore#coverAll} does and
   * writes nothing else: no map of the store's ClientRequestToken records is built as found (a
   * state an earlier build marked names none), their look-ups are then not checked in the session,
   * and a log line says so.
   */
  public void finish(FreshStore fresh, RecordStore store, SealedState state) {
    if (!moves) {
      if (marked) {
        // writes only what a crash left (an empty table's map, a dropped root), never a token map
        fresh.coverAll(false);
        if (!fresh.tokensChecked()) {
          LOG.warn(
              "The ClientRequestToken records of the store {} are not checked for freshness by a"
                  + " session that only looks (moveRollbackAnchor(false)): its state names no map"
                  + " of them (an earlier build kept none), and none is built as found; open it"
                  + " once as the store (the default) with freshness(true) to map them",
              store.location());
        }
      }
      return;
    }
    if (!wanted) {
      FreshStore.forgetAll(store, state); // nothing when it never was on
      return;
    }
    fresh.coverAll(true);
    if (!marked) {
      state.advanceAnchor();
    }
  }
}
