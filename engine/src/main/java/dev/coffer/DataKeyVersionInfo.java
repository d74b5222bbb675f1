package dev.coffer;

import java.time.Instant;

/**
 * One version of a table's data key, as {@link TableDescription#dataKeys()} lists it. Immutable.
 *
 * @param version the version number, from 1
 * @param state PRIMARY (seals new pages), RETIRED (opens old pages) or DESTROYED (gone)
 * @param created when it was generated
 * @param seals the records sealed under it (an upper bound; persisted at intervals)
 * @param destroyed when it was destroyed, or null
 */
public record DataKeyVersionInfo(
    int version, State state, Instant created, long seals, Instant destroyed) {
  /** The lifecycle state of a data-key version. */
  public enum State {
    /** Seals every new page; exactly one version of a table is primary. */
    PRIMARY,
    /** Older; still opens the pages it sealed until re-encryption moves them off it. */
    RETIRED,
    /** Destroyed: its wrapped form is gone from the catalog; nothing it sealed can be opened. */
    DESTROYED
  }
}
