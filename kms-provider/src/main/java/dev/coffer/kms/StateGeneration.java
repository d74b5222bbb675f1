package dev.coffer.kms;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A point in the history of a key provider's own state (its keys, states, policies, aliases): the
 * id of the state's source (for the local provider, the keystore's random id) and a generation that
 * grows with every change. What a store records in its header so that, at open, it notices a key
 * state older than the one it last saw (a rolled-back keystore) and refuses it.
 *
 * <p>Use: after its own key operations a store records {@link KeyProvider#stateGeneration()}
 * ({@link #encode()} gives the bytes); at open it passes what it recorded to {@link
 * KeyProvider#requireStateGeneration}, which fails with {@link KeystoreRollbackException} when the
 * provider's state is older, and from then on refuses to go below it. Generations of different
 * sources are not comparable: a state from another source is not "older" ({@link #isOlderThan}).
 *
 * <p>Immutable and thread-safe.
 */
public final class StateGeneration {
  private static final String PREFIX = "coffer-state-generation-v1:";

  private final String sourceId;
  private final long generation;

  private StateGeneration(String sourceId, long generation) {
    this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
    if (sourceId.isEmpty() || sourceId.indexOf(':') >= 0 || generation < 0) {
      throw new IllegalArgumentException(
          "a source id without ':' and a generation >= 0 are required");
    }
    this.generation = generation;
  }

  /** The generation {@code generation} of the state {@code sourceId} names. */
  public static StateGeneration of(String sourceId, long generation) {
    return new StateGeneration(sourceId, generation);
  }

  /**
   * Parses what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException bytes that {@link #encode()} did not write
   */
  public static StateGeneration decode(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    int colon = s.lastIndexOf(':');
    if (!s.startsWith(PREFIX) || colon <= PREFIX.length()) {
      throw new IllegalArgumentException("not an encoded state generation");
    }
    try {
      return new StateGeneration(
          s.substring(PREFIX.length(), colon), Long.parseLong(s.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an encoded state generation", e);
    }
  }

  /** A stable byte form, to keep in a header: {@code coffer-state-generation-v1:<source>:<n>}. */
  public byte[] encode() {
    return (PREFIX + sourceId + ":" + generation).getBytes(StandardCharsets.UTF_8);
  }

  /** What the generation counts changes of, e.g. {@code local-<keystore id>}. */
  public String sourceId() {
    return sourceId;
  }

  /** The number of changes, growing by at least one per change. */
  public long generation() {
    return generation;
  }

  /** Whether this is an earlier state of the same source as {@code other}. */
  public boolean isOlderThan(StateGeneration other) {
    return sourceId.equals(other.sourceId) && generation < other.generation;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateGeneration g
        && g.sourceId.equals(sourceId)
        && g.generation == generation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceId, generation);
  }

  @Override
  public String toString() {
    return "StateGeneration[" + sourceId + ", " + generation + "]";
  }
}
