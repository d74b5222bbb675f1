package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The verification walk over a table's records ({@link TableRecords#walk}): every record in key
 * order, read with verified checksums and without filling caches. Where the backend finds damaged
 * data (a RocksDB block whose checksum fails), the walk narrows the damage down: it searches for
 * the first key after the last record read from which reading works again (a binary search over
 * keys taken as numbers, one probe cursor per step), reports the keys in between as a range of
 * partition tokens, and goes on from there. Between two damaged blocks close together, the range
 * reported may cover readable records too. One per walk; not thread-safe.
 */
final class TableWalk {
  /** Keys as numbers for the search: a key padded with zeros to this many bytes, big-endian. */
  private static final int KEY_WIDTH = RecordKeys.NODE_KEY_BYTES + 1;

  private static final BigInteger MAX_KEY =
      BigInteger.ONE.shiftLeft(8 * KEY_WIDTH).subtract(BigInteger.ONE);

  private final TableRecords table;

  TableWalk(TableRecords table) {
    this.table = table;
  }

  void walk(RecordWalker walker) {
    byte[] from = null;
    while (true) {
      byte[] last = null;
      CorruptionException damage = null;
      try (RecordCursor c = table.verifyingCursor()) {
        try {
          if (from == null) {
            c.seekToFirst();
          } else {
            c.seek(from);
          }
        } catch (CorruptionException e) {
          damage = e;
        }
        while (damage == null && c.valid()) {
          last = c.key();
          walker.record(new StoredRecord(table, last, c.value()));
          try {
            c.next();
          } catch (CorruptionException e) {
            damage = e;
          }
        }
      }
      if (damage == null) {
        return;
      }
      BigInteger start = from == null ? BigInteger.ZERO : keyValue(from);
      BigInteger lo = last != null ? keyValue(last).add(BigInteger.ONE) : start;
      BigInteger resume = firstReadable(lo);
      if (resume != null && resume.compareTo(start) <= 0) {
        resume =
            start.add(BigInteger.ONE); // reading failed where a probe succeeded: move on regardless
      }
      byte[] lastBad =
          keyBytes(
              (resume == null ? MAX_KEY.add(BigInteger.ONE) : resume).subtract(BigInteger.ONE));
      walker.unreadable(RecordKeys.token(keyBytes(lo)), RecordKeys.token(lastBad), damage);
      if (resume == null || resume.compareTo(MAX_KEY) > 0) {
        return;
      }
      from = keyBytes(resume);
    }
  }

  private static BigInteger keyValue(byte[] key) {
    return new BigInteger(1, Arrays.copyOf(key, KEY_WIDTH));
  }

  private static byte[] keyBytes(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] key = new byte[KEY_WIDTH];
    int n = Math.min(raw.length, KEY_WIDTH);
    System.arraycopy(raw, raw.length - n, key, KEY_WIDTH - n, n);
    return key;
  }

  /** The smallest key at or after {@code lo} from which the backend reads again, or null. */
  private BigInteger firstReadable(BigInteger lo) {
    if (!readableFrom(MAX_KEY)) {
      return null;
    }
    BigInteger hi = MAX_KEY;
    while (lo.compareTo(hi) < 0) {
      BigInteger mid = lo.add(hi).shiftRight(1);
      if (readableFrom(mid)) {
        hi = mid;
      } else {
        lo = mid.add(BigInteger.ONE);
      }
    }
    return hi;
  }

  private boolean readableFrom(BigInteger key) {
    try (RecordCursor c = table.verifyingCursor()) {
      c.seek(keyBytes(key));
      return true;
    } catch (CorruptionException e) {
      return false;
    }
  }
}
