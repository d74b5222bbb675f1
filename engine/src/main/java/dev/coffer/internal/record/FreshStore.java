// Over 400 lines: every RecordStore method is here (most delegate), with the one commit path that
// keeps the maps and the state with the records (and its variant for the store-key renewal), the
// open-time building and forgetting of maps, and the ClientRequestToken records' map beside the
// tables'.
package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>The store's ClientRequestToken records ({@link TokenRecords}) have a map of their own, kept
 * the same way under the id {@link #TOKEN_MAP_ID} and keyed by token digest: a look-up of a token
 * is checked against it, and every batch that writes or deletes a token record changes it. It is
 * built from the records as found at an open with freshness whose state has no root for it, by a
 * session that moves the rollback anchor (a look-only one leaves them unchecked instead).
 *
 * <p>Writes serialize on the state ({@link StateSink}, one monitor for the store) and on the tables
 * they change ({@link FreshTree#lock}, taken in table-id order); reads take no lock unless what
 * they find does not match. Lock order: {@link #commit} takes the maps' locks, then the state's
 * monitor. The renewal of the store key is the one path that takes them the other way round: {@code
 * SealedState.renew} holds the state's monitor while it calls {@link #stageRenewal} and commits the
 * batch (whose install takes the maps' locks again). That cannot deadlock only because the renewal
 * runs under the store's exclusive lifecycle lock, while every other writer and reader of the maps
 * (operations, background folds, the token sweep, verify) runs under the shared one, so none holds
 * a map lock meanwhile. A caller of {@link #stageRenewal} or a writer outside the lifecycle lock
 * would break this. Cursors are not checked record by record (a scan finds partitions through one
 * and reads them with point reads, which are); a scan page then checks that it met every partition
 * the map lists in the token range it covered ({@link #checkPartitionsMet}), so a partition removed
 * whole is not passed over; {@link #checkRead} checks a record a cursor returned where the caller
 * holds the partition's lock (re-encryption).
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

  /**
   * The id the map of the store's ClientRequestToken records is kept under, as a table's map is
   * under its table id: its nodes' keys ({@link RecordKeys#freshNode}) and its root in the state
   * ({@link StateSink#freshnessRoots}, under this id in hex). Sixteen 0xFF bytes; no table takes it
   * ({@link #tableIdUsable}).
   */
  static final byte[] TOKEN_MAP_ID = tokenMapId();

  private static byte[] tokenMapId() {
    byte[] id = new byte[16];
    Arrays.fill(id, (byte) 0xFF);
    return id;
  }

  static final String TOKEN_MAP_HEX = HexFormat.of().formatHex(TOKEN_MAP_ID);

  private final RecordStore delegate;
  private final Map<String, FreshTree> trees = new ConcurrentHashMap<>();

  /** The map of the store's ClientRequestToken records (covered at {@link #bind} or at open). */
  private final FreshTree tokens = FreshTree.forTokens(this, TOKEN_MAP_ID, TOKEN_MAP_HEX);

  final FreshCache cache;
  final Counters counters = new Counters();
  private volatile StateSink sink;

  /** The store's counts of checks (for stats and tests). */
  static final class Counters {
    final AtomicLong checks = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    /** Scan pages checked against a map ({@link FreshTree#checkMet}), clean or not. */
    final AtomicLong pageChecks = new AtomicLong();

    /**
     * Of those, the ones that found a listed partition not met without the lock and looked again
     * under it (a partition written behind the walk, or removed whole, or a batch not yet
     * installed).
     */
    final AtomicLong lockedPageChecks = new AtomicLong();

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
    ByteString root = sink.freshnessRoots().get(TOKEN_MAP_HEX);
    if (root != null) {
      tokens.cover(root.isEmpty() ? null : root.toByteArray());
    }
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
   * <p>The map of the store's ClientRequestToken records is built as found when the state names no
   * root for it and {@code tokensAsFound}; a session that only looks passes false, and its token
   * look-ups are then not checked ({@link #tokensChecked}): a map built as found would vouch for
   * whatever token records a copy holds, written without moving the rollback anchor.
   *
   * @throws CorruptionException when the state says freshness is on and a table with records has no
   *     root
   */
  public void coverAll(boolean tokensAsFound) {
    StateSink s = sink;
    boolean wasOn = s.freshnessEnabled();
    Map<String, byte[]> gone = new HashMap<>();
    for (String hex : s.freshnessRoots().keySet()) {
      if (!hex.equals(TOKEN_MAP_HEX)
          && delegate.table(HexFormat.of().parseHex(hex), null) == null) {
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
      buildAsFound(t, delegate.cursor(ns, false), s);
      LOG.info(
          "Freshness map of table {} built from its records as found ({} ms)",
          t.tableName,
          (System.nanoTime() - started) / 1_000_000);
    }
    if (!tokens.covered() && tokensAsFound) {
      coverTokens(s);
    }
    if (!wasOn) {
      synchronized (s) {
        s.commitFreshness(RecordBatch.createSynced(), Map.of(), true);
      }
    }
  }

  /**
   * Builds the map of the store's ClientRequestToken records from the records as found, and records
   * its root: at an open with freshness whose state names no root for it (the first open with
   * freshness, or the first of a store whose state an earlier build wrote, which kept token records
   * in no map). Nodes left under its id by an earlier map are deleted first.
   */
  private void coverTokens(StateSink s) {
    RecordBatch clear = RecordBatch.createSynced();
    deleteNodes(delegate, clear, RecordKeys.freshPrefix(TOKEN_MAP_ID));
    clear.freshnessAdded = true;
    delegate.commit(clear);
    buildAsFound(tokens, new TokenCursor(delegate.cursor(delegate.storeNamespace(), false)), s);
    LOG.info("Freshness map of the store's ClientRequestToken records built as found");
  }

  /**
   * Builds map {@code t} from the records {@code records} walks (closed here), committing its nodes
   * as it goes, then records its root in the state with the last nodes in one synced batch and
   * covers {@code t}.
   */
  private void buildAsFound(FreshTree t, RecordCursor records, StateSink s) {
    RecordBatch last;
    try (RecordCursor c = records) {
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
  }

  /**
   * The store's ClientRequestToken records through {@code c} (the store's namespace), each keyed by
   * its token digest: the keys a token map holds. Keys under the prefix of another shape (which no
   * look-up reaches) are passed over.
   */
  private static final class TokenCursor implements RecordCursor {
    private final RecordCursor c;

    TokenCursor(RecordCursor c) {
      this.c = c;
    }

    @Override
    public void seekToFirst() {
      seek(RecordKeys.TOKEN_PREFIX);
    }

    @Override
    public void seek(byte[] key) {
      c.seek(key);
      skip();
    }

    private void skip() {
      while (c.valid()
          && RecordKeys.startsWith(c.key(), RecordKeys.TOKEN_PREFIX)
          && RecordKeys.tokenDigestAfter(c.key()) == null) {
        c.next();
      }
    }

    @Override
    public boolean valid() {
      return c.valid() && RecordKeys.startsWith(c.key(), RecordKeys.TOKEN_PREFIX);
    }

    @Override
    public void next() {
      c.next();
      skip();
    }

    @Override
    public byte[] key() {
      return RecordKeys.tokenDigestAfter(c.key());
    }

    @Override
    public byte[] value() {
      return c.value();
    }

    @Override
    public void close() {
      c.close();
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

  /** Whether look-ups of the store's ClientRequestToken records are checked against their map. */
  public boolean tokensChecked() {
    return tokens.covered();
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
    checkRead(ns, key, value);
    return value;
  }

  /** The map of the store's ClientRequestToken records when it covers {@code key}'s record. */
  private FreshTree tokensOf(Namespace ns, byte[] key) {
    return ns.tableId() == null && tokens.covered() && RecordKeys.tokenDigestAfter(key) != null
        ? tokens
        : null;
  }

  @Override
  public List<FreshMismatch> verifyFreshness(Namespace ns) {
    FreshTree t = tree(ns);
    if (t == null || !t.covered()) {
      return List.of();
    }
    return t.verify(() -> delegate.cursor(ns, false));
  }

  /**
   * Compares the map of the store's ClientRequestToken records with the records, as {@link
   * #verifyFreshness} does a table's, holding the map's lock (token writes wait): each difference,
   * located {@code ClientRequestToken record <digest hex>} or at the map node. Empty when the map
   * does not cover them (freshness off, or a look-only session of a state that names no root for
   * it).
   */
  public List<FreshMismatch> verifyTokens() {
    if (!tokens.covered()) {
      return List.of();
    }
    return tokens.verify(() -> new TokenCursor(delegate.cursor(delegate.storeNamespace(), false)));
  }

  @Override
  public void checkRead(Namespace ns, byte[] key, byte[] value) {
    FreshTree t = tree(ns);
    if (t != null) {
      t.check(key, value);
      return;
    }
    FreshTree k = tokensOf(ns, key);
    if (k != null) {
      k.check(RecordKeys.tokenDigestAfter(key), value);
    }
  }

  @Override
  public boolean tableIdUsable(byte[] tableId) {
    return !Arrays.equals(tableId, TOKEN_MAP_ID) && delegate.tableIdUsable(tableId);
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

  /** Whether a write of {@code key} bypasses the maps: no state bound, or a key no map holds. */
  private boolean unmapped(Namespace ns, byte[] key) {
    return sink == null || (ns.tableId() == null && tokensOf(ns, key) == null);
  }

  @Override
  public void put(Namespace ns, byte[] key, byte[] value) {
    if (unmapped(ns, key)) {
      delegate.put(ns, key, value);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.put(ns, key, value);
    commit(b);
  }

  @Override
  public void append(Namespace ns, byte[] key, byte[] value) {
    if (unmapped(ns, key)) {
      delegate.append(ns, key, value);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.append(ns, key, value);
    commit(b);
  }

  @Override
  public void delete(Namespace ns, byte[] key) {
    if (unmapped(ns, key)) {
      delegate.delete(ns, key);
      return;
    }
    RecordBatch b = RecordBatch.create();
    b.delete(ns, key);
    commit(b);
  }

  /** The map an operation's record is in, or null. */
  private FreshTree treeOf(RecordBatch.Operation op) {
    FreshTree t = tree(op.namespace());
    if (t != null && !t.covered()) {
      throw new IllegalStateException(
          "a write to table " + t.tableName + " before its freshness map was built");
    }
    return t != null ? t : tokensOf(op.namespace(), op.key());
  }

  /** The maps {@code batch} changes, by id in hex (the order their locks are taken in). */
  private TreeMap<String, FreshTree> touched(RecordBatch batch) {
    TreeMap<String, FreshTree> touched = new TreeMap<>();
    for (RecordBatch.Operation op : batch.operations()) {
      FreshTree t = treeOf(op);
      if (t != null) {
        touched.put(t.tableHex, t);
      }
    }
    return touched;
  }

  /**
   * Applies {@code batch}'s operations to the maps {@code touched}, adds their changed nodes to it
   * and returns the changes (by id in hex), not yet installed. Holding the maps' locks.
   */
  private Map<String, FreshTree.Change> changes(
      RecordBatch batch, TreeMap<String, FreshTree> touched) {
    Map<String, FreshTree.Change> changes = new LinkedHashMap<>();
    for (FreshTree t : touched.values()) {
      changes.put(t.tableHex, t.new Change());
    }
    for (RecordBatch.Operation op : new ArrayList<>(batch.operations())) {
      FreshTree t = treeOf(op);
      if (t != null) {
        changes.get(t.tableHex).apply(op);
      }
    }
    return changes;
  }

  @Override
  public void commit(RecordBatch batch) {
    StateSink s = sink;
    if (batch.freshnessAdded || s == null) {
      delegate.commit(batch);
      if (batch.afterCommit != null) {
        batch.afterCommit.run();
      }
      return;
    }
    TreeMap<String, FreshTree> touched = touched(batch);
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
        Map<String, FreshTree.Change> changes = changes(batch, touched);
        Map<String, byte[]> roots = new HashMap<>();
        changes.forEach((hex, c) -> roots.put(hex, c.write(batch, delegate.storeNamespace())));
        batch.freshnessAdded = true;
        s.commitFreshness(batch, roots, null);
        changes.values().forEach(FreshTree.Change::install);
      }
    } finally {
      unlock(locked);
    }
  }

  private static void unlock(List<FreshTree> locked) {
    for (int i = locked.size() - 1; i >= 0; i--) {
      locked.get(i).lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Takes the locks of the maps the batch touches (the token map's) while the caller holds the
   * state's monitor ({@code SealedState.renew}), against {@link #commit}'s order (maps, then
   * state): safe only because the caller also holds the store's exclusive lifecycle lock (class
   * javadoc).
   */
  @Override
  public Map<String, byte[]> stageRenewal(RecordBatch batch) {
    if (sink == null || batch.freshnessAdded) {
      return Map.of();
    }
    TreeMap<String, FreshTree> touched = touched(batch);
    if (!touched.containsKey(TOKEN_MAP_HEX) && tokens.covered()) {
      touched.put(TOKEN_MAP_HEX, tokens); // no token record: the map must list none either
    }
    List<FreshTree> locked = new ArrayList<>();
    try {
      for (FreshTree t : touched.values()) {
        t.lock.lock();
        locked.add(t);
      }
      if (tokens.covered()) {
        Set<FreshTree.Key> deleted = new HashSet<>();
        for (RecordBatch.Operation op : batch.operations()) {
          if (tokensOf(op.namespace(), op.key()) != null && op.kind() == RecordBatch.Kind.DELETE) {
            deleted.add(new FreshTree.Key(RecordKeys.tokenDigestAfter(op.key())));
          }
        }
        for (byte[] listed : tokens.listedKeys()) {
          if (!deleted.contains(new FreshTree.Key(listed))) {
            tokens.check(listed, null); // a record the renewal did not meet: it is missing
          }
        }
      }
      Map<String, FreshTree.Change> changes = changes(batch, touched);
      Map<String, byte[]> roots = new HashMap<>();
      changes.forEach((hex, c) -> roots.put(hex, c.write(batch, delegate.storeNamespace())));
      batch.freshnessAdded = true;
      batch.afterCommit = () -> installUnder(changes, touched.values());
      return roots;
    } finally {
      unlock(locked);
    }
  }

  /** Installs {@code changes} under the locks of {@code maps}. */
  private static void installUnder(
      Map<String, FreshTree.Change> changes, Iterable<FreshTree> maps) {
    List<FreshTree> locked = new ArrayList<>();
    try {
      for (FreshTree t : maps) {
        t.lock.lock();
        locked.add(t);
      }
      changes.values().forEach(FreshTree.Change::install);
    } finally {
      unlock(locked);
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
