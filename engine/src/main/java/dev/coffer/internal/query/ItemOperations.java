package dev.coffer.internal.query;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ReturnValue;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.partition.PartitionStage;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SharedRetry;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.proto.LeafEntry;
import java.util.Collection;
import java.util.concurrent.locks.Lock;
import java.util.function.UnaryOperator;

/**
 * PutItem, GetItem, DeleteItem and UpdateItem on one table: validation against the key schema and
 * DynamoDB's limits, the partition token, the encoded sort key, and the partition lock around the
 * read or the write. A conditional write (or an update) reads the current item, evaluates the
 * condition and writes in one descent of the partition, all under its write lock ({@link #write}).
 * Thread-safe.
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
    Entry entry = entry(t.schema(), item);
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      if (!returnOld) {
        partitions
            .writer()
            .putBlind(t, token, entry); // no read when the partition's metadata is held
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

  /**
   * The item with {@code key}, passed through {@code projection} when not null; null when there is
   * none.
   */
  public Item getProjected(TableContext t, Key key, UnaryOperator<Item> projection) {
    Item item = get(t, key, (Collection<String>) null);
    return item == null || projection == null ? item : projection.apply(item);
  }

  /**
   * A conditional write or an update of one item (PutItem, UpdateItem or DeleteItem with a
   * condition, UpdateItem always): under the partition's write lock, reads the current item,
   * evaluates the condition on it, computes the new item and writes it, in one descent and one
   * atomic batch. Nothing is written when the condition fails or the update cannot apply.
   *
   * @return what {@code returnValues} asks for (null for nothing)
   * @throws dev.coffer.ConditionalCheckFailedException when the condition does not hold
   * @throws dev.coffer.ValidationException when the update cannot apply to the item
   */
  public Item write(TableContext t, ItemChange change, ReturnValue returnValues) {
    change.validate(t.schema());
    byte[] token = token(t, change.key().partition());
    ByteString sk = sortKey(t.schema(), change.key().sort());
    Lock lock = partitions.locks().forToken(token).writeLock();
    lock.lock();
    try {
      if (t.records().shared() != null) {
        return SharedRetry.run(t, () -> writeOnce(t, change, returnValues, token, sk));
      }
      return writeOnce(t, change, returnValues, token, sk);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One attempt of {@link #write}, under the partition's write lock. On a shared backend it throws
   * {@link dev.coffer.internal.record.RecordConflictException} when another instance wrote the
   * partition between the read and the swap; nothing was written then, and the caller tries again.
   */
  private Item writeOnce(
      TableContext t, ItemChange change, ReturnValue returnValues, byte[] token, ByteString sk) {
    RecordBatch batch = RecordBatch.create();
    PartitionStage stage = partitions.writer().stage(t, token, batch);
    boolean committed = false;
    try {
      Entry oldEntry = stage.get(sk);
      boolean needItem =
          change.kind() == ItemChange.Kind.UPDATE || returnValues != ReturnValue.NONE;
      ItemChange.Checked checked = change.check(t, token, oldEntry, needItem);
      Item old = checked.old();
      if (!checked.holds()) {
        throw change.failed(old);
      }
      boolean updated =
          returnValues == ReturnValue.UPDATED_OLD || returnValues == ReturnValue.UPDATED_NEW;
      ItemChange.Applied applied = change.apply(old, t.schema(), updated);
      if (change.kind() == ItemChange.Kind.DELETE) {
        if (oldEntry != null) {
          stage.delete(sk);
        }
      } else if (change.kind() != ItemChange.Kind.CONDITION_CHECK && applied.item() != null) {
        // (an update that only removes, on an item that does not exist, leaves no item to write)
        stage.put(
            checked.decoded() != null
                ? EncodedItems.reencode(sk, applied.item(), checked.decoded())
                : entry(sk, applied.item())); // sk: the key's, which a write cannot change
      }
      if (stage.onSharedBackend()) {
        stage.commitShared();
      } else if (stage.changed()) {
        t.records().commit(batch);
      }
      committed = true;
      return returned(returnValues, old, applied);
    } finally {
      stage.afterCommit(committed);
    }
  }

  /** What ReturnValues returns after a write of {@code applied} over {@code old}. */
  static Item returned(ReturnValue returnValues, Item old, ItemChange.Applied applied) {
    switch (returnValues) {
      case ALL_OLD:
        return old;
      case ALL_NEW:
        return applied.item();
      case UPDATED_OLD:
        return applied.update() == null ? null : applied.update().updatedOld();
      case UPDATED_NEW:
        return applied.update() == null ? null : applied.update().updatedNew();
      default:
        return null;
    }
  }

  /** The leaf entry of an item of a table of {@code schema}. */
  public static Entry entry(KeySchema schema, Item item) {
    return entry(
        sortKey(schema, schema.hasSortKey() ? item.get(schema.sortKeyName()) : null), item);
  }

  /** The leaf entry of {@code item}, whose encoded sort key is {@code sortKey}. */
  private static Entry entry(ByteString sortKey, Item item) {
    return Entry.of(
        LeafEntry.newBuilder().setSortKey(sortKey).setItem(ItemCodec.toProto(item)).build());
  }

  /** The partition token of a partition key value. */
  public static byte[] token(TableContext t, AttributeValue partitionKey) {
    return t.keys().tokens().token(KeyCodec.partitionKeyBytes(partitionKey));
  }

  /** The encoded sort key (empty for tables without a sort key). */
  public static ByteString sortKey(KeySchema schema, AttributeValue sort) {
    return sort == null || !schema.hasSortKey()
        ? ByteString.EMPTY
        : ByteString.copyFrom(KeyCodec.encodeSortKey(sort));
  }
}
