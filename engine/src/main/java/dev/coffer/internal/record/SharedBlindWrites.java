package dev.coffer.internal.record;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;

/**
 * What one instance expects of the next blind write of a table without a sort key ({@link
 * SharedTableRecords#replaceRoot}): a root there already (write it on {@code attribute_exists}, 1
 * request) or none (write the index entry first, 2 requests). A hint only: either way is correct
 * whatever the backend holds, so a wrong guess costs requests, never correctness.
 *
 * <ul>
 *   <li>a partition whose root this instance wrote lately, or read to decide a conditional write,
 *       an update or a transaction (in the store-wide bounded set of {@link #knownRoots}), is
 *       expected to have one, unless this instance deleted it since;
 *   <li>any other is expected to have one when most of this table's recent blind writes found one
 *       (an exponentially weighted share, starting at none: a new table's writes are inserts).
 * </ul>
 *
 * With a share {@code p} of writes that find a root, expecting one costs {@code p + 3(1 - p)}
 * requests on average and expecting none costs 2, so the guess follows {@code p > 1/2}. Thread-safe
 * (racing updates of the share lose an observation, which only moves the guess).
 */
final class SharedBlindWrites {
  /**
   * How many partitions the store-wide set remembers: ~180 bytes each (key, buffer, cache node).
   */
  static final int KNOWN_ROOTS = 32_768;

  private static final double WEIGHT = 1.0 / 16;

  private final Cache<ByteBuffer, Boolean> known;
  private final byte[] tableKey;
  private volatile double found;

  SharedBlindWrites(Cache<ByteBuffer, Boolean> known, byte[] tableId) {
    this.known = known;
    this.tableKey = SharedKeys.tableKey(tableId);
  }

  /**
   * A new store-wide set of the partitions whose root an instance wrote, or read to decide a write,
   * lately (at most {@value #KNOWN_ROOTS}, about 6 MB); one per {@link SharedRecordStore}.
   */
  static Cache<ByteBuffer, Boolean> knownRoots() {
    return Caffeine.newBuilder().maximumSize(KNOWN_ROOTS).build();
  }

  /** Whether the next blind write of {@code token} should expect a root there. */
  boolean expectsRoot(byte[] token) {
    return known.getIfPresent(key(token)) != null || found > 0.5;
  }

  /** A blind write of {@code token} returned; {@code hadRoot}: it replaced a root. */
  void record(byte[] token, boolean hadRoot) {
    found += ((hadRoot ? 1 : 0) - found) * WEIGHT;
    known.put(key(token), Boolean.TRUE);
  }

  /** A root of {@code token} was read or written. */
  void seen(byte[] token) {
    known.put(key(token), Boolean.TRUE);
  }

  /** The root of {@code token} was deleted. */
  void forget(byte[] token) {
    known.invalidate(key(token));
  }

  private ByteBuffer key(byte[] token) {
    return ByteBuffer.wrap(SharedKeys.nodePartition(tableKey, token));
  }
}
