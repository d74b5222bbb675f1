package dev.coffer.internal.catalog;

import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.ReencryptionState;

/**
 * Where a table's re-encryption job stands, persisted in its catalog entry ({@code reencryption}:
 * target version, the last partition finished, progress), so that a crash, a close or a failure
 * leaves a job that the next run resumes. Each save is one catalog write under the catalog lock.
 * Thread-safe.
 */
public final class ReencryptionCursor {
  private final Catalog catalog;

  public ReencryptionCursor(Catalog catalog) {
    this.catalog = catalog;
  }

  /** The saved state of {@code t}'s job, or null when there is none. */
  public ReencryptionState saved(TableContext t) {
    CatalogEntry e = t.entry();
    return e.hasReencryption() ? e.getReencryption() : null;
  }

  /** Persists the position of {@code t}'s job (synced); null clears it. */
  public void save(TableContext t, ReencryptionState state) {
    catalog.updateEntry(
        t,
        () -> {
          t.checkLive();
          CatalogEntry.Builder b = t.entry().toBuilder();
          if (state == null) {
            b.clearReencryption();
          } else {
            b.setReencryption(state);
          }
          catalog.write(t, b.build(), true);
          return null;
        });
  }
}
