package dev.coffer;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.record.Entry;
import dev.coffer.proto.LeafEntry;
import java.util.concurrent.locks.Lock;

/**
 * For the command line's tests of damaged stores: puts an item the engine's API refuses (one nested
 * deeper than DynamoDB allows, as an older bug or damage before sealing could leave it) through the
 * partition writer, sealed under the table's data key like any item, so that only its decoding
 * fails. In package {@code dev.coffer} for the store's package-private parts (the engine's own
 * tests use {@code EngineAccess}, which is not on this module's class path).
 */
public final class StoredItemForgery {
  private StoredItemForgery() {}

  /**
   * Stores {@code item} (its protobuf form, unchecked) under partition key {@code pk} and sort key
   * {@code sk} of table {@code tableName}, replacing any item there.
   */
  public static void put(
      Coffer coffer,
      String tableName,
      AttributeValue pk,
      AttributeValue sk,
      dev.coffer.proto.Item item) {
    TableContext t = coffer.catalog().get(tableName);
    Partitions partitions = coffer.items().partitions();
    byte[] token = t.keys().tokens().token(KeyCodec.partitionKeyBytes(pk));
    Entry entry =
        Entry.of(
            LeafEntry.newBuilder()
                .setSortKey(ByteString.copyFrom(KeyCodec.encodeSortKey(sk)))
                .setItem(item)
                .build());
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      partitions.writer().put(t, token, entry);
    } finally {
      lock.unlock();
    }
  }

  /** An item {@code {pk: S, sk: N, deep: a list nested levels deep}} in protobuf form. */
  public static dev.coffer.proto.Item nested(String pk, int sk, int levels) {
    dev.coffer.proto.AttributeValue v =
        dev.coffer.proto.AttributeValue.newBuilder().setS("bottom").build();
    for (int i = 1; i < levels; i++) {
      v =
          dev.coffer.proto.AttributeValue.newBuilder()
              .setL(dev.coffer.proto.ListValue.newBuilder().addValues(v))
              .build();
    }
    return dev.coffer.proto.Item.newBuilder()
        .putAttributes("pk", dev.coffer.proto.AttributeValue.newBuilder().setS(pk).build())
        .putAttributes(
            "sk", dev.coffer.proto.AttributeValue.newBuilder().setN(Integer.toString(sk)).build())
        .putAttributes("deep", v)
        .build();
  }
}
