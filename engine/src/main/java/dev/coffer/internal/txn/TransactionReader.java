package dev.coffer.internal.txn;

import com.google.protobuf.ByteString;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.partition.PartitionLocks;
import dev.coffer.internal.partition.Partitions;
import dev.coffer.internal.partition.SharedReads;
import dev.coffer.internal.partition.SharedRetry;
import dev.coffer.internal.query.ItemOperations;
import dev.coffer.internal.query.StoredItems;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.SharedTableRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.function.UnaryOperator;

/**
 * Reads several items, of one table or several, from ONE consistent snapshot (TransactGetItems):
 * the read locks of every partition involved are taken together, in the global order of {@link
 * PartitionLocks#readLocks}, and held while every item is read. No write can change any of those
 * partitions meanwhile, and every write (single or transactional) holds its partitions' write locks
 * from its first read to its cache update, so the items read are all before or all after any
 * transaction. (The storage engine's own snapshots were not used: the page cache, which holds nodes
 * newer than any snapshot, would have to be bypassed.)
 *
 * <p>On a shared backend other instances write without these locks, so the read validates instead:
 * it reads every partition's root (with its version), reads the items from the trees those roots
 * name (their other nodes never change), then reads the roots again. When no version moved, every
 * root held its version for the whole interval between the two passes (versions are random and
 * never repeat), so the items are a snapshot of one instant of it; otherwise it tries again ({@link
 * SharedRetry}). Thread-safe.
 */
public final class TransactionReader {
  private final Partitions partitions;

  public TransactionReader(Partitions partitions) {
    this.partitions = partitions;
  }

  /**
   * One read: the item with {@code key} of {@code table}, projected by {@code projection} (null:
   * whole).
   */
  public record Get(TableContext table, Key key, UnaryOperator<Item> projection) {}

  /**
   * The items, in order (null where there is none), read from one snapshot. The caller validated
   * the keys.
   */
  public List<Item> read(List<Get> gets) {
    List<byte[]> tokens = new ArrayList<>(gets.size());
    for (Get g : gets) {
      ItemSizes.validateKey(g.key(), g.table().schema());
      tokens.add(ItemOperations.token(g.table(), g.key().partition()));
    }
    List<Entry> found = new ArrayList<>(gets.size());
    List<Lock> held = partitions.locks().readLocks(tokens);
    try {
      if (!gets.isEmpty() && gets.get(0).table().records().shared() != null) {
        found.addAll(SharedRetry.run(gets.get(0).table(), () -> validatedRead(gets, tokens)));
      } else {
        for (int i = 0; i < gets.size(); i++) {
          Get g = gets.get(i);
          ByteString sk = ItemOperations.sortKey(g.table().schema(), g.key().sort());
          Node leaf = partitions.leafFor(g.table(), tokens.get(i), sk);
          int pos = leaf == null ? -1 : leaf.find(sk);
          found.add(pos >= 0 ? leaf.entries().get(pos) : null);
        }
      }
    } finally {
      PartitionLocks.unlock(held);
    }
    List<Item> items = new ArrayList<>(gets.size());
    for (int i = 0; i < gets.size(); i++) {
      Entry e = found.get(i);
      Get g = gets.get(i);
      Item item = e == null ? null : StoredItems.decode(g.table(), tokens.get(i), e);
      items.add(item == null || g.projection() == null ? item : g.projection().apply(item));
    }
    return items;
  }

  /** Where an item lives: table and partition. */
  private record Where(int table, ByteBuffer token) {}

  /**
   * One validated pass on a shared backend: the entries, or {@link RecordConflictException} when a
   * root moved while they were read.
   */
  private List<Entry> validatedRead(List<Get> gets, List<byte[]> tokens) {
    Map<Where, SharedTableRecords.Root<Node>> roots = new HashMap<>();
    List<Entry> found = new ArrayList<>(gets.size());
    for (int i = 0; i < gets.size(); i++) {
      Get g = gets.get(i);
      byte[] token = tokens.get(i);
      SharedTableRecords.Root<Node> root =
          roots.computeIfAbsent(
              where(g, token), w -> g.table().records().shared().readRoot(token, Node.FACTORY));
      ByteString sk = ItemOperations.sortKey(g.table().schema(), g.key().sort());
      Node leaf =
          root == null
              ? null
              : SharedReads.leafUnder(partitions.reader(), g.table(), token, root.node(), sk);
      int pos = leaf == null ? -1 : leaf.find(sk);
      found.add(pos >= 0 ? leaf.entries().get(pos) : null);
    }
    for (int i = 0; i < gets.size(); i++) {
      Get g = gets.get(i);
      Where w = where(g, tokens.get(i));
      SharedTableRecords.Root<Node> before = roots.get(w);
      SharedTableRecords.Root<Node> now =
          g.table().records().shared().readRoot(tokens.get(i), Node.FACTORY);
      if ((before == null) != (now == null)
          || (before != null && before.version() != now.version())) {
        throw new RecordConflictException(
            "partition of table " + g.table().name() + " changed during a" + " TransactGetItems",
            null);
      }
    }
    return found;
  }

  private static Where where(Get g, byte[] token) {
    return new Where(g.table().serial(), ByteBuffer.wrap(token));
  }
}
