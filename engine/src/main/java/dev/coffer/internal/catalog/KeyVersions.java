package dev.coffer.internal.catalog;

import dev.coffer.StorageException;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.StoreKeys;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.DataKeyState;
import dev.coffer.proto.DataKeyVersion;
import java.time.Clock;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A table's data-key versions: rotation (a new PRIMARY version, the old one RETIRED), destruction
 * of RETIRED versions, and each version's seal count (for the {@code rotate_after_pages} policy and
 * DescribeTable; it no longer bounds anything: {@code SealBudget}), persisted at commit points:
 * {@link #flushSealsIfDue} after each write, outside every partition lock, and with every rotation,
 * destruction and close. The sealing path itself only counts ({@code SealBudget}).
 *
 * <p>No key-provider call and no compaction happens under the catalog lock: a rotation generates
 * its new version first and takes the lock only to commit it; the compaction after a destruction is
 * the caller's, afterwards. Thread-safe.
 */
public final class KeyVersions {
  private final Catalog catalog;
  private final StoreKeys storeKeys;
  private final DataKeys dataKeys;
  private final Clock clock;

  public KeyVersions(Catalog catalog, StoreKeys storeKeys, DataKeys dataKeys, Clock clock) {
    this.catalog = catalog;
    this.storeKeys = storeKeys;
    this.dataKeys = dataKeys;
    this.clock = clock;
  }

  /**
   * Data-key rotation: generates version n+1 (the provider's {@code GenerateDataKey} with context
   * {@code {store, table, purpose: page, version: n+1}}, no lock held), then, under the catalog
   * lock and {@code underStore}, makes it PRIMARY and the old primary RETIRED in one synced catalog
   * write, and makes it the version that seals. Returns the new version, or the current one when
   * {@code ifPrimaryIs} is positive and no longer the primary (another rotation came first).
   *
   * @param underStore runs the commit under the store's shared lifecycle lock (throws once closed)
   */
  public int rotate(TableContext t, int ifPrimaryIs, Consumer<Runnable> underStore) {
    for (int attempt = 1; ; attempt++) {
      t.checkLive();
      catalog.syncIfStale(t); // another instance's rotation, when the last commit lost to it
      int primary = t.keys().primaryVersion();
      if (ifPrimaryIs > 0 && primary != ifPrimaryIs) {
        return primary;
      }
      CatalogEntry before = t.entry();
      int next = 0;
      for (DataKeyVersion v : before.getDataKeysList()) {
        next = Math.max(next, v.getVersion());
      }
      int version = next + 1;
      StoreKeys.State keys = storeKeys.current();
      long now = clock.millis();
      DataKeys.NewVersion nv = dataKeys.generateVersion(keys, t.tableId(), version, now);
      int[] outcome = new int[1]; // the version committed; 0 to start again
      try {
        underStore.accept(
            () -> outcome[0] = commitRotation(t, ifPrimaryIs, primary, keys, nv, now));
      } catch (RuntimeException e) {
        nv.pageKey().destroy();
        throw e;
      }
      if (outcome[0] > 0) {
        return outcome[0];
      }
      if (attempt == Catalog.ATTEMPTS * (catalog.shared() != null ? 4 : 1)) {
        throw new StorageException(
            "The data key of table "
                + t.name()
                + " was not rotated: the master key or the"
                + " data key was rotated by another caller "
                + Catalog.ATTEMPTS
                + " times meanwhile; try again");
      }
    }
  }

  /** The commit of a rotation: the version now primary, or 0 when the rotation must start again. */
  private int commitRotation(
      TableContext t,
      int ifPrimaryIs,
      int primaryBefore,
      StoreKeys.State keys,
      DataKeys.NewVersion nv,
      long now) {
    catalog.lock().lock();
    try {
      t.checkLive();
      int primary = t.keys().primaryVersion();
      if (primary != primaryBefore) {
        nv.pageKey().destroy();
        return ifPrimaryIs > 0 ? primary : 0; // another rotation came first
      }
      if (storeKeys.current() != keys) {
        nv.pageKey().destroy();
        return 0; // wrapped by a master key that was rotated away meanwhile
      }
      CatalogEntry.Builder b = t.entry().toBuilder();
      for (int i = 0; i < b.getDataKeysCount(); i++) {
        DataKeyVersion v = b.getDataKeys(i);
        DataKeyVersion.Builder vb = withSeals(t, v).toBuilder();
        if (v.getState() == DataKeyState.DATA_KEY_STATE_PRIMARY) {
          vb.setState(DataKeyState.DATA_KEY_STATE_RETIRED);
        }
        b.setDataKeys(i, vb);
      }
      CatalogEntry updated = b.addDataKeys(nv.version()).setLastDataKeyRotationMillis(now).build();
      // The entry is written before the new version seals, and published after it does: whoever
      // sees the old version RETIRED (the re-encryption job's snapshot, under this lock) also sees
      // the new primary, so no seal under the old version follows.
      try {
        catalog.write(t, updated, true);
      } catch (RecordConflictException e) {
        nv.pageKey().destroy();
        return 0; // another instance changed the entry (perhaps rotated): read it again, start
        // again
      }
      t.keys().addPrimary(nv.version().getVersion(), nv.pageKey(), SealBudget.fresh());
      markPersisted(t, updated);
      return nv.version().getVersion();
    } catch (RuntimeException e) {
      nv.pageKey().destroy();
      throw e;
    } finally {
      catalog.lock().unlock();
    }
  }

  /** The table's data-key versions as one consistent view: the RETIRED versions and the primary. */
  public record Snapshot(Set<Integer> retired, int primary, CatalogEntry entry) {}

  /**
   * The RETIRED versions and the primary version of {@code t}, read under the catalog lock, so that
   * no rotation is half done (its entry written but its new version not yet primary).
   */
  public Snapshot snapshot(TableContext t) {
    catalog.lock().lock();
    try {
      Set<Integer> retired = new TreeSet<>();
      CatalogEntry e = t.entry();
      for (DataKeyVersion v : e.getDataKeysList()) {
        if (v.getState() == DataKeyState.DATA_KEY_STATE_RETIRED) {
          retired.add(v.getVersion());
        }
      }
      return new Snapshot(Collections.unmodifiableSet(retired), t.keys().primaryVersion(), e);
    } finally {
      catalog.lock().unlock();
    }
  }

  /**
   * Destroys RETIRED data-key versions: one synced catalog write removes their wrapped forms (state
   * DESTROYED) and clears the re-encryption state, then their page keys are wiped. The caller has
   * proved that no record of the table uses them, and compacts afterwards ({@link
   * #compactAfterDestroy}) so that no older catalog record carrying a destroyed version's wrapped
   * key, and no record sealed under it, stays in a live file.
   */
  public void destroy(TableContext t, Set<Integer> versions) {
    destroy(t, versions, false);
  }

  /**
   * {@link #destroy(TableContext, Set)}, and when {@code olderEnvelopesGone} (the caller has proved
   * that no record of the table is of an envelope format older than the one written), records in
   * the same write that records of an older envelope format are refused from now on ({@code
   * CatalogEntry.older_envelopes_refused}).
   */
  public void destroy(TableContext t, Set<Integer> versions, boolean olderEnvelopesGone) {
    catalog.updateEntry(
        t,
        () -> {
          destroyLocked(t, versions, olderEnvelopesGone);
          return null;
        });
  }

  /**
   * Records in {@code t}'s catalog entry that records of an envelope format older than the one
   * written are refused from now on (one synced catalog write; nothing when it says so already).
   * The caller has proved that no record of the table is of such a format.
   */
  public void refuseOlderEnvelopes(TableContext t) {
    catalog.updateEntry(
        t,
        () -> {
          t.checkLive();
          if (!t.entry().getOlderEnvelopesRefused()) {
            catalog.write(t, t.entry().toBuilder().setOlderEnvelopesRefused(true).build(), true);
          }
          return null;
        });
  }

  private void destroyLocked(TableContext t, Set<Integer> versions, boolean olderEnvelopesGone) {
    {
      t.checkLive();
      long now = clock.millis();
      CatalogEntry.Builder b = t.entry().toBuilder().clearReencryption();
      if (olderEnvelopesGone) {
        b.setOlderEnvelopesRefused(true);
      }
      for (int i = 0; i < b.getDataKeysCount(); i++) {
        DataKeyVersion v = b.getDataKeys(i);
        if (versions.contains(v.getVersion())
            && v.getState() == DataKeyState.DATA_KEY_STATE_RETIRED) {
          b.setDataKeys(
              i,
              withSeals(t, v).toBuilder()
                  .clearWrapped()
                  .setState(DataKeyState.DATA_KEY_STATE_DESTROYED)
                  .setDestroyedMillis(now));
        }
      }
      CatalogEntry updated = b.build();
      catalog.write(t, updated, true);
      for (DataKeyVersion v : updated.getDataKeysList()) {
        if (versions.contains(v.getVersion())
            && v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED) {
          t.keys().destroyVersion(v.getVersion());
        }
      }
    }
  }

  /**
   * After {@link #destroy}: compacts the store's records and the table's, with no lock held (a
   * deletion of the table or a close cancels it).
   */
  public void compactAfterDestroy(TableContext t) {
    catalog.compact();
    t.records().compact();
  }

  /**
   * A commit point: persists {@code t}'s seal counts when its primary version's budget asks for it.
   */
  public void flushSealsIfDue(TableContext t) {
    SealBudget primary = t.keys().primaryBudget();
    if (primary != null && primary.flushDue()) {
      flushSeals(t);
    }
  }

  /**
   * Persists the seal counts of {@code t}'s key versions (not synced: as durable as the writes
   * counted); writes nothing when they did not change since they were last persisted.
   */
  public void flushSeals(TableContext t) {
    if (!catalog.isCurrent(t)) {
      return; // deleted
    }
    catalog.updateEntry(
        t,
        () -> {
          flushSealsLocked(t);
          return null;
        });
  }

  private void flushSealsLocked(TableContext t) {
    {
      if (!catalog.isCurrent(t)) {
        return; // deleted
      }
      CatalogEntry.Builder b = t.entry().toBuilder();
      for (int i = 0; i < b.getDataKeysCount(); i++) {
        b.setDataKeys(i, withSeals(t, b.getDataKeys(i)));
      }
      CatalogEntry updated = b.build();
      if (updated.equals(t.entry())) {
        return; // nothing sealed since the last flush: nothing to write (a close that only read)
      }
      catalog.write(t, updated, false);
      markPersisted(t, updated);
    }
  }

  /**
   * Persists every table's seal counts (at close); the first failure is thrown after trying all.
   */
  public void flushAllSeals() {
    RuntimeException first = null;
    for (TableContext t : catalog.tables()) {
      try {
        flushSeals(t);
      } catch (StorageException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** {@code v} with its seal count raised to what its budget counted. */
  private static DataKeyVersion withSeals(TableContext t, DataKeyVersion v) {
    SealBudget budget = t.keys().budget(v.getVersion());
    if (budget == null
        || budget.untouched()
        || v.getState() == DataKeyState.DATA_KEY_STATE_DESTROYED
        || budget.count() <= v.getSeals()) {
      return v;
    }
    return v.toBuilder().setSeals(budget.count()).build();
  }

  private static void markPersisted(TableContext t, CatalogEntry written) {
    for (DataKeyVersion v : written.getDataKeysList()) {
      SealBudget budget = t.keys().budget(v.getVersion());
      if (budget != null) {
        budget.persisted(v.getSeals());
      }
    }
  }
}
