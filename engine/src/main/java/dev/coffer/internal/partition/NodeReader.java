package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.page.NodeRecords;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads nodes: from the cache, or from RocksDB with one point read of the node's key ({@code token
 * || nodeId}), whose value holds the sealed page and the leaf's delta records after it ({@link
 * NodeRecords}); opens them and merges the deltas into the leaf. Delta record i is opened as number
 * {@code delta_seq_base + i}, so a record removed from the middle, reordered or replayed from an
 * earlier fold fails its tag (removing the last ones rolls the leaf back: docs/threat-model.md).
 * Callers hold the partition lock. Thread-safe.
 */
public final class NodeReader {
  private final RocksStore store;
  private final PageCache cache;

  public NodeReader(RocksStore store, PageCache cache) {
    this.store = store;
    this.cache = cache;
  }

  /** The node, or null when the partition has no such page. */
  public Node read(TableContext t, byte[] token, long nodeId) {
    Node cached = cache.get(t.serial(), token, nodeId);
    if (cached != null) {
      return cached;
    }
    Node node = load(t, token, nodeId);
    if (node != null) {
      cache.put(t.serial(), token, nodeId, node);
    }
    return node;
  }

  /** The node, which the tree points at and so must exist. */
  public Node readRequired(TableContext t, byte[] token, long nodeId) {
    Node n = read(t, token, nodeId);
    if (n == null) {
      throw new CorruptionException("A page the partition's tree points at is missing", t.name(),
          PageLocation.page(token, nodeId));
    }
    return n;
  }

  private Node load(TableContext t, byte[] token, long nodeId) {
    byte[] value = store.get(t.family(), RecordKeys.page(token, nodeId));
    if (value == null) {
      return null;
    }
    List<byte[]> records;
    try {
      records = NodeRecords.split(value);
    } catch (IOException e) {
      throw new CorruptionException("A stored node is malformed (" + e.getMessage() + ")", t.name(),
          PageLocation.page(token, nodeId));
    }
    Node base = PageCodec.openNode(t, token, nodeId, records.get(0));
    if (records.size() == 1) {
      return base;
    }
    if (!base.isLeaf() || !t.schema().hasSortKey()) {
      throw new CorruptionException("Delta records are appended to a node that never has any", t.name(),
          PageLocation.page(token, nodeId));
    }
    // Record i (from 1) is delta record delta_seq_base + i - 1: its associated data binds that
    // number, so a record removed, reordered or replayed from an earlier fold fails its tag.
    List<PageCodec.Delta> deltas = new ArrayList<>(records.size() - 1);
    for (int i = 1; i < records.size(); i++) {
      deltas.add(PageCodec.openDeltaChange(t, token, nodeId, base.deltaSeqBase() + i - 1, records.get(i)));
    }
    return Node.leaf(merge(base.entries(), deltas), base.nextNodeId(), base.height(), base.deltaSeqBase(),
        deltas.size());
  }

  /** The leaf's entries with its delta records applied in order (binary search, no re-sorting). */
  private static List<Entry> merge(List<Entry> entries, List<PageCodec.Delta> deltas) {
    List<Entry> merged = new ArrayList<>(entries.size() + deltas.size());
    merged.addAll(entries);
    for (PageCodec.Delta d : deltas) {
      ByteString key = d.put() != null ? d.put().sortKey() : d.deleteSortKey();
      int pos = find(merged, key);
      if (d.put() != null) {
        if (pos >= 0) {
          merged.set(pos, d.put());
        } else {
          merged.add(-pos - 1, d.put());
        }
      } else if (pos >= 0) {
        merged.remove(pos);
      }
    }
    return merged;
  }

  private static int find(List<Entry> entries, ByteString key) {
    int lo = 0;
    int hi = entries.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Node.ORDER.compare(entries.get(mid).sortKey(), key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }
}
