package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.ValidationException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.Entry;
import dev.coffer.internal.partition.PartitionCursor;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SortRange;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import org.rocksdb.RocksIterator;

/**
 * Runs a {@link Scan}: walks partitions in token order inside the segment's slice of the token
 * space, reading each partition under its read lock. A scan is not a snapshot of the whole table
 * (neither is DynamoDB's); each partition is read consistently. Thread-safe.
 */
public final class ScanExecutor {
  private final Partitions partitions;

  public ScanExecutor(Partitions partitions) {
    this.partitions = partitions;
  }

  public Page scan(TableContext t, Scan s) {
    byte[] low = segmentStart(s.segment(), s.totalSegments());
    byte[] high = s.segment() + 1 == s.totalSegments() ? null : segmentStart(s.segment() + 1, s.totalSegments());
    PageCollector collector = new PageCollector(t, s.limit());
    try (RocksIterator it = partitions.store().iterator(t.family())) {
      byte[] current;
      SortRange range = SortRange.all();
      Key start = s.exclusiveStartKey();
      if (start == null) {
        current = nextToken(it, low, high);
      } else {
        try {
          ItemSizes.validateKey(start, t.schema());
        } catch (ValidationException e) {
          throw new ValidationException("The provided starting key is invalid: " + e.getMessage());
        }
        byte[] startToken = ItemOperations.token(t, start.partition());
        if (t.schema().hasSortKey()) {
          current = nextToken(it, max(startToken, low), high);
          if (current != null && Arrays.equals(current, startToken)) {
            range = SortRange.all().after(ByteString.copyFrom(KeyCodec.encodeSortKey(start.sort())));
          }
        } else {
          current = nextToken(it, max(successor(startToken), low), high);
        }
      }
      while (current != null) {
        boolean moreHere = readPartition(t, current, range, collector);
        if (collector.full()) {
          return collector.page(moreHere || nextToken(it, successor(current), high) != null);
        }
        range = SortRange.all();
        byte[] after = successor(current);
        current = after == null ? null : nextToken(it, after, high);
      }
    }
    return collector.page(false);
  }

  /** Reads one partition into the collector until it is full; returns whether entries remain. */
  private boolean readPartition(TableContext t, byte[] token, SortRange range, PageCollector collector) {
    Lock lock = partitions.locks().forToken(token).readLock();
    lock.lock();
    try {
      PartitionCursor cursor = new PartitionCursor(partitions.reader(), t, token, range, true);
      for (Entry e = cursor.next(); e != null; e = cursor.next()) {
        collector.add(token, e);
        if (collector.full()) {
          return cursor.next() != null;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** The first partition token at or after {@code from} and below {@code high}, or null. */
  private byte[] nextToken(RocksIterator it, byte[] from, byte[] high) {
    if (from == null) {
      return null;
    }
    it.seek(from);
    if (!it.isValid()) {
      partitions.store().checkIterator(it);
      return null;
    }
    byte[] token = Arrays.copyOf(it.key(), 16);
    return high != null && Arrays.compareUnsigned(token, high) >= 0 ? null : token;
  }

  /** The first token of segment {@code i} of {@code n}: the first 4 bytes are floor(i * 2^32 / n). */
  static byte[] segmentStart(int i, int n) {
    long start = ((long) i << 32) / n;
    byte[] token = new byte[16];
    token[0] = (byte) (start >>> 24);
    token[1] = (byte) (start >>> 16);
    token[2] = (byte) (start >>> 8);
    token[3] = (byte) start;
    return token;
  }

  private static byte[] max(byte[] a, byte[] b) {
    if (a == null) {
      return null;
    }
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }

  /** The token after {@code token} (as a 128-bit number), or null after the last one. */
  static byte[] successor(byte[] token) {
    byte[] next = token.clone();
    for (int i = next.length - 1; i >= 0; i--) {
      next[i]++;
      if (next[i] != 0) {
        return next;
      }
    }
    return null;
  }
}
