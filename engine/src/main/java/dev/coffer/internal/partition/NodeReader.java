package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * Reads nodes: from the cache, or from RocksDB with one iterator that finds the page ({@code token
 * || nodeId}) and then seeks to its live delta records ({@code token || nodeId || seq} from the
 * page's delta base), opens them and merges the deltas into the leaf. Delta records must be numbered contiguously from the page's
 * {@code delta_seq_base}; anything else is corruption. Callers hold the partition lock. Thread-safe.
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
    byte[] pageKey = RecordKeys.page(token, nodeId);
    if (!t.schema().hasSortKey()) {
      // A partition of a table without a sort key is one root leaf and never has delta records:
      // one point read (bloom filters, no iterator) finds all of it.
      byte[] sealed = store.get(t.family(), pageKey);
      return sealed == null ? null : PageCodec.openNode(t, token, nodeId, sealed);
    }
    try (RocksIterator it = store.iterator(t.family())) {
      it.seek(pageKey);
      if (!it.isValid()) {
        store.checkIterator(it);
        return null;
      }
      byte[] key = it.key();
      if (!Arrays.equals(key, pageKey)) {
        if (RecordKeys.startsWith(key, pageKey)) {
          throw new CorruptionException("Delta records exist for a page that does not", t.name(),
              PageLocation.page(token, nodeId));
        }
        return null;
      }
      Node base = PageCodec.openNode(t, token, nodeId, it.value());
      if (!base.isLeaf()) {
        // Inner nodes never have delta records; one stored under one is corruption.
        it.next();
        if (it.isValid() && RecordKeys.startsWith(it.key(), pageKey)) {
          throw new CorruptionException("A delta record exists under an inner node", t.name(),
              PageLocation.page(token, nodeId));
        }
        store.checkIterator(it);
        return base;
      }
      // Seek straight to the first live delta record: the records this leaf folded earlier were
      // deleted, and their tombstones lie between the page and it until compaction drops them;
      // stepping over them one by one made cache-off reads of often-written leaves several times
      // slower. A record numbered below the base is one this leaf already holds, so skipping it
      // is right (its associated data binds its number, so it cannot pose as a newer one).
      List<PageCodec.Delta> deltas = new ArrayList<>();
      for (it.seek(RecordKeys.delta(token, nodeId, base.deltaSeqBase())); ; it.next()) {
        if (!it.isValid()) {
          store.checkIterator(it);
          break;
        }
        byte[] k = it.key();
        if (!RecordKeys.startsWith(k, pageKey)) {
          break;
        }
        long seq = k.length == RecordKeys.DELTA_KEY_BYTES ? RecordKeys.deltaSeq(k) : -1;
        if (seq != base.deltaSeqBase() + deltas.size()) {
          throw new CorruptionException("A delta record is out of sequence (records were removed or replayed)",
              t.name(), PageLocation.delta(token, nodeId, seq));
        }
        deltas.add(PageCodec.openDeltaChange(t, token, nodeId, seq, it.value()));
      }
      if (deltas.isEmpty()) {
        return base;
      }
      return Node.leaf(merge(base.entries(), deltas), base.nextNodeId(), base.height(), base.deltaSeqBase(),
          deltas.size());
    }
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
