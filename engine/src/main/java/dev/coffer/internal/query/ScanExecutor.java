package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.ValidationException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.PartitionCursor;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SortRange;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.TableRecords;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;

/**
 * Runs a {@link Scan}: walks partitions in token order inside the segment's slice of the token
 * space, reading each partition under its read lock. A scan is not a snapshot of the whole table
 * (neither is DynamoDB's); each partition is read consistently. Each page then checks that it met
 * every partition the store wrote in the token range it covered ({@link
 * TableRecords.PartitionCursor#checkNoneMissed}; with freshness, against the table's map), so a
 * partition removed whole from the store directory fails the scan rather than being passed over.
 * Thread-safe.
 */
public final class ScanExecutor {
  private final Partitions partitions;

  public ScanExecutor(Partitions partitions) {
    this.partitions = partitions;
  }

  /** One page of whole items. */
  public Page scan(TableContext t, Scan s) {
    return scan(t, s, PageShape.WHOLE);
  }

  /** One page, filtered and projected as {@code shape} says (Limit counts the items read). */
  public Page scan(TableContext t, Scan s, PageShape shape) {
    byte[] low = segmentStart(s.segment(), s.totalSegments());
    byte[] high =
        s.segment() + 1 == s.totalSegments()
            ? null
            : segmentStart(s.segment() + 1, s.totalSegments());
    PageCollector collector = new PageCollector(t, s.limit(), shape);
    try (TableRecords.PartitionCursor partitionTokens = t.records().partitions()) {
      byte[] current;
      byte[] from = low; // the first token the page covers (null: none)
      SortRange range = SortRange.all();
      Key start = s.exclusiveStartKey();
      if (start == null) {
        current = partitionTokens.atOrAfter(low, high);
      } else {
        try {
          ItemSizes.validateKey(start, t.schema());
        } catch (ValidationException e) {
          throw new ValidationException("The provided starting key is invalid: " + e.getMessage());
        }
        byte[] startToken = ItemOperations.token(t, start.partition());
        if (t.schema().hasSortKey()) {
          from = max(startToken, low);
          current = partitionTokens.atOrAfter(from, high);
          if (current != null && Arrays.equals(current, startToken)) {
            range =
                SortRange.all().after(ByteString.copyFrom(KeyCodec.encodeSortKey(start.sort())));
          }
        } else {
          boolean past = Arrays.compareUnsigned(startToken, low) >= 0;
          from = past ? successor(startToken) : low;
          current =
              past ? partitionTokens.after(startToken, high) : partitionTokens.atOrAfter(low, high);
        }
      }
      while (current != null) {
        readPartition(t, current, range, collector);
        if (collector.full()) {
          break;
        }
        range = SortRange.all();
        current = partitionTokens.after(current, high);
      }
      if (from != null) {
        // the page covered [from, the token after the last partition it read), or to the
        // segment's end: every partition the store wrote there must have been met
        partitionTokens.checkNoneMissed(from, current != null ? successor(current) : high);
      }
    }
    return collector.page();
  }

  /** The token after {@code token} (16 bytes, big-endian), or null after the last. */
  static byte[] successor(byte[] token) {
    byte[] next = token.clone();
    for (int i = next.length - 1; i >= 0; i--) {
      if (++next[i] != 0) {
        return next;
      }
    }
    return null;
  }

  /** Reads one partition into the collector until it is full. */
  private void readPartition(
      TableContext t, byte[] token, SortRange range, PageCollector collector) {
    Lock lock = partitions.locks().forToken(token).readLock();
    lock.lock();
    try {
      PartitionCursor cursor = new PartitionCursor(partitions.reader(), t, token, range, true);
      for (Entry e = cursor.next(); e != null; e = cursor.next()) {
        collector.add(token, e);
        if (collector.full()) {
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The first token of segment {@code i} of {@code n}: the first 4 bytes are floor(i * 2^32 / n).
   */
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
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
