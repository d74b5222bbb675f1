package dev.coffer.internal.catalog;

import dev.coffer.StorageException;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.SharedCatalogRecords;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Leases on a shared backend: what must not run in two instances at once (DDL and master-key
 * rotations: lease {@value #DDL}; a table's re-encryption job: {@code reencrypt/<table id>}) first
 * takes a lease, a record naming this instance and an expiry, written only by a conditional write
 * (on its absence, or on the version of an expired lease). A holder that dies leaves a lease that
 * expires; a job renews its lease as it goes. Within this process a lock per lease name keeps two
 * threads from sharing one. Expiry times are wall-clock: the lease durations (seconds) are far
 * longer than the clock skew of hosts that keep time. Thread-safe.
 */
public final class StoreLeases {
  /** The lease of DDL (CreateTable, DeleteTable) and master-key rotations. */
  public static final String DDL = "ddl";

  /** How long a DDL lease lasts without renewal. */
  static final long DDL_MILLIS = 30_000;

  /** How long a caller waits for a lease another instance holds. */
  static final long WAIT_MILLIS = 120_000;

  private final SharedCatalogRecords records;
  private final byte[] owner = new byte[16];
  private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();

  StoreLeases(SharedCatalogRecords records) {
    this.records = records;
    new SecureRandom().nextBytes(owner);
  }

  /** This instance's id (random per open store), as leases name it. */
  byte[] owner() {
    return owner.clone();
  }

  /** The lease name of table {@code tableIdHex}'s re-encryption job. */
  public static String reencryption(String tableIdHex) {
    return "reencrypt/" + tableIdHex;
  }

  /** A lease this instance holds; {@link #close()} gives it up. Not thread-safe. */
  public final class Held implements AutoCloseable {
    private final String name;
    private final long millis;
    private final ReentrantLock lock;
    private SharedCatalogRecords.Lease lease;
    private boolean closed;

    private Held(String name, long millis, ReentrantLock lock, SharedCatalogRecords.Lease lease) {
      this.name = name;
      this.millis = millis;
      this.lock = lock;
      this.lease = lease;
    }

    /**
     * Extends the lease by its duration from now.
     *
     * @throws StorageException when it expired and another instance took it meanwhile
     */
    public void renew() {
      try {
        lease = records.putLease(name, owner, System.currentTimeMillis() + millis, lease.version());
      } catch (RecordConflictException e) {
        throw new StorageException(
            "Lease "
                + name
                + " was lost to another instance (it expired while held); the"
                + " work under it stopped",
            e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        records.releaseLease(name, lease);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Takes lease {@code name} for {@code millis}, waiting while another instance (or thread) holds
   * it, for at most {@value #WAIT_MILLIS} ms, or until {@code stop} says so.
   *
   * @return the lease, or null when {@code stop} stopped the wait
   * @throws StorageException when another instance kept it longer than the wait
   */
  public Held acquire(String name, long millis, BooleanSupplier stop) {
    ReentrantLock lock = local.computeIfAbsent(name, n -> new ReentrantLock());
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    try {
      if (!lock.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new StorageException(
            "Lease "
                + name
                + " is held by another thread of this process for over "
                + WAIT_MILLIS / 1000
                + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("Interrupted while waiting for lease " + name, e);
    }
    try {
      while (true) {
        SharedCatalogRecords.Lease current = records.lease(name);
        long now = System.currentTimeMillis();
        if (current == null
            || current.expiresMillis() < now
            || SharedCatalogRecords.ownedBy(current, owner)) {
          try {
            SharedCatalogRecords.Lease taken =
                records.putLease(
                    name, owner, now + millis, current == null ? -1 : current.version());
            return new Held(name, millis, lock, taken);
          } catch (RecordConflictException e) {
            continue; // another instance took it first: look again
          }
        }
        if (stop.getAsBoolean()) {
          lock.unlock();
          return null;
        }
        if (now >= deadline) {
          throw new StorageException(
              "Lease "
                  + name
                  + " is held by another instance of this store (until "
                  + java.time.Instant.ofEpochMilli(current.expiresMillis())
                  + "); try again later");
        }
        Thread.sleep(Math.max(10, Math.min(250, current.expiresMillis() - now)));
      }
    } catch (InterruptedException e) {
      lock.unlock();
      Thread.currentThread().interrupt();
      throw new StorageException("Interrupted while waiting for lease " + name, e);
    } catch (RuntimeException | Error e) {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
      throw e;
    }
  }

  /**
   * Takes lease {@code name} for {@code millis} if nobody else holds it now (no waiting).
   *
   * @return the lease, or null when another instance (or thread) holds it
   */
  public Held tryAcquire(String name, long millis) {
    ReentrantLock lock = local.computeIfAbsent(name, n -> new ReentrantLock());
    if (!lock.tryLock()) {
      return null;
    }
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        SharedCatalogRecords.Lease current = records.lease(name);
        long now = System.currentTimeMillis();
        if (current != null
            && current.expiresMillis() >= now
            && !SharedCatalogRecords.ownedBy(current, owner)) {
          lock.unlock();
          return null;
        }
        try {
          return new Held(
              name,
              millis,
              lock,
              records.putLease(
                  name, owner, now + millis, current == null ? -1 : current.version()));
        } catch (RecordConflictException e) {
          // taken meanwhile: look again
        }
      }
      lock.unlock();
      return null;
    } catch (RuntimeException | Error e) {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
      throw e;
    }
  }

  /** Takes the DDL lease (see {@link #acquire}). */
  Held ddl() {
    return acquire(DDL, DDL_MILLIS, () -> false);
  }
}
