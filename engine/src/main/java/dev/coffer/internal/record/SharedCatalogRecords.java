package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.WriteCondition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The store's own records on a shared backend, with the versions that let several instances change
 * them safely: the header and the catalog entries are replaced only by a conditional write on the
 * version last read (so an instance that missed another's change fails and reads again), and leases
 * (plain records: an owner id and an expiry time, no secret) serialise what must not run twice at
 * once (DDL, a master-key rotation, a table's re-encryption). Entries are sealed as {@link
 * CatalogRecords} seals them. Thread-safe.
 */
public final class SharedCatalogRecords {
  private final CatalogRecords catalog;
  private final SharedRecordStore store;

  SharedCatalogRecords(CatalogRecords catalog, SharedRecordStore store) {
    this.catalog = catalog;
    this.store = store;
  }

  /** A catalog entry as read: its table id, plaintext and record version. */
  public record VersionedEntry(byte[] tableId, byte[] plaintext, long version) {}

  /** A store header as read: its bytes and record version. */
  public record VersionedHeader(byte[] header, long version) {}

  /** A lease as read: its owner, its expiry (epoch milliseconds) and record version. */
  public record Lease(byte[] owner, long expiresMillis, long version) {}

  /** The store header with its version, or null in a new store. */
  public static VersionedHeader readHeader(RecordStore store) {
    SharedValues.Versioned v = store.shared().read(store.storeNamespace(), RecordKeys.HEADER);
    return v == null ? null : new VersionedHeader(v.value(), v.version());
  }

  /**
   * Writes the header of a new store if none exists yet; false when another instance wrote one
   * first.
   */
  public static boolean createHeader(RecordStore store, byte[] header) {
    try {
      store
          .shared()
          .write(
              store.storeNamespace(), RecordKeys.HEADER, header, 1, WriteCondition.absent(), false);
      return true;
    } catch (ConditionFailedException e) {
      return false;
    }
  }

  /**
   * Replaces the header if its version is still {@code expected}.
   *
   * @return the new version
   * @throws RecordConflictException when another instance replaced it first
   */
  public long putHeader(byte[] header, long expected) {
    return conditional(RecordKeys.HEADER, header, expected, "the store header");
  }

  /** Every catalog entry, opened, with its version, in table-id order. */
  public List<VersionedEntry> entries() {
    List<VersionedEntry> out = new ArrayList<>();
    byte[] from = RecordKeys.CATALOG_PREFIX;
    boolean inclusive = true;
    while (true) {
      List<BackendRecord> page =
          store.backend().query(SharedKeys.STORE_PARTITION, from, inclusive, 200);
      if (page.isEmpty()) {
        return out;
      }
      for (BackendRecord r : page) {
        byte[] key = r.sortKey();
        if (!RecordKeys.startsWith(key, RecordKeys.CATALOG_PREFIX)) {
          return out;
        }
        byte[] id = RecordKeys.tableIdAfter(RecordKeys.CATALOG_PREFIX, key);
        if (id == null) {
          throw new CorruptionException("A catalog key has the wrong length", null, "catalog");
        }
        out.add(
            new VersionedEntry(
                id, catalog.openEntry(id, store.values().join(r, null, where(id))), r.version()));
        from = key;
        inclusive = false;
      }
    }
  }

  /** Table {@code tableId}'s entry, opened, with its version, or null. */
  public VersionedEntry entry(byte[] tableId) {
    SharedValues.Versioned v = store.read(store.storeNamespace(), RecordKeys.catalog(tableId));
    return v == null
        ? null
        : new VersionedEntry(tableId.clone(), catalog.openEntry(tableId, v.value()), v.version());
  }

  /**
   * Writes table {@code tableId}'s entry, sealed, if its version is still {@code expected} (or,
   * with {@code expected < 0}, if it has none).
   *
   * @return the new version
   * @throws RecordConflictException when another instance changed (or created) it first
   */
  public long putEntry(byte[] tableId, byte[] plaintext, long expected) {
    return conditional(
        RecordKeys.catalog(tableId),
        catalog.sealEntry(tableId, plaintext),
        expected,
        where(tableId));
  }

  /**
   * Deletes table {@code tableId}'s entry if its version is still {@code expected}.
   *
   * @throws RecordConflictException when another instance changed it first
   */
  public void deleteEntry(byte[] tableId, long expected) {
    try {
      store.remove(
          store.storeNamespace(),
          RecordKeys.catalog(tableId),
          WriteCondition.version(expected),
          false);
    } catch (ConditionFailedException e) {
      throw new RecordConflictException("another instance changed " + where(tableId) + " first", e);
    }
  }

  private long conditional(byte[] key, byte[] value, long expected, String what) {
    long next = expected < 0 ? 1 : expected + 1;
    try {
      store.write(
          store.storeNamespace(),
          key,
          value,
          next,
          expected < 0 ? WriteCondition.absent() : WriteCondition.version(expected),
          false);
      return next;
    } catch (ConditionFailedException e) {
      throw new RecordConflictException("another instance changed " + what + " first", e);
    }
  }

  private static String where(byte[] tableId) {
    return "catalog entry " + HexFormat.of().formatHex(tableId);
  }

  // ------------------------------------------------------------------------------------- leases

  /** The lease named {@code name}, or null when nobody holds it. */
  public Lease lease(String name) {
    BackendRecord r = store.backend().get(SharedKeys.META_PARTITION, SharedKeys.leaseSort(name));
    if (r == null) {
      return null;
    }
    byte[] v = r.value();
    if (v.length != 24) {
      throw new CorruptionException(
          "A lease record has the wrong length (" + v.length + " bytes)", null, "lease " + name);
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    byte[] owner = new byte[16];
    b.get(owner);
    return new Lease(owner, b.getLong(), r.version());
  }

  /**
   * Takes or renews the lease named {@code name} for {@code owner} until {@code expiresMillis}, if
   * its version is still {@code expected} (or, with {@code expected < 0}, if nobody holds it).
   *
   * @return the lease now held
   * @throws RecordConflictException when another instance took or changed it first
   */
  public Lease putLease(String name, byte[] owner, long expiresMillis, long expected) {
    long version = SharedKeys.randomLong();
    byte[] value = ByteBuffer.allocate(24).put(owner).putLong(expiresMillis).array();
    try {
      store
          .backend()
          .put(
              BackendRecord.of(
                  SharedKeys.META_PARTITION, SharedKeys.leaseSort(name), value, version),
              expected < 0 ? WriteCondition.absent() : WriteCondition.version(expected));
    } catch (ConditionFailedException e) {
      throw new RecordConflictException("another instance holds lease " + name, e);
    }
    return new Lease(owner.clone(), expiresMillis, version);
  }

  /** Gives up the lease named {@code name} if it is still the one held ({@code held}'s version). */
  public void releaseLease(String name, Lease held) {
    try {
      store
          .backend()
          .delete(
              SharedKeys.META_PARTITION,
              SharedKeys.leaseSort(name),
              WriteCondition.version(held.version()));
    } catch (ConditionFailedException e) {
      // taken over after it expired: nothing of ours to release
    }
  }

  /** Whether {@code lease} is held by {@code owner}. */
  public static boolean ownedBy(Lease lease, byte[] owner) {
    return lease != null && Arrays.equals(lease.owner(), owner);
  }
}
