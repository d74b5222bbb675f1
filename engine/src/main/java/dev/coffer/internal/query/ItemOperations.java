package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.proto.LeafEntry;
import java.util.Collection;
import java.util.concurrent.locks.Lock;

/**
 * PutItem, GetItem and DeleteItem on one table: validation against the key schema and DynamoDB's
 * limits, the partition token, the encoded sort key, and the partition lock around the read or
 * the write. Thread-safe.
 */
public final class ItemOperations {
  private final Partitions partitions;

  public ItemOperations(Partitions partitions) {
    this.partitions = partitions;
  }

  /** The partition machinery (page cache, reader, writer) these operations use. */
  public Partitions partitions() {
    return partitions;
  }

  /** Puts {@code item}; returns the item it replaced, or null. */
  public Item put(TableContext t, Item item) {
    return put(t, item, true);
  }

  /**
   * Puts {@code item}; returns the item it replaced when {@code returnOld} (else null). Without
   * {@code returnOld}, a put reads nothing when it can: a table without a sort key writes the
   * partition's only page, a table with one appends a delta record routed by the partition's
   * metadata ({@code PartitionWriter.putBlind}).
   */
  public Item put(TableContext t, Item item, boolean returnOld) {
    ItemSizes.validateItem(item, t.schema());
    byte[] token = token(t, item.get(t.schema().partitionKeyName()));
    Entry entry = Entry.of(LeafEntry.newBuilder()
        .setSortKey(sortKey(t.schema(), t.schema().hasSortKey() ? item.get(t.schema().sortKeyName()) : null))
        .setItem(ItemCodec.toProto(item))
        .build());
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      if (!returnOld) {
        partitions.writer().putBlind(t, token, entry); // no read when the partition's metadata is held
        return null;
      }
      Entry old = partitions.writer().put(t, token, entry);
      return old == null || !returnOld ? null : StoredItems.decodeOld(t, token, old, "replaced");
    } finally {
      lock.unlock();
    }
  }

  /** The item with {@code key} (projected to {@code projection} when not null), or null. */
  public Item get(TableContext t, Key key, Collection<String> projection) {
    ItemSizes.validateKey(key, t.schema());
    byte[] token = token(t, key.partition());
    ByteString sk = sortKey(t.schema(), key.sort());
    Entry found;
    Lock lock = partitions.locks().forToken(token).readLock();
    lock.lock();
    try {
      Node leaf = partitions.leafFor(t, token, sk);
      int pos = leaf == null ? -1 : leaf.find(sk);
      found = pos >= 0 ? leaf.entries().get(pos) : null;
    } finally {
      lock.unlock();
    }
    if (found == null) {
      return null;
    }
    Item item = StoredItems.decode(t, token, found);
    return projection == null ? item : item.project(projection);
  }

  /** Deletes the item with {@code key}; returns it, or null when there was none. */
  public Item delete(TableContext t, Key key) {
    return delete(t, key, true);
  }

  /**
   * Deletes the item with {@code key}; returns it when {@code returnOld} and there was one, else
   * null. Without {@code returnOld} the old item is not decoded, so a stored item that cannot be
   * decoded can still be deleted.
   */
  public Item delete(TableContext t, Key key, boolean returnOld) {
    ItemSizes.validateKey(key, t.schema());
    byte[] token = token(t, key.partition());
    ByteString sk = sortKey(t.schema(), key.sort());
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      Entry old = partitions.writer().delete(t, token, sk);
      return old == null || !returnOld ? null : StoredItems.decodeOld(t, token, old, "deleted");
    } finally {
      lock.unlock();
    }
  }

  /** The partition token of a partition key value. */
  static byte[] token(TableContext t, AttributeValue partitionKey) {
    return t.keys().tokens().token(KeyCodec.partitionKeyBytes(partitionKey));
  }

  /** The encoded sort key (empty for tables without a sort key). */
  static ByteString sortKey(KeySchema schema, AttributeValue sort) {
    return sort == null || !schema.hasSortKey() ? ByteString.EMPTY : ByteString.copyFrom(KeyCodec.encodeSortKey(sort));
  }
}
