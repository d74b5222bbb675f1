package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.store.RecordKeys;
import dev.coffer.internal.store.RocksStore;
import dev.coffer.proto.DeltaRecord;
import dev.coffer.proto.LeafEntry;
import dev.coffer.proto.PageBody;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.rocksdb.RocksIterator;

/**
 * Reads nodes: from the cache, or from RocksDB with one iterator that finds the page and the delta
 * records after it ({@code token || nodeId} then {@code token || nodeId || seq}), opens them and
 * merges the deltas into the leaf. Delta records must be numbered contiguously from the page's
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
      PageBody body = PageCodec.openPage(t, token, nodeId, it.value());
      Node base = Node.fromBody(body);
      List<DeltaRecord> deltas = new ArrayList<>();
      for (it.next(); ; it.next()) {
        if (!it.isValid()) {
          store.checkIterator(it);
          break;
        }
        byte[] k = it.key();
        if (!RecordKeys.startsWith(k, pageKey)) {
          break;
        }
        long seq = k.length == RecordKeys.DELTA_KEY_BYTES ? RecordKeys.deltaSeq(k) : -1;
        if (seq != body.getDeltaSeqBase() + deltas.size() || !base.isLeaf()) {
          throw new CorruptionException("A delta record is out of sequence (records were removed or replayed)",
              t.name(), PageLocation.delta(token, nodeId, seq));
        }
        deltas.add(PageCodec.openDelta(t, token, nodeId, seq, it.value()));
      }
      if (deltas.isEmpty()) {
        return base;
      }
      return Node.leaf(merge(base.entries(), deltas), base.nextNodeId(), base.height(), base.deltaSeqBase(),
          deltas.size());
    }
  }

  private static List<LeafEntry> merge(List<LeafEntry> entries, List<DeltaRecord> deltas) {
    TreeMap<ByteString, LeafEntry> merged = new TreeMap<>(Node.ORDER);
    for (LeafEntry e : entries) {
      merged.put(e.getSortKey(), e);
    }
    for (DeltaRecord d : deltas) {
      if (d.hasPut()) {
        merged.put(d.getPut().getSortKey(), d.getPut());
      } else {
        merged.remove(d.getDeleteSortKey());
      }
    }
    return new ArrayList<>(merged.values());
  }
}
