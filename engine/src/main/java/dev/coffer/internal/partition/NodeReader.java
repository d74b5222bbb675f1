package dev.coffer.internal.partition;

import dev.coffer.CorruptionException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.TableRecords;

/**
 * Reads nodes: from the cache, or through the table's records ({@link TableRecords#readNode}: one
 * point read returns the sealed page and the leaf's delta records, opened there), with the deltas
 * merged into the leaf ({@link Node#FACTORY}). Callers hold the partition lock. Thread-safe. Not
 * final: {@link PartitionStage} reads through an overlay of staged nodes.
 */
public class NodeReader {
  private final PageCache cache;

  public NodeReader(PageCache cache) {
    this.cache = cache;
  }

  /**
   * The node, or null when the partition has no such page. On a shared backend the root is always
   * read from the backend and never cached (other instances swap it); every other node there is
   * immutable under its id, so a cached copy is current.
   */
  public Node read(TableContext t, byte[] token, long nodeId) {
    if (nodeId == 0 && t.records().shared() != null) {
      return t.records().readNode(token, 0, Node.FACTORY);
    }
    Node cached = cache.get(t.serial(), token, nodeId);
    return cached != null ? cached : load(t, token, nodeId);
  }

  /** The node as the page cache holds it, or null (a read of it would open it from the store). */
  final Node cached(TableContext t, byte[] token, long nodeId) {
    return cache.get(t.serial(), token, nodeId);
  }

  /**
   * The node read and opened from the store (never from the cache), then cached; null when the
   * partition has no such page. Not for the root on a shared backend (see {@link #read}).
   */
  final Node load(TableContext t, byte[] token, long nodeId) {
    Node node = t.records().readNode(token, nodeId, Node.FACTORY);
    if (node != null) {
      cache.put(t.serial(), token, nodeId, node);
    }
    return node;
  }

  /** The node, which the tree points at and so must exist. */
  public Node readRequired(TableContext t, byte[] token, long nodeId) {
    Node n = read(t, token, nodeId);
    if (n == null) {
      throw new CorruptionException(
          "A page the partition's tree points at is missing",
          t.name(),
          TableRecords.location(token, nodeId));
    }
    return n;
  }
}
