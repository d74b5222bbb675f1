package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.record.AssociatedData.Kind;
import dev.coffer.spi.BackendKey;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.WriteCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The records of one table on a shared backend, written copy-on-write (see {@code
 * docs/scale-out.md}). Only a partition's root (node 0) is ever overwritten, and only by a
 * conditional swap on its version ({@link #swapRoot}); every other node is written once, under a
 * fresh id ({@link #putNewNode}), and never changed: a node id names one content forever, so a page
 * cache may keep non-root nodes without asking whether they are current, and only the root must be
 * read fresh. The nodes a swap made unreachable are deleted after the grace period ({@link
 * #retire}); the nodes of a swap that lost are deleted at once ({@link #discard}).
 *
 * <p>A partition of a table without a sort key is its root leaf alone; its writes are blind ({@link
 * #replaceRoot}, {@link #removeRoot}), as DynamoDB's PutItem and DeleteItem are: the last one wins,
 * and the request returns the replaced item. A root is only ever written where a root already is,
 * or after its partition's index entry ({@link #createRoot} too), so a writer that dies leaves no
 * root without its entry. What holds exactly: a root has its entry, except where a sweep deleted
 * the entry (it found no record of the partition, and the entry older than the sweeping instance's
 * grace period) while the root's writer was paused between the two writes for longer than that
 * grace period. The writer then writes the entry again after the root ({@link #indexAgainIfSlow},
 * when its pause reached half its own grace period), so the gap lasts until it does; it stays,
 * until a {@code collectGarbage()} indexes the root, only if the writer dies right after its root,
 * or if its grace period is over about twice the sweeper's. Hence the rule in {@code
 * docs/scale-out.md}: the sweeping instance's grace period must be at least the longest pause of a
 * writer between two requests.
 *
 * <p>Sealing, associated data and framing are those of {@link TableRecords}. Thread-safe.
 */
public final class SharedTableRecords {
  private final TableRecords t;
  private final SharedRecordStore store;
  private final SharedBlindWrites blindWrites;

  SharedTableRecords(TableRecords t, SharedRecordStore store) {
    this.t = t;
    this.store = store;
    this.blindWrites = new SharedBlindWrites(store.knownRoots(), t.tableId);
  }

  /** A root as read: the node and the version its next swap must name. */
  public record Root<N>(N node, long version) {}

  /**
   * Partition {@code token}'s root read now (never from a cache), or null when the partition is
   * empty.
   */
  public <N> Root<N> readRoot(byte[] token, NodeFactory<N> factory) {
    SharedValues.Versioned v = store.read(t.ns, RecordKeys.node(token, 0));
    if (v != null) {
      blindWrites.seen(token);
    }
    return v == null ? null : new Root<>(t.openNode(token, 0, v.value(), factory), v.version());
  }

  /**
   * Writes {@code page} as a new node of partition {@code token} under a fresh id (written only if
   * no record has that id; another id is drawn when one has).
   *
   * @return the node's id
   */
  public long putNewNode(byte[] token, PageContent page) {
    byte[] body = RecordFormat.encodePage(page);
    int version = t.keys.primaryVersion();
    int sealed = PageCipher.sealedLength(version, body.length);
    boolean chunked = store.values().chunked(RecordFormat.recordPrefixLength(sealed) + sealed);
    for (int attempt = 0; ; attempt++) {
      long id = SharedKeys.freshNodeId(System.currentTimeMillis(), chunked);
      byte[] value = t.sealOne(Kind.PAGE, token, id, 0, body);
      try {
        store.write(t.ns, RecordKeys.node(token, id), value, 0, WriteCondition.absent(), false);
        return id;
      } catch (ConditionFailedException e) {
        if (attempt == 8) {
          throw new dev.coffer.StorageException(
              "No fresh node id found for a new node of table "
                  + t.table
                  + " after 8 attempts ("
                  + RecordKeys.describeNode(token, id)
                  + ")",
              e);
        }
      }
    }
  }

  /**
   * Creates partition {@code token} with {@code root}: its index entry first (so a scan does not
   * miss a partition that exists), then the root, if no root exists; the entry again after the root
   * when the two took long ({@link #indexAgainIfSlow}).
   *
   * @throws RecordConflictException when a root exists (another writer created the partition)
   */
  public void createRoot(byte[] token, PageContent root) {
    long start = System.nanoTime();
    store.index(t.ns, token);
    try {
      store.write(
          t.ns,
          RecordKeys.node(token, 0),
          sealRoot(token, root),
          SharedKeys.randomLong(),
          WriteCondition.absent(),
          false);
    } catch (ConditionFailedException e) {
      throw conflict(token, e);
    }
    indexAgainIfSlow(token, start);
    blindWrites.seen(token);
  }

  /**
   * Writes partition {@code token}'s index entry again (idempotent, 1 request) when at least half
   * of this instance's garbage grace period passed since {@code start}, taken before the entry was
   * written; always with a grace period of 0. A sweep ({@code collectGarbage()}) deletes an entry
   * that it finds without a root and older than its grace period; a writer stalled between its
   * entry and its root for longer than that (a GC or VM pause, throttling retries) would otherwise
   * land a root without an entry, which GetItem finds and Scan does not, and which later overwrites
   * on {@code attribute_exists} never index. Half the grace period leaves the other half for the
   * clocks of the two instances to differ. Costs a request only on slow writes.
   */
  private void indexAgainIfSlow(byte[] token, long start) {
    long graceNanos = TimeUnit.MILLISECONDS.toNanos(store.garbageGraceMillis());
    if (System.nanoTime() - start >= graceNanos / 2) {
      store.index(t.ns, token);
    }
  }

  /**
   * Replaces partition {@code token}'s root by {@code root} if its version is still {@code
   * expected}. The new version is drawn at random, never counted on from {@code expected}: a
   * partition emptied and created again, then swapped as often as before, must not come back to a
   * version a slow writer read from its earlier tree (the ABA problem), or that writer's swap would
   * succeed and overwrite every change made in between.
   *
   * @throws RecordConflictException when another writer swapped it first
   */
  public void swapRoot(byte[] token, long expected, PageContent root) {
    try {
      store.write(
          t.ns,
          RecordKeys.node(token, 0),
          sealRoot(token, root),
          nextVersion(expected),
          WriteCondition.version(expected),
          false);
    } catch (ConditionFailedException e) {
      throw conflict(token, e);
    }
    blindWrites.seen(token);
  }

  /**
   * Deletes partition {@code token}'s root (the partition is now empty) if its version is still
   * {@code expected}. Its index entry stays until a sweep finds the partition empty.
   *
   * @throws RecordConflictException when another writer swapped it first
   */
  public void deleteRoot(byte[] token, long expected) {
    try {
      store.remove(t.ns, RecordKeys.node(token, 0), WriteCondition.version(expected), false);
    } catch (ConditionFailedException e) {
      throw conflict(token, e);
    }
    blindWrites.forget(token);
  }

  /**
   * Writes {@code root} as partition {@code token}'s root whatever was there (a table without a
   * sort key: the partition is one root leaf), and returns what it replaced. Blind, as DynamoDB's
   * PutItem, and crash-safe for Scan: <b>a root is only ever written where a root already is, or
   * after its index entry</b>, so a writer killed at any point leaves nothing that GetItem reads
   * and Scan misses, as long as no sweep deletes the entry while the writer is paused between the
   * two (the exception in the class comment; the entry is written again after a slow write). Two
   * ways, chosen per write by what this instance expects ({@link SharedBlindWrites}); each is
   * correct whatever the backend holds:
   *
   * <ul>
   *   <li><b>over a root</b>: one {@code PutItem} on {@code attribute_exists} ({@code ALL_OLD}). If
   *       no root is there after all (a new key, or one deleted meanwhile), the condition fails,
   *       nothing is written, and the write goes the other way (3 requests in all);
   *   <li><b>entry first</b>: the index entry ({@code PutItem}, idempotent), then the root,
   *       unconditional ({@code ALL_OLD}): 2 requests, whether the key is new or not (3 when the
   *       two took at least half the grace period: {@link #indexAgainIfSlow}).
   * </ul>
   *
   * @return the root it replaced, opened (only when {@code wantOld}; else null)
   */
  public <N> N replaceRoot(
      byte[] token, PageContent root, NodeFactory<N> factory, boolean wantOld) {
    byte[] sealed = sealRoot(token, root);
    SharedValues.Versioned old = null;
    boolean replaced = false;
    if (blindWrites.expectsRoot(token)) {
      try {
        old = writeRoot(token, sealed, WriteCondition.exists(), wantOld);
        replaced = true;
      } catch (ConditionFailedException absent) {
        // no root after all: index it first, below
      }
    }
    if (!replaced) {
      long start = System.nanoTime();
      store.index(t.ns, token);
      old = writeRoot(token, sealed, WriteCondition.none(), wantOld);
      indexAgainIfSlow(token, start);
    }
    blindWrites.record(token, old != null);
    return old != null && wantOld ? t.openNode(token, 0, old.value(), factory) : null;
  }

  private SharedValues.Versioned writeRoot(
      byte[] token, byte[] sealed, WriteCondition condition, boolean wantOld) {
    return store.write(
        t.ns, RecordKeys.node(token, 0), sealed, SharedKeys.randomLong(), condition, wantOld);
  }

  /**
   * Deletes partition {@code token}'s root whatever it was (a table without a sort key), in one
   * request that returns it.
   *
   * @return the root deleted, opened, or null when there was none
   */
  public <N> N removeRoot(byte[] token, NodeFactory<N> factory, boolean wantOld) {
    SharedValues.Versioned old =
        store.remove(t.ns, RecordKeys.node(token, 0), WriteCondition.none(), wantOld);
    blindWrites.forget(token);
    return old == null || !wantOld ? null : t.openNode(token, 0, old.value(), factory);
  }

  /** A random root version other than {@code previous}. */
  static long nextVersion(long previous) {
    long v;
    do {
      v = SharedKeys.randomLong();
    } while (v == previous);
    return v;
  }

  /**
   * A root sealed without its next node id: on a shared backend node ids are drawn fresh, never
   * counted, so the field would only cost 9 bytes per partition (a reader takes 0 for 1: {@code
   * TreeRebalancer}).
   */
  private byte[] sealRoot(byte[] token, PageContent root) {
    return t.sealOne(Kind.PAGE, token, 0, 0, RecordFormat.encodePage(withoutNextNodeId(root)));
  }

  /** {@code page} with next node id 0 (not encoded). */
  static PageContent withoutNextNodeId(PageContent page) {
    if (page.nextNodeId() == 0) {
      return page;
    }
    return new PageContent() {
      @Override
      public boolean isLeaf() {
        return page.isLeaf();
      }

      @Override
      public List<Entry> entries() {
        return page.entries();
      }

      @Override
      public List<ByteString> separators() {
        return page.separators();
      }

      @Override
      public List<Long> children() {
        return page.children();
      }

      @Override
      public long nextNodeId() {
        return 0;
      }

      @Override
      public int height() {
        return page.height();
      }

      @Override
      public long deltaSeqBase() {
        return page.deltaSeqBase();
      }
    };
  }

  private RecordConflictException conflict(byte[] token, ConditionFailedException e) {
    return new RecordConflictException(
        "another writer changed "
            + RecordKeys.describeNode(token, 0)
            + " of table "
            + t.table
            + " first",
        e);
  }

  /** Deletes nodes that no root ever referenced (the new nodes of a swap that lost), at once. */
  public void discard(byte[] token, Collection<Long> ids) {
    List<BackendKey> plain = new ArrayList<>();
    for (long id : ids) {
      BackendKey k = SharedRecordStore.backendKey(t.ns, RecordKeys.node(token, id));
      if (SharedKeys.chunked(id)) {
        store.deleteRecordAndChunks(k);
      } else {
        plain.add(k);
      }
    }
    store.deleteAll(plain);
  }

  /** Queues nodes that a root swap made unreachable for deletion after the grace period. */
  public void retire(byte[] token, Collection<Long> ids) {
    List<BackendKey> plain = new ArrayList<>();
    List<BackendKey> chunked = new ArrayList<>();
    for (long id : ids) {
      if (id == 0) {
        continue;
      }
      BackendKey k = SharedRecordStore.backendKey(t.ns, RecordKeys.node(token, id));
      (SharedKeys.chunked(id) ? chunked : plain).add(k);
    }
    store.garbage().add(plain, false);
    store.garbage().add(chunked, true);
  }

  // ------------------------------------------------------------------ re-encryption and counts

  /** {@link TableRecords#reseal} on a shared backend: copy-on-write, partition by partition. */
  TableRecords.ResealCounts reseal(List<byte[]> tokens, int batchRecords, Runnable afterBatch) {
    SharedReseal r = new SharedReseal(t, this, store);
    long sinceAfter = 0;
    for (byte[] token : tokens) {
      long before = r.resealed;
      r.partition(token);
      sinceAfter += r.resealed - before;
      if (sinceAfter >= batchRecords) {
        afterBatch.run();
        sinceAfter = 0;
      }
    }
    if (sinceAfter > 0) {
      afterBatch.run();
    }
    return new TableRecords.ResealCounts(r.visited, r.resealed, r.bytes);
  }

  /** Records per data-key version, over every node reachable from a root (not garbage). */
  java.util.TreeMap<Integer, Long> versionCounts() {
    return new SharedReseal(t, this, store).countVersions();
  }

  /** Records reachable from a root in an envelope format older than the current one. */
  long olderFormatCount() {
    SharedReseal r = new SharedReseal(t, this, store);
    r.countVersions();
    return r.olderFormats;
  }

  /** Records reachable from a root. */
  long recordCount() {
    long n = 0;
    for (long c : versionCounts().values()) {
      n += c;
    }
    return n;
  }

  /** The separators of a node as the reseal re-encodes them. */
  static List<ByteString> copy(List<ByteString> l) {
    return new ArrayList<>(l);
  }

  static CorruptionException corrupt(TableRecords t, String message, byte[] token, long nodeId) {
    return new CorruptionException(message, t.table, RecordKeys.describeNode(token, nodeId));
  }
}
