package dev.coffer.internal.lifecycle;

import dev.coffer.StorageException;
import dev.coffer.internal.catalog.Catalog;
import dev.coffer.internal.catalog.SharedCatalog;
import dev.coffer.internal.catalog.StoreLeases;
import dev.coffer.internal.catalog.TableContext;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-encryption job on a shared backend (see {@code docs/scale-out.md}): one instance at a time
 * runs a table's job, under the lease {@code reencrypt/<table id>} (taken without waiting, renewed
 * as the job goes, given up at its end; a lease whose holder died expires after {@value
 * #LEASE_MILLIS} ms and the next call, in any instance, resumes from the cursor the entry holds).
 * Before it destroys a version, the job waits until every other instance must have read the catalog
 * since the job started (the refresh interval, which every instance of a store must share, plus a
 * margin for a refresh in progress and an operation in flight), because until then an instance that
 * has not seen the rotation may still seal under the version. Thread-safe.
 */
final class SharedJob {
  /** How long a job's lease lasts without renewal. */
  static final long LEASE_MILLIS = 60_000;

  /** The longest a write operation is expected to take from its catalog check to its last seal. */
  static final long OPERATION_MILLIS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(SharedJob.class);

  private final Catalog catalog;
  private final Duration refreshInterval;

  SharedJob(Catalog catalog, Duration refreshInterval) {
    this.catalog = catalog;
    this.refreshInterval = refreshInterval;
  }

  /**
   * Runs {@code job} under {@code t}'s re-encryption lease, after reading the entry afresh (the
   * cursor another instance left); {@code job} gets a step that renews the lease when due. When
   * another instance holds the lease, returns {@code elsewhere} at once.
   */
  <R> R run(TableContext t, Function<Runnable, R> job, Supplier<R> elsewhere) {
    String name = StoreLeases.reencryption(t.tableIdHex());
    StoreLeases.Held lease = catalog.shared().leases().tryAcquire(name, LEASE_MILLIS);
    if (lease == null) {
      LOG.info(
          "Re-encryption of a table runs in another instance of the store; this call returns (its progress"
              + " is in the table description)");
      return elsewhere.get();
    }
    try {
      catalog.resync(t);
      long[] renewed = {System.currentTimeMillis()};
      return job.apply(
          () -> {
            long now = System.currentTimeMillis();
            if (now - renewed[0] >= LEASE_MILLIS / 3) {
              lease.renew();
              renewed[0] = now;
            }
          });
    } finally {
      lease.close();
    }
  }

  /**
   * Waits until {@code refreshInterval} plus a margin has passed since {@code startNanos}: from
   * then on every instance seals under the primary version the job started from, or a newer one.
   */
  void awaitOtherInstances(long startNanos) {
    long interval = refreshInterval.toMillis();
    long margin =
        SharedCatalog.refreshSlackMillis(interval)
            + Math.min(OPERATION_MILLIS, Math.max(interval, 100));
    long dueNanos = startNanos + (interval + margin) * 1_000_000L;
    long waitNanos = dueNanos - System.nanoTime();
    if (waitNanos <= 0) {
      return;
    }
    LOG.info(
        "Re-encryption waits {} s for every instance of the shared store to see the rotation before it"
            + " destroys the old data-key version",
        waitNanos / 1_000_000_000L);
    try {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("Re-encryption was interrupted", e);
    }
  }
}
