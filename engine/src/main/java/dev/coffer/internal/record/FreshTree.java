// Over 400 lines: one table's map read (checked walk, cached nodes), changed (a batch's buckets and
// the inner nodes above them) and built at open, all under one lock discipline described below.
package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.record.FreshNodes.Bucket;
import dev.coffer.internal.record.FreshNodes.Inner;
import dev.coffer.internal.record.FreshNodes.Node;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The freshness map of one table ({@link FreshStore}): a Merkle tree ({@link FreshNodes}) holding
 * the {@link FreshDigest} of every record of the table, whose root digest the sealed store state
 * holds. Reads check a value against it ({@link #check}); writes change it in the same batch as the
 * records ({@link Change}).
 *
 * <p><b>Concurrency.</b> Writers hold {@link #lock} from reading the nodes they change until the
 * batch is committed and the new nodes installed, so under the lock the map in memory is the map on
 * disk. Readers walk the tree without it, every node checked against the digest its parent holds (a
 * cached node as well, so a stale one is read again); a mismatch seen without the lock may be a
 * writer's batch committed but not yet installed, so the reader looks again under the lock, and
 * only a mismatch seen there is damage or a rollback. The caller holds the partition's lock, so the
 * value it checks and its digest in the map cannot change meanwhile. Thread-safe.
 */
final class FreshTree {
  final byte[] tableId;
  final String tableHex;
  volatile String tableName;
  final ReentrantLock lock = new ReentrantLock();
  private final FreshStore owner;

  /** The root's digest; null for an empty map. Changed under {@link #lock}. */
  private volatile byte[] rootDigest;

  /** Whether the map covers the table (false until it is built at open: {@link #build}). */
  private volatile boolean covered;

  /**
   * Whether this is the map of the store's ClientRequestToken records ({@link #forTokens}) rather
   * than a table's: its keys are the records' token digests, its failures name no table.
   */
  final boolean tokens;

  FreshTree(FreshStore owner, byte[] tableId, String tableHex, String tableName) {
    this(owner, tableId, tableHex, tableName, false);
  }

  private FreshTree(
      FreshStore owner, byte[] tableId, String tableHex, String tableName, boolean tokens) {
    this.owner = owner;
    this.tableId = tableId.clone();
    this.tableHex = tableHex;
    this.tableName = tableName;
    this.tokens = tokens;
  }

  /**
   * The map of the store's ClientRequestToken records ({@link TokenRecords}), kept under {@code id}
   * (a table id no table takes): one key per record, the record's 16-byte token digest (so records
   * spread over the buckets by their digest's first byte).
   */
  static FreshTree forTokens(FreshStore owner, byte[] id, String hex) {
    return new FreshTree(owner, id, hex, null, true);
  }

  /** What the map is, for messages. */
  private String mapName() {
    return tokens
        ? "the freshness map of the store's ClientRequestToken records"
        : "the table's freshness map";
  }

  /** Where the record under map key {@code key} is, for messages. */
  private String describe(byte[] key) {
    return tokens
        ? "ClientRequestToken record " + HexFormat.of().formatHex(key)
        : RecordKeys.describeTableKey(key);
  }

  /** A failure at {@code location}: naming the table, or for the token map, the record. */
  private CorruptionException failure(String message, String location) {
    return tokens
        ? new CorruptionException(message + " (" + location + ")", null, location)
        : new CorruptionException(message, tableName, location);
  }

  boolean covered() {
    return covered;
  }

  /** Covers the table with the map whose root digest is {@code root} (null: empty). */
  void cover(byte[] root) {
    rootDigest = root;
    covered = true;
  }

  /** The root digest as the state records it: empty for an empty map. */
  byte[] stateRoot() {
    return rootDigest == null ? new byte[0] : rootDigest;
  }

  /** A node not matching its parent's digest (or missing): damage, or a write not yet installed. */
  private static final class Stale extends RuntimeException {
    final String where;

    Stale(String message, String where) {
      super(message, null, false, false);
      this.where = where;
    }
  }

  // ------------------------------------------------------------------------------------ reading

  /**
   * Checks {@code value} (null: absent), just read under {@code key}, against the map.
   *
   * @throws CorruptionException when the map holds another digest for the key, none for a present
   *     value, or one for an absent value, or a node of the map is missing or does not match
   */
  void check(byte[] key, byte[] value) {
    if (!covered) {
      return;
    }
    byte[] have = value == null ? null : FreshDigest.of(value);
    try {
      if (Arrays.equals(lookup(key), have)) {
        owner.counters.checked();
        return;
      }
    } catch (Stale e) {
      // looked at again under the lock
    }
    lock.lock();
    try {
      byte[] want;
      try {
        want = lookup(key);
      } catch (Stale e) {
        throw corrupt(e);
      }
      if (Arrays.equals(want, have)) {
        owner.counters.checked();
        return;
      }
      owner.counters.failed();
      String message;
      if (have == null) {
        message =
            "A record " + mapName() + " lists is missing (it was removed from the store directory)";
      } else if (want == null) {
        message =
            "A record is not in "
                + mapName()
                + " (a deleted record was put back, or one was added, from outside Coffer)";
      } else {
        message =
            "A record is not the version "
                + mapName()
                + " lists (an older copy was put back"
                + (tokens ? ")" : ", or its newest delta records were removed)");
      }
      throw failure(message, describe(key));
    } finally {
      lock.unlock();
    }
  }

  private CorruptionException corrupt(Stale e) {
    owner.counters.failed();
    return failure(e.getMessage(), e.where);
  }

  /** The digest the map holds for {@code key}, or null. */
  private byte[] lookup(byte[] key) {
    Bucket b = bucket(FreshNodes.bucketOf(key));
    return b == null ? null : b.get(key);
  }

  /** The bucket {@code b} as the map holds it, or null when empty. */
  private Bucket bucket(int b) {
    return bucket(b, null);
  }

  /**
   * The bucket {@code b} as the map holds it, or null when empty; the inner nodes on the way are
   * added to {@code path} (by {@link #pathKey}) when it is not null.
   */
  private Bucket bucket(int b, Map<Integer, Inner> path) {
    byte[] d = rootDigest;
    if (d == null) {
      return null;
    }
    Inner n = (Inner) node(0, 0, d);
    for (int level = 0; level < FreshNodes.BUCKET_LEVEL; level++) {
      if (path != null) {
        path.put(pathKey(level, FreshNodes.indexAt(level, b)), n);
      }
      byte[] child = n.children()[FreshNodes.slotAt(level, b)];
      if (child == null) {
        return null;
      }
      Node c = node(level + 1, FreshNodes.indexAt(level + 1, b), child);
      if (level + 1 == FreshNodes.BUCKET_LEVEL) {
        return (Bucket) c;
      }
      n = (Inner) c;
    }
    throw new AssertionError();
  }

  /** The node at {@code level}/{@code index} whose digest is {@code digest}: cached, or read. */
  private Node node(int level, int index, byte[] digest) {
    Node cached = owner.cache.get(this, level, index);
    if (cached != null && MessageDigest.isEqual(cached.digest(), digest)) {
      return cached;
    }
    String where =
        tokens
            ? "freshness map of the ClientRequestToken records level " + level + " node " + index
            : RecordKeys.describeFreshNode(tableId, level, index);
    byte[] stored = owner.readNode(tableId, level, index);
    if (stored == null) {
      throw new Stale(
          "A node of " + mapName() + " is missing (it was removed from the store directory)",
          where);
    }
    byte[] actual = FreshDigest.sha256(stored);
    if (!MessageDigest.isEqual(actual, digest)) {
      throw new Stale(
          "A node of "
              + mapName()
              + " is not the version its parent lists (an older copy was put back, or it was"
              + " changed)",
          where);
    }
    Node node = FreshNodes.decode(tableId, level, index, stored, actual);
    if (node == null) {
      throw new Stale("A node of " + mapName() + " is malformed", where);
    }
    owner.cache.put(this, level, index, node);
    return node;
  }

  // ------------------------------------------------------------------------------- scan pages

  /**
   * Checks that a walk of the table's partitions in token order over {@code [from, to)} ({@code to}
   * null: to the end) met every partition the map lists in that range: {@code met} holds the tokens
   * it met, ascending. The buckets of the first token bytes the range spans are read (every node
   * checked against its parent's digest up to the root), and each partition they hold inside the
   * range is looked up in {@code met} once ({@link #missedIn}: a search per bucket, not a read of
   * every key). A listed partition not met is looked at again under {@link #lock}, where the map on
   * disk is the map in memory: one that {@code present} then finds records of was written after the
   * walk passed its place (a scan is not a snapshot), one it finds none of was removed whole.
   * Partitions met that the map does not list, or lists another version of, are the point reads' to
   * report (the scan reads each it meets).
   *
   * @throws CorruptionException naming the table and the partition when a listed partition has no
   *     record, or a node of the map is missing or not the one its parent lists
   */
  void checkMet(byte[] from, byte[] to, List<byte[]> met, Predicate<byte[]> present) {
    if (!covered) {
      return;
    }
    owner.counters.pageChecks.incrementAndGet();
    List<byte[]> missed;
    try {
      missed = missed(from, to, met);
      if (missed.isEmpty()) {
        owner.counters.checked();
        return;
      }
    } catch (Stale e) {
      // looked at again under the lock
    }
    owner.counters.lockedPageChecks.incrementAndGet();
    lock.lock();
    try {
      try {
        missed = missed(from, to, met);
      } catch (Stale e) {
        throw corrupt(e);
      }
      for (byte[] token : missed) {
        if (!present.test(token)) {
          owner.counters.failed();
          throw new CorruptionException(
              "A partition the table's freshness map lists is missing from a scan: every record"
                  + " of it was removed from the store directory",
              tableName,
              "partition " + HexFormat.of().formatHex(token));
        }
      }
      owner.counters.checked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The partitions the map lists in {@code [from, to)} that {@code met} (ascending) lacks,
   * ascending, from the buckets of the first token bytes the range spans ({@link #missedIn}).
   */
  private List<byte[]> missed(byte[] from, byte[] to, List<byte[]> met) {
    TreeMap<Key, byte[]> out = new TreeMap<>();
    byte[] root = rootDigest;
    if (root != null) {
      int lo = from[0] & 0xFF;
      int hi = to == null ? 0xFF : to[0] & 0xFF;
      walk(0, 0, root, lo, hi, b -> missedIn(b.keys(), from, to, met, out));
    }
    List<byte[]> tokens = new ArrayList<>();
    out.keySet().forEach(k -> tokens.add(k.bytes()));
    return tokens;
  }

  /**
   * Adds to {@code out} (by token, the first key met of each) the partitions of one bucket's {@code
   * keys} whose token is in {@code [from, to)} ({@code to} null: no bound) and not in {@code met}
   * (ascending). A bucket's keys are in key order, so their tokens (a key's first {@link
   * RecordKeys#TOKEN_BYTES} bytes, a shorter key zero-padded) never decrease: the first key at or
   * after {@code from} is searched for, the keys are read until one reaches {@code to}, and after
   * each key the rest of its partition is searched past, not read. The searches gallop from where
   * the last one ended, so the cost is about {@code log(keys) + partitions in the range} token
   * comparisons, not one per key (a large partition is one look-up, however many records of it the
   * bucket holds).
   */
  static void missedIn(
      byte[][] keys, byte[] from, byte[] to, List<byte[]> met, Map<Key, byte[]> out) {
    int n = RecordKeys.TOKEN_BYTES;
    int i = seek(keys, 0, from, false);
    while (i < keys.length) {
      byte[] k = keys[i].length >= n ? keys[i] : RecordKeys.token(keys[i]);
      if (to != null && Arrays.compareUnsigned(k, 0, n, to, 0, n) >= 0) {
        return;
      }
      if (!contains(met, k)) {
        out.putIfAbsent(new Key(RecordKeys.token(k)), k);
      }
      i = seek(keys, i + 1, k, true);
    }
  }

  /**
   * The first index at or after {@code start} whose key's token is above {@code token} ({@code
   * past}) or at or above it (not {@code past}), or {@code keys.length}: galloping (1, 2, 4, ...
   * keys on) to a key that is, then a binary search below it, so a near answer costs little.
   */
  private static int seek(byte[][] keys, int start, byte[] token, boolean past) {
    int lo = start; // the keys before lo are below the answer
    int hi = start;
    int step = 1;
    while (hi < keys.length && !reached(keys[hi], token, past)) {
      lo = hi + 1;
      hi = lo + step;
      step <<= 1;
    }
    hi = Math.min(hi, keys.length); // keys[hi] is at or past the answer, or hi is the end
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (reached(keys[mid], token, past)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Whether the token of {@code key} is above ({@code past}) or at or above {@code token}. */
  private static boolean reached(byte[] key, byte[] token, boolean past) {
    int n = RecordKeys.TOKEN_BYTES;
    byte[] k = key.length >= n ? key : RecordKeys.token(key);
    int cmp = Arrays.compareUnsigned(k, 0, n, token, 0, n);
    return past ? cmp > 0 : cmp >= 0;
  }

  /** Whether {@code tokens} (ascending) holds the token {@code key} starts with. */
  private static boolean contains(List<byte[]> tokens, byte[] key) {
    int n = RecordKeys.TOKEN_BYTES;
    int lo = 0;
    int hi = tokens.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = Arrays.compareUnsigned(tokens.get(mid), 0, n, key, 0, n);
      if (cmp == 0) {
        return true;
      }
      if (cmp < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  /**
   * Every key the map lists, read from the root the state holds (each node checked against its
   * parent's digest), for a rewrite of every record ({@link FreshStore#stageRenewal}).
   *
   * @throws CorruptionException when a node is missing or not the one its parent lists
   */
  List<byte[]> listedKeys() {
    List<byte[]> out = new ArrayList<>();
    byte[] root = rootDigest;
    if (root != null) {
      try {
        walk(0, 0, root, 0, 0xFF, b -> out.addAll(Arrays.asList(b.keys())));
      } catch (Stale e) {
        throw corrupt(e);
      }
    }
    return out;
  }

  /**
   * Hands {@code sink} every bucket under the node at {@code level}/{@code index} (digest {@code
   * digest}) whose keys' first byte is in {@code [lo, hi]}: a bucket's first byte is its index's
   * high 8 bits, so only the subtrees over those bytes are read.
   */
  private void walk(int level, int index, byte[] digest, int lo, int hi, Consumer<Bucket> sink) {
    Node n = node(level, index, digest);
    if (n instanceof Bucket b) {
      sink.accept(b);
      return;
    }
    byte[][] children = ((Inner) n).children();
    int shift = 4 * (FreshNodes.BUCKET_LEVEL - level - 1);
    for (int i = 0; i < FreshNodes.FANOUT; i++) {
      int child = index * FreshNodes.FANOUT + i;
      if (children[i] == null
          || ((((child + 1) << shift) - 1) >>> 8) < lo
          || ((child << shift) >>> 8) > hi) {
        continue;
      }
      walk(level + 1, child, children[i], lo, hi, sink);
    }
  }

  // ---------------------------------------------------------------------------------- verifying

  /**
   * Compares every record of the table (of the token map: every ClientRequestToken record, keyed by
   * its token digest), as {@code cursors} reads it, with the map: the stored map is walked from the
   * root the state holds (every node checked against its parent's digest), and each bucket compared
   * key by key with the records of its keys. Holds {@link #lock} throughout, the cursor taken under
   * it, so writes of the table wait and cannot race the comparison (the map and the records
   * compared are one moment's). The records are grouped into buckets a first key byte at a time
   * ({@link FreshNodes.Grouper}).
   *
   * @return each difference, with its location: a record the map lists another version of, lists
   *     but is missing, or does not list; a map node missing or not the one its parent lists (the
   *     buckets under it are then not compared)
   */
  List<FreshMismatch> verify(Supplier<RecordCursor> cursors) {
    List<FreshMismatch> out = new ArrayList<>();
    lock.lock();
    try (RecordCursor c = cursors.get()) {
      TreeMap<Integer, Bucket> stored = new TreeMap<>();
      BitSet unknown = new BitSet(1 << 16);
      byte[] root = rootDigest;
      if (root != null) {
        collect(0, 0, root, stored, unknown, out);
      }
      FreshNodes.Grouper grouper =
          new FreshNodes.Grouper(
              (index, keys, digests) -> {
                Bucket have = stored.remove(index);
                if (!unknown.get(index)) {
                  compare(have, keys, digests, out);
                }
              });
      for (c.seekToFirst(); c.valid(); c.next()) {
        grouper.add(c.key(), FreshDigest.of(c.value()));
      }
      grouper.flush();
      for (Bucket left : stored.values()) { // buckets the map lists whose records are all gone
        compare(left, new byte[0][], new byte[0][], out);
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  /**
   * Collects every bucket under the node at {@code level}/{@code index} whose digest is {@code
   * digest}; a node missing or not the one its parent lists is reported, and the buckets under it
   * marked {@code unknown} (not compared: their records would all look unlisted).
   */
  private void collect(
      int level,
      int index,
      byte[] digest,
      TreeMap<Integer, Bucket> buckets,
      BitSet unknown,
      List<FreshMismatch> out) {
    Node n;
    try {
      n = node(level, index, digest);
    } catch (Stale e) {
      int span = 1 << (4 * (FreshNodes.BUCKET_LEVEL - level));
      unknown.set(index * span, (index + 1) * span);
      out.add(new FreshMismatch(null, -1, e.where, e.getMessage()));
      return;
    }
    if (n instanceof Bucket b) {
      buckets.put(index, b);
      return;
    }
    byte[][] children = ((Inner) n).children();
    for (int i = 0; i < FreshNodes.FANOUT; i++) {
      if (children[i] != null) {
        collect(level + 1, index * FreshNodes.FANOUT + i, children[i], buckets, unknown, out);
      }
    }
  }

  /** Reports every key where bucket {@code have} (null: empty) and the records found differ. */
  private void compare(Bucket have, byte[][] keys, byte[][] digests, List<FreshMismatch> out) {
    byte[][] listed = have == null ? new byte[0][] : have.keys();
    int i = 0;
    int j = 0;
    while (i < listed.length || j < keys.length) {
      int cmp =
          i == listed.length
              ? 1
              : j == keys.length ? -1 : Arrays.compareUnsigned(listed[i], keys[j]);
      if (cmp < 0) {
        out.add(
            mismatch(
                listed[i],
                "A record "
                    + mapName()
                    + " lists is missing (it was removed from the store directory"
                    + (tokens ? ")" : ", or its whole partition was)")));
        i++;
      } else if (cmp > 0) {
        out.add(
            mismatch(
                keys[j],
                "A record is not in "
                    + mapName()
                    + " (a deleted record was put back, or one was added, from outside Coffer)"));
        j++;
      } else {
        if (!MessageDigest.isEqual(have.digests()[i], digests[j])) {
          out.add(
              mismatch(
                  keys[j],
                  "A record is not the version "
                      + mapName()
                      + " lists (an older copy was put back"
                      + (tokens ? ")" : ", or its newest delta records were removed)")));
        }
        i++;
        j++;
      }
    }
  }

  private FreshMismatch mismatch(byte[] key, String message) {
    if (tokens) {
      return new FreshMismatch(null, -1, describe(key), message);
    }
    boolean node = RecordKeys.isNodeKey(key);
    return new FreshMismatch(
        node ? RecordKeys.token(key) : null,
        node ? RecordKeys.nodeId(key) : -1,
        RecordKeys.describeTableKey(key),
        message);
  }

  // ------------------------------------------------------------------------------------ writing

  /**
   * The changes of one batch to this map. Made, applied, written and installed under {@link #lock}
   * (and the state's monitor). Not thread-safe.
   */
  final class Change {
    private final Map<Integer, TreeMap<Key, byte[]>> buckets = new HashMap<>();
    private final List<Runnable> installs = new ArrayList<>();

    /** The current inner nodes on the way to the buckets read, by {@link #pathKey}. */
    private final Map<Integer, Inner> path = new HashMap<>();

    private byte[] newRoot;

    private TreeMap<Key, byte[]> entries(int b) {
      return buckets.computeIfAbsent(
          b,
          i -> {
            TreeMap<Key, byte[]> m = new TreeMap<>();
            Bucket current;
            try {
              current = bucket(i, path);
            } catch (Stale e) {
              throw corrupt(e); // a write into a map rolled back or damaged fails
            }
            if (current != null) {
              for (int k = 0; k < current.keys().length; k++) {
                m.put(new Key(current.keys()[k]), current.digests()[k]);
              }
            }
            return m;
          });
    }

    /** Applies one operation of the batch, in order. */
    void apply(RecordBatch.Operation op) {
      byte[] key = tokens ? RecordKeys.tokenDigestAfter(op.key()) : op.key();
      TreeMap<Key, byte[]> m = entries(FreshNodes.bucketOf(key));
      Key k = new Key(key);
      switch (op.kind()) {
        case PUT -> m.put(k, FreshDigest.of(op.value()));
        case APPEND -> m.put(k, FreshDigest.extend(m.get(k), op.value()));
        case DELETE -> m.remove(k);
        default -> throw new AssertionError(op.kind());
      }
    }

    /** Adds the changed nodes to {@code batch}; returns the new root as the state records it. */
    byte[] write(RecordBatch batch, RecordStore.Namespace ns) {
      if (buckets.isEmpty()) {
        newRoot = rootDigest;
        return stateRoot();
      }
      Map<Integer, byte[]> lower = new HashMap<>(); // index -> digest (null: empty) at level + 1
      byte[][] stored = new byte[1][];
      for (Map.Entry<Integer, TreeMap<Key, byte[]>> e : buckets.entrySet()) {
        int index = e.getKey();
        TreeMap<Key, byte[]> m = e.getValue();
        byte[][] keys = new byte[m.size()][];
        byte[][] digests = new byte[m.size()][];
        int i = 0;
        for (Map.Entry<Key, byte[]> x : m.entrySet()) {
          keys[i] = x.getKey().bytes;
          digests[i++] = x.getValue();
        }
        Bucket node = encodeBucket(index, keys, digests, stored);
        put(batch, ns, FreshNodes.BUCKET_LEVEL, index, node, stored[0]);
        lower.put(index, node == null ? null : node.digest());
      }
      for (int level = FreshNodes.BUCKET_LEVEL - 1; level >= 0; level--) {
        Map<Integer, byte[]> upper = new HashMap<>();
        Map<Integer, byte[][]> children = new HashMap<>();
        for (Map.Entry<Integer, byte[]> e : lower.entrySet()) {
          int childIndex = e.getKey();
          int index = childIndex >>> 4;
          int at = level;
          byte[][] c = children.computeIfAbsent(index, i -> currentChildren(at, i));
          c[childIndex & (FreshNodes.FANOUT - 1)] = e.getValue();
        }
        for (Map.Entry<Integer, byte[][]> e : children.entrySet()) {
          Inner node = FreshNodes.inner(tableId, level, e.getKey(), e.getValue(), stored);
          put(batch, ns, level, e.getKey(), node, stored[0]);
          upper.put(e.getKey(), node == null ? null : node.digest());
        }
        lower = upper;
        if (level == 0) {
          newRoot = upper.get(0);
        }
      }
      return newRoot == null ? new byte[0] : newRoot;
    }

    /** A copy of the children of the inner node at {@code level}/{@code index}. */
    private byte[][] currentChildren(int level, int index) {
      Inner current = path.get(pathKey(level, index));
      try {
        if (current == null) {
          current = innerAt(level, index);
        }
      } catch (Stale e) {
        throw corrupt(e);
      }
      return current == null ? new byte[FreshNodes.FANOUT][] : current.children().clone();
    }

    private void put(
        RecordBatch batch, RecordStore.Namespace ns, int level, int index, Node node, byte[] b) {
      byte[] key = RecordKeys.freshNode(tableId, level, index);
      if (node == null) {
        batch.delete(ns, key);
        installs.add(() -> owner.cache.remove(FreshTree.this, level, index));
      } else {
        batch.put(ns, key, b);
        installs.add(() -> owner.cache.put(FreshTree.this, level, index, node));
      }
    }

    /** Makes the written map the current one (after the batch committed). */
    void install() {
      installs.forEach(Runnable::run);
      rootDigest = newRoot;
    }
  }

  // ----------------------------------------------------------------------------------- building

  /**
   * Builds the map of every record {@code cursor} yields (the table's namespace, in key order), as
   * found, and adds its nodes to batches that {@code flush} commits (the last one is returned, not
   * flushed: the caller commits it with the state naming the new root). Until that commit the nodes
   * are referenced by nothing. Only at open, before anything writes the table.
   *
   * @return the last batch; {@link #builtRoot} is the new root
   */
  RecordBatch build(RecordCursor cursor, RecordStore.Namespace ns, Consumer<RecordBatch> flush) {
    byte[][] buckets = new byte[1 << 16][];
    RecordBatch[] batch = {RecordBatch.create()};
    byte[][] stored = new byte[1][];
    FreshNodes.Grouper grouper =
        new FreshNodes.Grouper(
            (index, keys, digests) -> {
              Bucket node = encodeBucket(index, keys, digests, stored);
              batch[0].put(
                  ns, RecordKeys.freshNode(tableId, FreshNodes.BUCKET_LEVEL, index), stored[0]);
              buckets[index] = node.digest();
              batch[0] = flushIfFull(batch[0], flush);
            });
    for (cursor.seekToFirst(); cursor.valid(); cursor.next()) {
      grouper.add(cursor.key(), FreshDigest.of(cursor.value()));
    }
    grouper.flush();
    byte[][] lower = buckets;
    for (int level = FreshNodes.BUCKET_LEVEL - 1; level >= 0; level--) {
      byte[][] upper = new byte[lower.length / FreshNodes.FANOUT][];
      for (int index = 0; index < upper.length; index++) {
        byte[][] children =
            Arrays.copyOfRange(lower, index * FreshNodes.FANOUT, (index + 1) * FreshNodes.FANOUT);
        Inner node = FreshNodes.inner(tableId, level, index, children, stored);
        if (node != null) {
          batch[0].put(ns, RecordKeys.freshNode(tableId, level, index), stored[0]);
          upper[index] = node.digest();
          batch[0] = flushIfFull(batch[0], flush);
        }
      }
      lower = upper;
    }
    builtRoot = lower[0];
    return batch[0];
  }

  /**
   * Encodes bucket {@code index} ({@link FreshNodes#bucket}).
   *
   * @throws CorruptionException naming the table when a key is longer than a map holds (Coffer
   *     writes none: a record planted from outside)
   */
  Bucket encodeBucket(int index, byte[][] keys, byte[][] digests, byte[][] stored) {
    for (byte[] k : keys) {
      if (k.length > FreshNodes.MAX_KEY_BYTES) {
        throw new CorruptionException(
            "A record key of "
                + k.length
                + " bytes, longer than any Coffer writes (a record added from outside Coffer)",
            tableName,
            RecordKeys.describeTableKey(k));
      }
    }
    return FreshNodes.bucket(tableId, index, keys, digests, stored);
  }

  /** The root digest {@link #build} computed (null: empty). */
  byte[] builtRoot;

  private static RecordBatch flushIfFull(RecordBatch batch, Consumer<RecordBatch> flush) {
    if (batch.operations().size() < 1024) {
      return batch;
    }
    flush.accept(batch);
    return RecordBatch.create();
  }

  private static int pathKey(int level, int index) {
    return (level << 24) | index;
  }

  /** The inner node at {@code level}/{@code index} as the map holds it, or null when empty. */
  private Inner innerAt(int level, int index) {
    byte[] d = rootDigest;
    if (d == null) {
      return null;
    }
    Inner n = (Inner) node(0, 0, d);
    int bucket = index << (4 * (FreshNodes.BUCKET_LEVEL - level));
    for (int l = 0; l < level; l++) {
      byte[] child = n.children()[FreshNodes.slotAt(l, bucket)];
      if (child == null) {
        return null;
      }
      n = (Inner) node(l + 1, FreshNodes.indexAt(l + 1, bucket), child);
    }
    return n;
  }

  /** A record key in a map, ordered as the store orders keys (unsigned bytes). */
  record Key(byte[] bytes) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
