// Over 400 lines: every RecordStore method is here (most delegate), with the one commit path that
// keeps the maps and the state with the records, and the open-time building and forgetting of maps.
package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freshness ({@code CofferOptions.freshness}): a {@link RecordStore} over the embedded one that
 * keeps, for every table, a map of the digest of each stored record ({@link FreshTree}), and checks
 * every point read of a table's record against it. It sits at the record layer's choke points:
 * every write of a table's records (a batch, a single put, append or delete) passes through {@link
 * #commit}, which adds the map's changed nodes and the store's sealed state naming the new roots
 * ({@link StateSink}) to the same batch, so a crash keeps all or none; every point read passes
 * through {@link #get}. So a record put back from an older copy of the store directory, a deleted
 * record put back, a record removed, or a leaf's newest delta records removed, fails the next read
 * of it with {@code CorruptionException}, and so does a map node put back (its digest is in its
 * parent, the root's in the sealed state).
 *
 * <p>Writes serialize on the state ({@link StateSink}, one monitor for the store) and on the tables
 * they change ({@link FreshTree#lock}, taken in table-id order); reads take no lock unless what
 * they find does not match. Cursors are not checked record by record (a scan finds partitions
 * through one and reads them with point reads, which are); a scan page then checks that it met
 * every partition the map lists in the token range it covered ({@link #checkPartitionsMet}), so a
 * partition removed whole is not passed over; {@link #checkRead} checks a record a cursor returned
 * where the caller holds the partition's lock (re-encryption).
 *
 * <p>Thread-safe as {@link RecordStore} says.
 */
public final class FreshStore implements RecordStore {
  /** Where the roots live: the store's sealed state. */
  public interface StateSink {
    /** The recorded root of each covered table, by table id in hex (empty: an empty map). */
    Map<String, ByteString> freshnessRoots();

    /**
     * Whether the state says freshness is on for the store (set at the end of the first open with
     * it on, cleared by an open with it off): while it is, every table must have a root.
     */
    boolean freshnessEnabled();

    /**
     * Commits {@code batch} with the state recording {@code roots} (by table id in hex; null
     * removes a table's root) and, when {@code enabled} is not null, whether freshness is on,
     * atomically. Called holding this object's monitor, which every write of the state holds.
     */
    void commitFreshness(RecordBatch batch, Map<String, byte[]> roots, Boolean enabled);
  }

  private static final Logger LOG = LoggerFactory.getLogger(FreshStore.class);

  private final RecordStore delegate;
  private final Map<String, FreshTree> trees = new ConcurrentHashMap<>();
  final FreshCache cache;
  final Counters counters = new Counters();
  private volatile StateSink sink;

  /** The store's counts of checks (for stats and tests). */
  static final class Counters {
    final AtomicLong checks = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    void checked() {
      checks.incrementAndGet();
    }

    void failed() {
      failures.incrementAndGet();
    }
  }

  /**
   * Freshness over {@code delegate} (an embedded store), caching up to {@code cacheBytes} of map
   * nodes. Nothing is checked or written until {@link #bind}.
   */
  public FreshStore(RecordStore delegate, long cacheBytes) {
    if (delegate.shared() != null) {
      throw new IllegalArgumentException("freshness is not available on a shared backend");
    }
    this.delegate = delegate;
    this.cache = new FreshCache(cacheBytes);
  }

  /**
   * Binds the store to its sealed state (after the bootstrap opened it, before the catalog loads):
   * from now on tables the state names a root for are covered.
   */
  public void bind(StateSink sink) {
    this.sink = sink;
  }

  private FreshTree tree(Namespace ns) {
    byte[] id = ns.tableId();
    if (id == null || sink == null) {
      return null;
    }
    String hex = HexFormat.of().formatHex(id);
    FreshTree t = trees.get(hex);
    if (t != null) {
      return t;
    }
    // the roots are read before computeIfAbsent, never inside it: the state's monitor is taken
    // by writers that then put into this map (createTable), so taking it inside the map's bin lock
    // could deadlock
    ByteString root = sink.freshnessRoots().get(hex);
    return trees.computeIfAbsent(
        hex,
        h -> {
          FreshTree n = new FreshTree(this, id, h, h);
          if (root != null) {
            n.cover(root.isEmpty() ? null : root.toByteArray());
          }
          return n;
        });
  }

  /**
   * Covers every table the state names no root for and forgets the roots of tables that no longer
   * exist, then records in the state that freshness is on. At open, after the catalog loaded and
   * before anything writes. While the state does not yet say freshness is on (the first open with
   * it, or the first after an open with it off), a table without a root was written without a map
   * and its map is built from its records as found. Once the state says it is on, every table has
   * had a root since it was created: a table without one is empty (a CreateTable a crash
   * interrupted before its root was recorded) and gets an empty map, and one with records is
   * refused, never mapped as found.
   *
   * @throws CorruptionException when the state says freshness is on and a table with records has no
   *     root
   */
  public void coverAll() {
    StateSink s = sink;
    boolean wasOn = s.freshnessEnabled();
    Map<String, byte[]> gone = new HashMap<>();
    for (String hex : s.freshnessRoots().keySet()) {
      if (delegate.table(HexFormat.of().parseHex(hex), null) == null) {
        gone.put(hex, null);
      }
    }
    if (!gone.isEmpty()) {
      synchronized (s) {
        s.commitFreshness(RecordBatch.createSynced(), gone, null);
      }
    }
    for (byte[] id : delegate.tableIds()) {
      Namespace ns = delegate.table(id, null);
      FreshTree t = tree(ns);
      if (t.covered()) {
        continue;
      }
      if (wasOn) {
        boolean empty;
        try (RecordCursor c = delegate.cursor(ns, false)) {
          c.seekToFirst();
          empty = !c.valid();
        }
        if (!empty) {
          throw new CorruptionException(
              "A table with records has no freshness root in the store state, which says freshness"
                  + " is on: its root was removed, or the table's records were put back from"
                  + " outside Coffer; its map is not rebuilt as found",
              t.tableName,
              "freshness root of table id " + t.tableHex);
        }
      }
      long started = System.nanoTime();
      RecordBatch last;
      try (RecordCursor c = delegate.cursor(ns, false)) {
        last = t.build(c, delegate.storeNamespace(), delegate::commit);
      }
      synchronized (s) {
        RecordBatch synced = RecordBatch.createSynced();
        last.operations().forEach(op -> synced.put(op.namespace(), op.key(), op.value()));
        synced.freshnessAdded = true;
        Map<String, byte[]> roots = new HashMap<>();
        roots.put(t.tableHex, t.builtRoot == null ? new byte[0] : t.builtRoot);
        s.commitFreshness(synced, roots, null);
        t.cover(t.builtRoot);
      }
      LOG.info(
          "Freshness map of table {} built from its records as found ({} ms)",
          t.tableName,
          (System.nanoTime() - started) / 1_000_000);
    }
    if (!wasOn) {
      synchronized (s) {
        s.commitFreshness(RecordBatch.createSynced(), Map.of(), true);
      }
    }
  }

  /**
   * Forgets every freshness map of a store opened with freshness off, so that a later open with it
   * on maps the tables as they are then rather than failing on records this session writes: the
   * maps' nodes deleted, the roots removed from the state and its freshness mark cleared, in one
   * synced batch. Nothing when the state names no root and is not marked.
   */
  public static void forgetAll(RecordStore store, StateSink sink) {
    synchronized (sink) {
      Map<String, ByteString> roots = sink.freshnessRoots();
      if (roots.isEmpty() && !sink.freshnessEnabled()) {
        return;
      }
      RecordBatch batch = RecordBatch.createSynced();
      deleteNodes(store, batch, RecordKeys.FRESH_PREFIX);
      batch.freshnessAdded = true;
      Map<String, byte[]> removed = new HashMap<>();
      roots.keySet().forEach(k -> removed.put(k, null));
      sink.commitFreshness(batch, removed, false);
      LOG.info(
          "Freshness is off: the freshness maps of {} table(s) were removed from the store",
          roots.size());
    }
  }

  private static void deleteNodes(RecordStore store, RecordBatch batch, byte[] prefix) {
    Namespace ns = store.storeNamespace();
    try (RecordCursor c = store.cursor(ns, false)) {
      for (c.seek(prefix); c.valid() && RecordKeys.startsWith(c.key(), prefix); c.next()) {
        batch.delete(ns, c.key());
      }
    }
  }

  /** The node stored at {@code level}/{@code index} of table {@code tableId}'s map, or null. */
  byte[] readNode(byte[] tableId, int level, int index) {
    return delegate.get(delegate.storeNamespace(), RecordKeys.freshNode(tableId, level, index));
  }

  /** Whether the maps are kept and checked in this session ({@link #bind} was called). */
  public boolean enabled() {
    return sink != null;
  }

  /** How many reads were checked, and how many failed, since the store opened. */
  public long[] checkCounts() {
    return new long[] {counters.checks.get(), counters.failures.get()};
  }

  /** What the node cache holds: {bytes, capacity, hits, misses}. */
  public long[] cacheCounts() {
    return cache.counts();
  }

  // -------------------------------------------------------------------------------- the store

  @Override
  public byte[] get(Namespace ns, byte[] key) {
    byte[] value = delegate.get(ns, key);
    FreshTree t = tree(ns);
    if (t != null) {
      t.check(key, value);
    }
    return value;
  }

  @Override
  public List<FreshMismatch> verifyFreshness(Namespace ns) {
    FreshTree t = tree(ns);
    if (t == null || !t.covered()) {
      return List.of();
    }
    return t.verify(() -> delegate.cursor(ns, false));
  }

  @Override
  public void checkRead(Namespace ns, byte[] key, byte[] value) {
    FreshTree t = tree(ns);
    if (t != null) {
      t.check(key, value);
    }
  }

  @Override
  public void checkPartitionsMet(Namespace ns, byte[] from, byte[] to, List<byte[]> met) {
    FreshTree t = tree(ns);
    if (t != null) {
      t.checkMet(from, to, met, token -> hasPartition(ns, token));
    }
  }

  /** Whether table {@code ns} has a record of partition {@code token} now. */
  private boolean hasPartition(Namespace ns, byte[] token) {
    try (RecordCursor c = delegate.cursor(ns, false)) {
      c.seek(RecordKeys.partitionStart(token));
      return c.valid() && RecordKeys.inPartition(c.key(), token);
    }
  }

  @Override
  public void put(Namespace ns, byte[] key, byte[] value) {
    if (ns.tableId() == null || sink == null) {
      delegate.put(ns, key, value);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.put(ns, key, value);
    commit(b);
  }

  @Override
  public void append(Namespace ns, byte[] key, byte[] value) {
    if (ns.tableId() == null || sink == null) {
      delegate.append(ns, key, value);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.append(ns, key, value);
    commit(b);
  }

  @Override
  public void delete(Namespace ns, byte[] key) {
    if (ns.tableId() == null || sink == null) {
      delegate.delete(ns, key);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.delete(ns, key);
    commit(b);
  }

  @Override
  public void commit(RecordBatch batch) {
    StateSink s = sink;
    if (batch.freshnessAdded || s == null) {
      delegate.commit(batch);
      return;
    }
    TreeMap<String, FreshTree> touched = new TreeMap<>();
    for (RecordBatch.Operation op : batch.operations()) {
      FreshTree t = tree(op.namespace());
      if (t != null) {
        if (!t.covered()) {
          throw new IllegalStateException(
              "a write to table " + t.tableName + " before its freshness map was built");
        }
        touched.put(t.tableHex, t);
      }
    }
    if (touched.isEmpty()) {
      delegate.commit(batch);
      return;
    }
    List<FreshTree> locked = new ArrayList<>();
    try {
      for (FreshTree t : touched.values()) {
        t.lock.lock();
        locked.add(t);
      }
      synchronized (s) {
        Map<String, FreshTree.Change> changes = new LinkedHashMap<>();
        for (FreshTree t : touched.values()) {
          changes.put(t.tableHex, t.new Change());
        }
        List<RecordBatch.Operation> ops = new ArrayList<>(batch.operations());
        for (RecordBatch.Operation op : ops) {
          byte[] id = op.namespace().tableId();
          if (id != null) {
            changes.get(HexFormat.of().formatHex(id)).apply(op);
          }
        }
        Map<String, byte[]> roots = new HashMap<>();
        changes.forEach((hex, c) -> roots.put(hex, c.write(batch, delegate.storeNamespace())));
        batch.freshnessAdded = true;
        s.commitFreshness(batch, roots, null);
        changes.values().forEach(FreshTree.Change::install);
      }
    } finally {
      for (int i = locked.size() - 1; i >= 0; i--) {
        locked.get(i).lock.unlock();
      }
    }
  }

  @Override
  public Namespace table(byte[] tableId, String tableName) {
    Namespace ns = delegate.table(tableId, tableName);
    if (ns != null && tableName != null) {
      FreshTree t = tree(ns);
      if (t != null) {
        t.tableName = tableName;
      }
    }
    return ns;
  }

  @Override
  public Namespace createTable(byte[] tableId, String tableName) {
    Namespace ns = delegate.createTable(tableId, tableName);
    StateSink s = sink;
    if (s != null) {
      String hex = HexFormat.of().formatHex(tableId);
      FreshTree t = new FreshTree(this, tableId, hex, tableName);
      synchronized (s) {
        RecordBatch b = RecordBatch.createSynced();
        deleteNodes(delegate, b, RecordKeys.freshPrefix(tableId)); // none, unless the id was reused
        b.freshnessAdded = true;
        Map<String, byte[]> roots = new HashMap<>();
        roots.put(hex, new byte[0]);
        s.commitFreshness(b, roots, null);
        t.cover(null);
      }
      trees.put(hex, t); // outside the state's monitor: see tree()
    }
    return ns;
  }

  @Override
  public void dropTable(byte[] tableId) {
    delegate.dropTable(tableId);
    StateSink s = sink;
    if (s == null) {
      return;
    }
    String hex = HexFormat.of().formatHex(tableId);
    FreshTree t = trees.remove(hex);
    if (t != null) {
      cache.removeTable(t);
    }
    synchronized (s) {
      if (!s.freshnessRoots().containsKey(hex)) {
        return;
      }
      RecordBatch b = RecordBatch.createSynced();
      deleteNodes(delegate, b, RecordKeys.freshPrefix(tableId));
      b.freshnessAdded = true;
      Map<String, byte[]> roots = new HashMap<>();
      roots.put(hex, null);
      s.commitFreshness(b, roots, null);
    }
  }

  @Override
  public List<String> recoveryNotes() {
    return delegate.recoveryNotes();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public Namespace storeNamespace() {
    return delegate.storeNamespace();
  }

  @Override
  public List<byte[]> tableIds() {
    return delegate.tableIds();
  }

  @Override
  public long writeSequence() {
    return delegate.writeSequence();
  }

  @Override
  public RecordCursor cursor(Namespace ns, boolean verifying) {
    return delegate.cursor(ns, verifying);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public void compact(Namespace ns) {
    delegate.compact(ns);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
