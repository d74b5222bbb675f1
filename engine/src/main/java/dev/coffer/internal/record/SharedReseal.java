package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.record.AssociatedData.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Re-encryption on a shared backend ({@link SharedTableRecords#reseal}): every node of a partition
 * sealed under a version other than the primary, or in an older envelope format, is written again
 * under the primary version in the current format, copy-on-write like any change there (a fresh id
 * for each rewritten node, its parents rewritten to point at it, then a conditional swap of the
 * root; on a lost swap the new nodes are deleted and the partition read again). Only nodes
 * reachable from the root are looked at and counted: unreachable ones are garbage. Also counts
 * records per version over reachable nodes. One per call; not thread-safe.
 */
final class SharedReseal {
  private static final int ATTEMPTS = 50;

  private final TableRecords t;
  private final SharedTableRecords shared;
  private final SharedRecordStore store;
  long visited;
  long resealed;
  long bytes;

  /** Records in an older envelope format, seen by the last {@link #countVersions()}. */
  long olderFormats;

  SharedReseal(TableRecords t, SharedTableRecords shared, SharedRecordStore store) {
    this.t = t;
    this.shared = shared;
    this.store = store;
  }

  /** A page as re-encoded, with its children replaced. */
  private record PageView(
      boolean isLeaf,
      List<Entry> entries,
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase)
      implements PageContent {}

  /** One attempt's state: the nodes written, the nodes replaced, the counts. */
  private static final class Attempt {
    final List<Long> written = new ArrayList<>();
    final List<Long> replaced = new ArrayList<>();
    byte[] rootPlain;
    long visited;
    long resealed;
    long bytes;
  }

  /** Re-seals partition {@code token}. */
  void partition(byte[] token) {
    for (int attempt = 1; ; attempt++) {
      SharedValues.Versioned root = store.read(t.ns, RecordKeys.node(token, 0));
      if (root == null) {
        return;
      }
      Attempt a = new Attempt();
      try {
        Rewritten r = rewrite(token, 0, root.value(), a, 0, -1);
        if (r != null) {
          shared.swapRoot(token, root.version(), r.view);
        }
      } catch (RecordConflictException e) {
        shared.discard(token, a.written);
        if (attempt == ATTEMPTS) {
          throw new dev.coffer.StorageException(
              "Re-encryption of table "
                  + t.table
                  + " lost "
                  + ATTEMPTS
                  + " times to other writers at "
                  + RecordKeys.describeNode(token, 0)
                  + "; run it again",
              e);
        }
        continue;
      } catch (RuntimeException e) {
        shared.discard(token, a.written); // never referenced: no swap happened
        throw e;
      } finally {
        if (a.rootPlain != null) {
          Arrays.fill(a.rootPlain, (byte) 0); // the root's entries alias it until the swap
        }
      }
      shared.retire(token, a.replaced);
      visited += a.visited;
      resealed += a.resealed;
      bytes += a.bytes;
      return;
    }
  }

  /** A node written again: its content and (not for the root) its new id. */
  private record Rewritten(PageView view, long id) {}

  /**
   * Re-seals node {@code nodeId} (stored value {@code value}, at {@code depth} of a tree of {@code
   * height}; -1 while unknown, for the root) and what it reaches, as needed.
   *
   * @return the node as written again (the root: to be swapped by the caller), or null when neither
   *     it nor anything below it changed
   */
  private Rewritten rewrite(
      byte[] token, long nodeId, byte[] value, Attempt a, int depth, int height) {
    RecordFormat.Spans spans = t.spans(value, token, nodeId);
    if (spans.count() != 1) {
      throw new CorruptionException(
          "A node on a shared backend has delta records appended",
          t.table,
          RecordKeys.describeNode(token, nodeId));
    }
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(value, spans.offset(0), spans.length(0));
    if (env == null) {
      throw t.corrupt(Kind.PAGE, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, 0, null);
    }
    a.visited++;
    boolean stale =
        env.keyVersion != t.keys.primaryVersion()
            || env.formatVersion != RecordFormat.ENVELOPE_VERSION;
    if (!stale && height > 0 && depth == height - 1) {
      return null; // a leaf on the primary version: nothing to do, and no need to open it
    }
    byte[] plain = t.open(Kind.PAGE, token, nodeId, 0, value, spans.offset(0), spans.length(0));
    if (nodeId == 0) {
      a.rootPlain = plain;
    }
    try {
      RecordFormat.DecodedPage page = decode(plain, token, nodeId);
      int h = nodeId == 0 ? page.height : height;
      List<Long> children = page.children;
      boolean childMoved = false;
      if (!page.leaf) {
        children = new ArrayList<>(page.children.size());
        for (long child : page.children) {
          Rewritten moved = rewrite(token, child, require(token, child), a, depth + 1, h);
          children.add(moved != null ? moved.id : child);
          childMoved |= moved != null;
        }
      }
      if (!stale && !childMoved) {
        return null;
      }
      if (stale) {
        a.resealed++;
        a.bytes += spans.length(0);
      }
      PageView view =
          new PageView(
              page.leaf,
              page.entries,
              page.separators,
              children,
              page.nextNodeId,
              page.height,
              page.deltaSeqBase);
      if (nodeId == 0) {
        return new Rewritten(view, 0);
      }
      long id = shared.putNewNode(token, view);
      a.written.add(id);
      a.replaced.add(nodeId);
      return new Rewritten(view, id);
    } finally {
      if (nodeId != 0) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private byte[] require(byte[] token, long nodeId) {
    SharedValues.Versioned v = store.read(t.ns, RecordKeys.node(token, nodeId));
    if (v == null) {
      throw new CorruptionException(
          "A page the partition's tree points at is missing",
          t.table,
          RecordKeys.describeNode(token, nodeId));
    }
    return v.value();
  }

  private RecordFormat.DecodedPage decode(byte[] plain, byte[] token, long nodeId) {
    try {
      RecordFormat.DecodedPage page = RecordFormat.decodePage(RecordFormat.body(plain));
      if (page == null) {
        throw new CorruptionException(
            "A page has an unknown body format", t.table, RecordKeys.describeNode(token, nodeId));
      }
      return page;
    } catch (IOException e) {
      throw new CorruptionException(
          "A page body is malformed", t.table, RecordKeys.describeNode(token, nodeId), e);
    }
  }

  /**
   * The ids of the nodes reachable from partition {@code token}'s root now (empty when it has no
   * root); inner nodes are opened, leaves only named.
   */
  java.util.Set<Long> reachable(byte[] token) {
    java.util.Set<Long> out = new java.util.HashSet<>();
    SharedValues.Versioned root = store.read(t.ns, RecordKeys.node(token, 0));
    if (root != null) {
      reach(token, 0, root.value(), out, 0, -1);
    }
    return out;
  }

  private void reach(
      byte[] token, long nodeId, byte[] value, java.util.Set<Long> out, int depth, int height) {
    out.add(nodeId);
    if (depth > 64) {
      throw new CorruptionException(
          "A partition's tree is deeper than possible",
          t.table,
          RecordKeys.describeNode(token, nodeId));
    }
    RecordFormat.Spans spans = t.spans(value, token, nodeId);
    byte[] plain = t.open(Kind.PAGE, token, nodeId, 0, value, spans.offset(0), spans.length(0));
    try {
      RecordFormat.DecodedPage page = decode(plain, token, nodeId);
      int h = nodeId == 0 ? page.height : height;
      if (!page.leaf) {
        for (long child : page.children) {
          if (h > 0 && depth + 1 == h - 1) {
            out.add(child); // a leaf: named, not read
          } else {
            reach(token, child, require(token, child), out, depth + 1, h);
          }
        }
      }
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Records per data-key version over every node reachable from a root of the table. */
  TreeMap<Integer, Long> countVersions() {
    TreeMap<Integer, Long> counts = new TreeMap<>();
    try (RecordCursor c = store.tokenCursor(t.ns)) {
      for (c.seekToFirst(); c.valid(); c.next()) {
        byte[] token = RecordKeys.token(c.key());
        SharedValues.Versioned root = store.read(t.ns, RecordKeys.node(token, 0));
        if (root != null) {
          count(token, 0, root.value(), counts, 0, -1);
        }
      }
    }
    return counts;
  }

  private void count(
      byte[] token,
      long nodeId,
      byte[] value,
      TreeMap<Integer, Long> counts,
      int depth,
      int height) {
    if (depth > 64) {
      throw new CorruptionException(
          "A partition's tree is deeper than possible",
          t.table,
          RecordKeys.describeNode(token, nodeId));
    }
    RecordFormat.Spans spans = t.spans(value, token, nodeId);
    for (int i = 0; i < spans.count(); i++) {
      RecordFormat.Envelope env =
          RecordFormat.parseEnvelope(value, spans.offset(i), spans.length(i));
      counts.merge(env == null ? -1 : env.keyVersion, 1L, Long::sum);
      if (env != null && env.formatVersion < RecordFormat.ENVELOPE_VERSION) {
        olderFormats++;
      }
    }
    if (height > 0 && depth == height - 1) {
      return; // a leaf
    }
    byte[] plain = t.open(Kind.PAGE, token, nodeId, 0, value, spans.offset(0), spans.length(0));
    try {
      RecordFormat.DecodedPage page = decode(plain, token, nodeId);
      int h = nodeId == 0 ? page.height : height;
      if (!page.leaf) {
        for (long child : page.children) {
          count(token, child, require(token, child), counts, depth + 1, h);
        }
      }
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }
}
