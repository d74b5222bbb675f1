package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.SharedTableRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write path on a shared backend, where other Coffer instances write the same partitions at the
 * same time and this process's partition locks order only its own writers. Optimistic concurrency,
 * copy-on-write (see {@code docs/scale-out.md}):
 *
 * <ol>
 *   <li>read the partition's root fresh, with its version (never from the cache);
 *   <li>descend and rebuild the path as the embedded write path does ({@link TreePath}, {@link
 *       TreeRebalancer}); non-root nodes come from the cache or the backend: they are immutable, so
 *       any copy is current;
 *   <li>write every changed node, and each of its ancestors, under a fresh id ({@link
 *       CopyOnWrite}), children first;
 *   <li>swap the root conditionally on the version read in 1. If another writer swapped it first,
 *       delete the nodes of 3 (nothing references them), wait a little, and start again from 1;
 *   <li>after a swap, cache the new nodes and queue the replaced ones for deletion after the grace
 *       period (readers that read the old root may still read them).
 * </ol>
 *
 * A failure whose outcome is unknown (the swap's request failed) throws without deleting anything:
 * {@code Coffer.collectGarbage()} later removes whichever nodes no root reaches. Delta records are
 * never written to a shared backend. Tables without a sort key have one item per partition, so
 * their writes are blind (the last one wins): one request over a root this instance expects, else
 * the partition's index entry first ({@code SharedTableRecords.replaceRoot}). Thread-safe.
 */
final class SharedPartitionWriter {
  private final NodeReader reader;
  private final PageCache cache;

  SharedPartitionWriter(NodeReader reader, PageCache cache) {
    this.reader = reader;
    this.cache = cache;
  }

  /** Inserts or replaces {@code entry}; returns the entry it replaced, or null. */
  Entry put(TableContext t, byte[] token, Entry entry) {
    if (!t.schema().hasSortKey()) {
      Node old = t.records().shared().replaceRoot(token, singleItemRoot(entry), Node.FACTORY, true);
      return onlyEntry(old);
    }
    return change(t, token, entry.sortKey(), entry);
  }

  /**
   * Replaces the one item of a partition of a table without a sort key, blindly ({@code
   * SharedTableRecords.replaceRoot}).
   */
  void replaceSingleItemPartition(TableContext t, byte[] token, Entry entry) {
    t.records().shared().replaceRoot(token, singleItemRoot(entry), Node.FACTORY, false);
  }

  /** Deletes the entry with {@code sortKey}; returns it, or null when there was none. */
  Entry delete(TableContext t, byte[] token, ByteString sortKey) {
    if (!t.schema().hasSortKey()) {
      return onlyEntry(t.records().shared().removeRoot(token, Node.FACTORY, true));
    }
    return change(t, token, sortKey, null);
  }

  private static Node singleItemRoot(Entry entry) {
    return Node.leaf(List.of(entry), 1, 1, 0, 0);
  }

  private static Entry onlyEntry(Node root) {
    return root == null || root.entries().isEmpty() ? null : root.entries().get(0);
  }

  private Entry change(TableContext t, byte[] token, ByteString sortKey, Entry put) {
    SharedTableRecords records = t.records().shared();
    for (int attempt = 1; ; attempt++) {
      // 1. The root, fresh, with its version.
      SharedTableRecords.Root<Node> root = records.readRoot(token, Node.FACTORY);
      if (root == null) {
        if (put == null) {
          return null;
        }
        try {
          records.createRoot(token, Node.leaf(List.of(put), 1, 1, 0, 0));
          return null;
        } catch (RecordConflictException e) {
          SharedRetry.backOff(t, attempt, e);
          continue;
        }
      }
      // 2. The path and its rebuild, as the embedded write path computes them.
      TreePath path = TreePath.descend(reader, t, token, root.node(), sortKey);
      Node leaf = path.leaf();
      int pos = leaf.find(sortKey);
      Entry old = pos >= 0 ? leaf.entries().get(pos) : null;
      if (put == null && old == null) {
        return null;
      }
      List<Entry> changed = new ArrayList<>(leaf.entries());
      if (put == null) {
        changed.remove(pos);
      } else if (pos >= 0) {
        changed.set(pos, put);
      } else {
        changed.add(-pos - 1, put);
      }
      CopyOnWrite cow =
          CopyOnWrite.plan(path, new TreeRebalancer(reader, t, token).rebuild(path, changed));
      // 3. and 4. New nodes under fresh ids, then the conditional swap of the root.
      Map<Long, Node> written = new LinkedHashMap<>();
      boolean swapSent = false;
      try {
        if (cow.emptiesPartition()) {
          swapSent = true;
          records.deleteRoot(token, root.version());
        } else {
          Node newRoot = cow.writeAll(n -> records.putNewNode(token, n), written);
          swapSent = true;
          records.swapRoot(token, root.version(), newRoot);
        }
      } catch (RecordConflictException e) {
        records.discard(token, written.keySet()); // nothing references them
        SharedRetry.backOff(t, attempt, e);
        continue;
      } catch (RuntimeException e) {
        if (!swapSent) {
          try {
            records.discard(token, written.keySet());
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        } // else: the swap may have happened; collectGarbage() decides by what the root reaches
        throw e;
      }
      // 5. The new nodes are current for every reader from now on; the old ones retire.
      for (Map.Entry<Long, Node> e : written.entrySet()) {
        cache.put(t.serial(), token, e.getKey(), e.getValue());
      }
      for (long id : cow.retired()) {
        cache.invalidate(t.serial(), token, id);
      }
      records.retire(token, cow.retired());
      return old;
    }
  }
}
