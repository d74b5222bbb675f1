package dev.coffer.internal.catalog;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How an open checks the store against its rollback anchor ({@link SealedState#anchor}), or, for a
 * store without one, only that its state record is there when its store key says it keeps one.
 *
 * @param directory the directory of the anchor file (outside the store directory); null when the
 *     store has no rollback anchor (only the state record is checked, and nothing moves)
 * @param acceptRollback whether a store that would be refused (older than its anchor, its anchor
 *     missing or damaged, its state record missing) is accepted as it is
 * @param move whether the open moves the store and its anchor to a new epoch (and the access checks
 *     and the close move them on); false only checks, and writes nothing
 * @param location the store's location, for messages
 * @param clock the clock an accepted rollback is dated by
 */
public record AnchorCheck(
    Path directory, boolean acceptRollback, boolean move, String location, Clock clock) {
  /** Checks that no component is null. */
  public AnchorCheck {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(clock, "clock");
  }
}
