package dev.coffer.internal.partition;

import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.RecordConflictException;
import dev.coffer.internal.record.SharedTableRecords;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared-backend half of a {@link PartitionStage}: the stage applies its changes to its overlay
 * exactly as on RocksDB (without delta records), and this class remembers the root it read (with
 * its version) and commits the overlay copy-on-write: every staged node, and every ancestor of one,
 * is written under a fresh id, children first, and the new root is swapped in on the version read
 * ({@link SharedTableRecords#swapRoot}). When another writer swapped the root first the nodes
 * written are deleted and {@link RecordConflictException} tells the caller to read, decide and
 * stage again from scratch: a condition, an update or a transaction is evaluated on the root its
 * swap names, so no other instance's write can slip between the check and the write. One per stage;
 * not thread-safe.
 */
final class SharedStage {
  private final TableContext table;
  private final byte[] token;
  private final PageCache cache;
  private boolean rootRead;
  private SharedTableRecords.Root<Node> root;

  /** Ids of nodes read from the stored tree (not staged), so part of the tree the root names. */
  private final Set<Long> original = new HashSet<>();

  SharedStage(TableContext table, byte[] token, PageCache cache) {
    this.table = table;
    this.token = token;
    this.cache = cache;
  }

  /** The partition's root as this stage read it (fresh from the backend, once), or null. */
  Node root() {
    if (!rootRead) {
      root = table.records().shared().readRoot(token, Node.FACTORY);
      rootRead = true;
    }
    return root == null ? null : root.node();
  }

  /** Notes that node {@code id} was read from the stored tree. */
  void readStored(long id) {
    original.add(id);
  }

  /** The root leaf of a new partition on a shared backend (node ids are fresh, never counted). */
  static Node newRoot(Entry entry) {
    return Node.leaf(List.of(entry), 1, 1, 0, 0);
  }

  private record Built(Node node, boolean changed) {}

  /**
   * Writes the staged changes copy-on-write and swaps the root; then the page cache holds the new
   * nodes and loses the replaced ones, which are queued for deletion after the grace period.
   *
   * @param staged the stage's overlay: node id (original or placeholder) to its new view, null for
   *     a node removed
   * @param overlay reads a node as the stage sees it
   * @throws RecordConflictException when another writer swapped the root since {@link #root()}
   */
  void commit(Map<Long, Node> staged, NodeReader overlay) {
    SharedTableRecords records = table.records().shared();
    root(); // a stage that only created the partition may not have read it: the condition needs it
    if (staged.containsKey(0L) && staged.get(0L) == null) {
      if (root != null) {
        records.deleteRoot(token, root.version());
        retire(staged, original); // the partition is gone: every node of it that was read
      }
      return;
    }
    Map<Long, Node> written = new LinkedHashMap<>();
    Set<Long> replaced = new HashSet<>();
    boolean swapSent = false;
    try {
      Built top =
          build(0L, overlay.read(table, token, 0), staged, overlay, records, written, replaced);
      Node r = top.node();
      Node newRoot =
          r.isLeaf()
              ? Node.leaf(r.entries(), 1, r.height(), r.deltaSeqBase(), 0)
              : Node.inner(r.separators(), r.children(), 1, r.height(), r.deltaSeqBase());
      swapSent = true;
      if (root == null) {
        records.createRoot(token, newRoot);
      } else {
        records.swapRoot(token, root.version(), newRoot);
      }
    } catch (RecordConflictException e) {
      records.discard(token, written.keySet()); // nothing references them
      throw e;
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
    for (Map.Entry<Long, Node> e : written.entrySet()) {
      cache.put(table.serial(), token, e.getKey(), e.getValue());
    }
    retire(staged, replaced);
  }

  /** Queues the stored nodes the swap made unreachable: rewritten ones and removed ones. */
  private void retire(Map<Long, Node> staged, Set<Long> replaced) {
    Set<Long> retired = new HashSet<>(replaced);
    for (Map.Entry<Long, Node> e : staged.entrySet()) {
      if (e.getValue() == null && original.contains(e.getKey())) {
        retired.add(e.getKey());
      }
    }
    retired.remove(0L);
    for (long id : retired) {
      cache.invalidate(table.serial(), token, id);
    }
    table.records().shared().retire(token, retired);
  }

  /**
   * Node {@code id} ({@code node} as the stage sees it) with every changed descendant written under
   * a fresh id; {@code changed} when it differs from the stored node {@code id}.
   */
  private Built build(
      long id,
      Node node,
      Map<Long, Node> staged,
      NodeReader overlay,
      SharedTableRecords records,
      Map<Long, Node> written,
      Set<Long> replaced) {
    boolean changed = staged.containsKey(id);
    if (!node.isLeaf()) {
      List<Long> children = new ArrayList<>(node.children().size());
      boolean moved = false;
      for (long child : node.children()) {
        if (!staged.containsKey(child) && !original.contains(child)) {
          children.add(child); // never touched: unchanged under its id
          continue;
        }
        Built b =
            build(
                child,
                overlay.read(table, token, child),
                staged,
                overlay,
                records,
                written,
                replaced);
        if (!b.changed()) {
          children.add(child);
          continue;
        }
        long fresh = records.putNewNode(token, b.node());
        written.put(fresh, b.node());
        if (original.contains(child)) {
          replaced.add(child);
        }
        children.add(fresh);
        moved = true;
      }
      if (moved) {
        node =
            Node.inner(
                node.separators(), children, node.nextNodeId(), node.height(), node.deltaSeqBase());
        changed = true;
      }
    }
    return new Built(node, changed);
  }
}
