package dev.coffer.internal.verify;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.TableVerification;
import dev.coffer.VerifyFinding;
import dev.coffer.VerifyFinding.Kind;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.partition.Node;
import dev.coffer.internal.record.Entry;
import dev.coffer.internal.record.FreshMismatch;
import dev.coffer.internal.record.RecordWalker;
import dev.coffer.internal.record.StoredRecord;
import dev.coffer.internal.record.TableRecords;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Verifies every stored record of one table, through the record layer's walk ({@link
 * TableRecords#walk}), partition by partition in token order:
 *
 * <ul>
 *   <li>every node opens: its page and delta records authenticate and parse (else {@link
 *       Kind#CORRUPT_RECORD}, with the record's location), and every item in it decodes as reads
 *       decode it (nesting, types, numbers, strings: else {@link Kind#CORRUPT_RECORD} "A stored
 *       item is malformed", with the item's index and sort key);
 *   <li>every node is well-formed: leaf keys strictly ascending, separators ascending, each node's
 *       keys inside the range its parent gives it, every leaf at the depth the root's height says
 *       ({@link Kind#MALFORMED_NODE});
 *   <li>every child a tree points at is stored ({@link Kind#MISSING_NODE}), and every stored node
 *       is reached from its partition's root, node 0 ({@link Kind#UNREACHABLE_NODE}: a partition
 *       whose root was removed leaves all its other nodes unreachable);
 *   <li>records the storage engine cannot read at all are reported as a range of partition tokens
 *       ({@link Kind#UNREADABLE_RANGE}); the tree checks of the partitions in that range are left
 *       out, since nodes may be missing only because they could not be read.
 * </ul>
 *
 * It reads the records as stored (not the page cache) from one consistent view of the table. It
 * keeps the structure (not the items) of one partition at a time. Not thread-safe: one per run.
 */
public final class TableVerifier implements RecordWalker {
  private static final int MAX_DEPTH = 64;

  private final TableContext table;
  private final List<VerifyFinding> findings = new ArrayList<>();
  private final List<byte[][]> unreadable = new ArrayList<>();
  private final Map<Long, Shape> nodes = new HashMap<>();
  private final TreeSet<Long> stored = new TreeSet<>();

  /**
   * On a shared backend, the findings about single nodes of the partition being walked, by node:
   * reported only for nodes its tree reaches (an unreachable node there is garbage, which may be
   * sealed under a destroyed version or be half of a crashed writer's change).
   */
  private final Map<Long, List<VerifyFinding>> pendingNodeFindings = new HashMap<>();

  private byte[] token;
  private long partitions;
  private long nodeCount;
  private long deltaRecords;
  private long items;

  /** The structure of one node that opened: what the tree checks need, not its items. */
  private record Shape(
      boolean leaf,
      List<ByteString> separators,
      List<Long> children,
      ByteString first,
      ByteString last,
      int entries,
      int height) {}

  private TableVerifier(TableContext table) {
    this.table = table;
  }

  /** Verifies {@code table}; the caller holds the store's shared lifecycle lock. */
  public static TableVerification verify(TableContext table) {
    table.checkLive();
    TableVerifier v = new TableVerifier(table);
    table.records().walk(v);
    v.finishPartition();
    v.freshness();
    return new TableVerification(
        table.name(), v.partitions, v.nodeCount, v.deltaRecords, v.items, v.findings);
  }

  /**
   * Reports every difference between the records and the table's freshness map, if it has one. Not
   * when the walk met records the storage engine cannot read (reported as such already): the
   * comparison reads every record and would stop at the same damage.
   */
  private void freshness() {
    if (!unreadable.isEmpty()) {
      return;
    }
    for (FreshMismatch m : table.records().verifyFreshness()) {
      findings.add(
          m.token() != null
              ? VerifyFinding.ofNode(
                  Kind.FRESHNESS_MISMATCH,
                  table.name(),
                  hex(m.token()),
                  m.nodeId(),
                  m.location(),
                  m.message())
              : VerifyFinding.ofRecord(
                  Kind.FRESHNESS_MISMATCH, table.name(), m.location(), m.message()));
    }
  }

  @Override
  public void record(StoredRecord r) {
    if (!r.isNode()) {
      findings.add(
          VerifyFinding.ofRecord(
              Kind.CORRUPT_RECORD,
              table.name(),
              r.location(),
              "A record key has the wrong length"));
      return;
    }
    byte[] t = r.token();
    if (token == null || !Arrays.equals(t, token)) {
      finishPartition();
      token = t;
      partitions++;
    }
    long id = r.nodeId();
    nodeCount++;
    stored.add(id);
    Node n;
    try {
      n = r.open(Node.FACTORY);
    } catch (CorruptionException e) {
      if (e.getCause() instanceof Node.OutOfOrderException disorder) {
        // keys out of order (the check every read makes): the page authenticates, its content is
        // wrong
        malformedNode(id, disorder.getMessage());
        return;
      }
      nodeFinding(
          id,
          VerifyFinding.ofNode(
              Kind.CORRUPT_RECORD,
              table.name(),
              hex(token),
              id,
              e.location() != null ? e.location() : r.location(),
              messageOf(e)));
      return;
    }
    deltaRecords += n.deltaCount();
    if (n.isLeaf()) {
      List<Entry> entries = n.entries();
      for (int i = 0; i < entries.size(); i++) {
        try {
          ItemCodec.fromProto(entries.get(i).item()); // decoded as reads decode it
        } catch (CorruptionException e) {
          nodeFinding(
              id,
              VerifyFinding.ofNode(
                  Kind.CORRUPT_RECORD,
                  table.name(),
                  hex(token),
                  id,
                  TableRecords.location(token, id),
                  malformedItem(e, i, entries.get(i))));
          return;
        }
      }
      nodes.put(
          id,
          new Shape(
              true,
              List.of(),
              List.of(),
              entries.isEmpty() ? null : entries.get(0).sortKey(),
              entries.isEmpty() ? null : entries.get(entries.size() - 1).sortKey(),
              entries.size(),
              n.height()));
    } else {
      nodes.put(id, new Shape(false, n.separators(), n.children(), null, null, 0, n.height()));
    }
  }

  @Override
  public void unreadable(byte[] firstToken, byte[] lastToken, CorruptionException cause) {
    unreadable.add(new byte[][] {firstToken, lastToken});
    findings.add(
        VerifyFinding.ofRange(
            Kind.UNREADABLE_RANGE,
            table.name(),
            hex(firstToken),
            hex(lastToken),
            "partitions " + hex(firstToken) + " to " + hex(lastToken),
            "The storage engine cannot read these records ("
                + cause.getMessage()
                + "); the items of every partition"
                + " in this range may be incomplete"));
  }

  /** Checks the tree of the partition just walked, then forgets it. */
  private void finishPartition() {
    if (token == null) {
      return;
    }
    try {
      if (!inUnreadableRange(token)) {
        checkTree();
      }
    } finally {
      nodes.clear();
      stored.clear();
      pendingNodeFindings.clear();
      token = null;
    }
  }

  private void nodeFinding(long id, VerifyFinding f) {
    if (table.records().shared() == null) {
      findings.add(f);
    } else {
      pendingNodeFindings.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
    }
  }

  private void malformedNode(long id, String message) {
    nodeFinding(
        id,
        VerifyFinding.ofNode(
            Kind.MALFORMED_NODE,
            table.name(),
            hex(token),
            id,
            TableRecords.location(token, id),
            message));
  }

  private void checkTree() {
    TreeSet<Long> reached = new TreeSet<>();
    if (stored.contains(0L)) {
      walkTree(reached);
    }
    for (Map.Entry<Long, List<VerifyFinding>> e : pendingNodeFindings.entrySet()) {
      if (reached.contains(e.getKey())) {
        findings.addAll(e.getValue());
      }
    }
    for (long id : stored) {
      // On a shared backend an unreachable node is garbage: replaced by a copy-on-write change and
      // deleted after the grace period, or left by a crashed writer for collectGarbage().
      if (!reached.contains(id) && table.records().shared() == null) {
        String why =
            stored.contains(0L)
                ? "No node of the partition's tree points at this stored node"
                : "The partition's root (node 0) is missing, so no tree reaches this stored node: its items are lost to"
                    + " reads";
        findings.add(
            VerifyFinding.ofNode(
                Kind.UNREACHABLE_NODE,
                table.name(),
                hex(token),
                id,
                TableRecords.location(token, id),
                why));
      }
    }
  }

  /**
   * One node to visit: its id, depth, the range its parent gives it, and the parent (for messages).
   */
  private record Visit(long id, int depth, ByteString low, ByteString high, long parent) {}

  private void walkTree(TreeSet<Long> reached) {
    Shape root = nodes.get(0L);
    if (root == null) {
      reached.add(0L); // stored but corrupt: already reported; its subtree cannot be followed
      reachUnder(reached);
      return;
    }
    int height = root.height();
    Deque<Visit> todo = new ArrayDeque<>();
    todo.push(new Visit(0, 1, null, null, -1));
    while (!todo.isEmpty()) {
      Visit v = todo.pop();
      if (!reached.add(v.id())) {
        malformed(
            v.id(),
            "The node is reached twice in the partition's tree (again from node "
                + v.parent()
                + ")");
        continue;
      }
      if (!stored.contains(v.id())) {
        findings.add(
            VerifyFinding.ofNode(
                Kind.MISSING_NODE,
                table.name(),
                hex(token),
                v.id(),
                TableRecords.location(token, v.id()),
                "A page the partition's tree points at is missing (child of node "
                    + v.parent()
                    + ")"));
        continue;
      }
      Shape s = nodes.get(v.id());
      if (s == null) {
        continue; // stored but corrupt: already reported
      }
      if (v.depth() > MAX_DEPTH) {
        malformed(v.id(), "The partition's tree is deeper than possible");
        continue;
      }
      if (s.leaf()) {
        items += s.entries();
        if (height > 0 && v.depth() != height) {
          malformed(v.id(), "The leaf is at depth " + v.depth() + " of a tree of height " + height);
        }
        if (outside(s.first(), v) || outside(s.last(), v)) {
          malformed(v.id(), "The leaf holds items outside the key range its parent gives it");
        }
        continue;
      }
      if (s.separators().size() != s.children().size() - 1
          || (!s.separators().isEmpty()
              && (outside(s.separators().get(0), v)
                  || outside(s.separators().get(s.separators().size() - 1), v)))) {
        malformed(
            v.id(), "The inner node's separators do not fit the key range its parent gives it");
      }
      for (int i = s.children().size() - 1; i >= 0; i--) {
        ByteString low = i == 0 ? v.low() : s.separators().get(i - 1);
        ByteString high = i == s.children().size() - 1 ? v.high() : s.separators().get(i);
        todo.push(new Visit(s.children().get(i), v.depth() + 1, low, high, v.id()));
      }
    }
  }

  /** After a corrupt root: count as reached nothing more (its children cannot be known). */
  private void reachUnder(TreeSet<Long> reached) {
    reached.addAll(
        stored); // the root is unreadable: its other nodes are reported through it, not one by one
  }

  private static boolean outside(ByteString key, Visit v) {
    if (key == null) {
      return false;
    }
    return (v.low() != null && Node.ORDER.compare(key, v.low()) < 0)
        || (v.high() != null && Node.ORDER.compare(key, v.high()) >= 0);
  }

  private boolean inUnreadableRange(byte[] t) {
    for (byte[][] r : unreadable) {
      if (Arrays.compareUnsigned(t, r[0]) >= 0 && Arrays.compareUnsigned(t, r[1]) <= 0) {
        return true;
      }
    }
    return false;
  }

  private void malformed(long id, String message) {
    findings.add(
        VerifyFinding.ofNode(
            Kind.MALFORMED_NODE,
            table.name(),
            hex(token),
            id,
            TableRecords.location(token, id),
            message));
  }

  /** {@code A stored item is malformed: <why> (item <i> of the leaf, sort key <key>)}. */
  private String malformedItem(CorruptionException e, int i, Entry entry) {
    String why = e.getMessage();
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      why += ": " + e.getCause().getMessage();
    }
    String where = "item " + i + " of the leaf";
    if (table.schema().hasSortKey()) {
      byte[] sortKey = entry.sortKey().toByteArray();
      try {
        where += ", sort key " + KeyCodec.decodeSortKey(table.schema().sortKeyType(), sortKey);
      } catch (RuntimeException bad) {
        where += ", encoded sort key " + hex(sortKey);
      }
    }
    return why + " (" + where + ")";
  }

  /** The exception's message without the " (table t, location)" the engine appends to it. */
  private String messageOf(CorruptionException e) {
    String m = e.getMessage();
    String suffix = " (table " + e.tableName() + ", " + e.location() + ")";
    return e.tableName() != null && m.endsWith(suffix)
        ? m.substring(0, m.length() - suffix.length())
        : m;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
