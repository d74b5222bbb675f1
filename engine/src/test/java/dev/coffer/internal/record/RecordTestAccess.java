package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

/** Test access to the record layer's package-private parts, for tests in other packages. */
public final class RecordTestAccess {
  private RecordTestAccess() {}

  /**
   * An entry from its {@code LeafEntry} encoding as a page would hold it, without checking the item
   * (as the record codec reads it): to store items the write path would refuse.
   */
  public static Entry entry(ByteString encoded) throws InvalidProtocolBufferException {
    return RecordFormat.parseEntry(encoded);
  }

  /**
   * The freshness counters of scan pages of the store {@code records} is in: {pages checked, pages
   * looked at again under the map's lock} ({@link FreshStore.Counters}); zeros without freshness.
   */
  public static long[] pageChecks(TableRecords records) {
    if (records.store instanceof FreshStore f) {
      return new long[] {f.counters.pageChecks.get(), f.counters.lockedPageChecks.get()};
    }
    return new long[2];
  }
}
