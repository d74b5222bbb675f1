package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.AssociatedData.Kind;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;

/**
 * The records of one table: its B+tree nodes, each stored under {@code token || nodeId} as a
 * {@code StoredNode} (the sealed page, then the leaf's sealed delta records). Reads open and
 * decode nodes; writes encode and seal them under the table's primary data-key version and store
 * them; the re-encryption job and {@code verify} walk them. Callers say which partition and node,
 * never which key, associated data or bytes: those are decided in this package ({@link
 * RecordKeys}, {@link AssociatedData}, {@link RecordFormat}, {@link NonceSource}).
 *
 * <p><b>Errors.</b> A record that does not authenticate or parse, a missing or unknown key version,
 * delta records where none may be, all fail with {@link CorruptionException} naming the table and
 * the record ({@code partition <token hex> node <id>[ delta <seq>]}); a spent seal budget with
 * {@link StorageException}; backend failures as {@link RecordStore} says.
 *
 * <p>Thread-safe. The caller holds the partition's lock around reads and writes of a partition.
 */
public final class TableRecords {
  private final RecordStore store;
  private final RecordStore.Namespace ns;
  private final byte[] storeId;
  private final byte[] tableId;
  private final String table;
  private final TableKeys keys;
  private final boolean deltasAllowed;

  /**
   * The records of table {@code tableName} in namespace {@code ns}.
   *
   * @param deltasAllowed whether leaves may carry delta records (tables with a sort key)
   */
  public TableRecords(RecordStore store, RecordStore.Namespace ns, byte[] storeId, byte[] tableId, String tableName,
      TableKeys keys, boolean deltasAllowed) {
    this.store = store;
    this.ns = ns;
    this.storeId = storeId.clone();
    this.tableId = tableId.clone();
    this.table = tableName;
    this.keys = keys;
    this.deltasAllowed = deltasAllowed;
  }

  /** Where node {@code nodeId} of partition {@code token} is, in messages: {@code partition <hex> node <id>}. */
  public static String location(byte[] token, long nodeId) {
    return RecordKeys.describeNode(token, nodeId);
  }

  /** The table's name. */
  public String tableName() {
    return table;
  }

  // ------------------------------------------------------------------------------------ reading

  /**
   * Reads node {@code nodeId} of partition {@code token}: one point read returns its page and
   * delta records, opened here (delta record i as sequence number {@code delta_seq_base + i}, so a
   * record removed, reordered or replayed from an earlier fold fails its tag).
   *
   * @return the node as {@code factory} builds it, or null when the partition has no such node
   */
  public <N> N readNode(byte[] token, long nodeId, NodeFactory<N> factory) {
    byte[] value = store.get(ns, RecordKeys.node(token, nodeId));
    return value == null ? null : openNode(token, nodeId, value, factory);
  }

  private <N> N openNode(byte[] token, long nodeId, byte[] value, NodeFactory<N> factory) {
    int[] spans = spans(value, token, nodeId);
    RecordFormat.DecodedPage page = openPage(token, nodeId, value, spans[0], spans[1]);
    int deltaCount = spans.length / 2 - 1;
    List<DeltaChange> deltas = List.of();
    if (deltaCount > 0) {
      if (!page.leaf || !deltasAllowed) {
        throw corrupt("Delta records are appended to a node that never has any", token, nodeId);
      }
      deltas = new ArrayList<>(deltaCount);
      for (int i = 0; i < deltaCount; i++) {
        deltas.add(openDelta(token, nodeId, page.deltaSeqBase + i, value, spans[2 + 2 * i], spans[3 + 2 * i]));
      }
    }
    try {
      return page.leaf
          ? factory.leaf(page.entries, page.nextNodeId, page.height, page.deltaSeqBase, deltas)
          : factory.inner(page.separators, page.children, page.nextNodeId, page.height, page.deltaSeqBase);
    } catch (IllegalArgumentException e) {
      throw new CorruptionException("A page body is malformed", table, RecordKeys.describeNode(token, nodeId), e);
    }
  }

  private int[] spans(byte[] value, byte[] token, long nodeId) {
    try {
      return RecordFormat.records(value);
    } catch (IOException e) {
      throw corrupt("A stored node is malformed (" + e.getMessage() + ")", token, nodeId);
    }
  }

  private RecordFormat.DecodedPage openPage(byte[] token, long nodeId, byte[] value, int offset, int length) {
    byte[] plain = open(Kind.PAGE, token, nodeId, 0, value, offset, length);
    try {
      RecordFormat.DecodedPage page = RecordFormat.decodePage(plain);
      if (page == null) {
        throw corrupt("A page has an unknown body format", token, nodeId);
      }
      return page;
    } catch (IOException e) {
      throw new CorruptionException("A page body is malformed", table, RecordKeys.describeNode(token, nodeId), e);
    }
  }

  private DeltaChange openDelta(byte[] token, long nodeId, long seq, byte[] value, int offset, int length) {
    byte[] plain = open(Kind.DELTA, token, nodeId, seq, value, offset, length);
    try {
      DeltaChange d = RecordFormat.decodeDelta(plain);
      if (d == null) {
        throw new CorruptionException("A delta record has an unknown format", table,
            RecordKeys.describeDelta(token, nodeId, seq));
      }
      return d;
    } catch (IOException e) {
      throw new CorruptionException("A delta record is malformed", table, RecordKeys.describeDelta(token, nodeId, seq),
          e);
    }
  }

  /** Opens one sealed record of a node: the envelope at {@code value[offset, offset + length)}. */
  private byte[] open(Kind kind, byte[] token, long nodeId, long seq, byte[] value, int offset, int length) {
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(value, offset, length);
    if (env == null) {
      throw corrupt(kind, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, seq, null);
    }
    if (env.formatVersion != RecordFormat.ENVELOPE_VERSION) {
      throw corrupt(kind, RecordErrors.unknownEnvelope(env.formatVersion), token, nodeId, seq, null);
    }
    AeadKey key = keys.pageKey(env.keyVersion);
    if (key == null) {
      throw corrupt(kind, RecordErrors.unknownKeyVersion(env.keyVersion), token, nodeId, seq, null);
    }
    try {
      return PageCipher.open(env, key,
          AssociatedData.of(kind, env.keyVersion, storeId, tableId, token, nodeId, seq));
    } catch (AEADBadTagException e) {
      throw corrupt(kind, RecordErrors.FAILED_AUTHENTICATION, token, nodeId, seq, null);
    } catch (GeneralSecurityException e) {
      throw corrupt(kind, RecordErrors.undecryptable(e), token, nodeId, seq, e);
    }
  }

  private CorruptionException corrupt(String message, byte[] token, long nodeId) {
    return new CorruptionException(message, table, RecordKeys.describeNode(token, nodeId));
  }

  private CorruptionException corrupt(Kind kind, String message, byte[] token, long nodeId, long seq, Exception e) {
    String where = kind == Kind.DELTA ? RecordKeys.describeDelta(token, nodeId, seq)
        : RecordKeys.describeNode(token, nodeId);
    return new CorruptionException(message, table, where, e);
  }

  // ------------------------------------------------------------------------------------ writing

  /**
   * Counts one seal under the primary data-key version.
   *
   * @return the version to seal with
   * @throws StorageException when the version's nonce budget is spent
   */
  private int countSeal() {
    int version = keys.primaryVersion();
    SealBudget budget = keys.budget(version);
    try {
      budget.countOne();
    } catch (IllegalStateException e) {
      throw new StorageException("Data key version " + version + " of table " + table + " has sealed "
          + budget.count() + " records, the most random 96-bit nonces allow; the data key must be rotated");
    }
    return version;
  }

  /** A stored node value holding one record: {@code plaintext} sealed as {@code kind} at its place. */
  private byte[] sealOne(Kind kind, byte[] token, long nodeId, long seq, byte[] plaintext) {
    int version = countSeal();
    int sealed = PageCipher.sealedLength(version, plaintext.length);
    byte[] out = new byte[RecordFormat.recordPrefixLength(sealed) + sealed];
    int at = RecordFormat.writeRecordPrefix(out, 0, sealed);
    PageCipher.sealInto(out, at, keys.pageKey(version), version,
        AssociatedData.of(kind, version, storeId, tableId, token, nodeId, seq), plaintext);
    return out;
  }

  /** Writes {@code page} as node {@code nodeId} of partition {@code token}, on its own (no delta records). */
  public void putNode(byte[] token, long nodeId, PageContent page) {
    byte[] value = sealOne(Kind.PAGE, token, nodeId, 0, RecordFormat.encodePage(page));
    store.put(ns, RecordKeys.node(token, nodeId), value);
  }

  /** Appends delta record {@code seq} of leaf {@code leafId}: a put of {@code entry}. */
  public void appendPut(byte[] token, long leafId, long seq, Entry entry) {
    byte[] value = sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaPut(entry));
    store.append(ns, RecordKeys.node(token, leafId), value);
  }

  /** Appends delta record {@code seq} of leaf {@code leafId}: the deletion of {@code sortKey}. */
  public void appendDelete(byte[] token, long leafId, long seq, ByteString sortKey) {
    byte[] value = sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaDelete(sortKey));
    store.append(ns, RecordKeys.node(token, leafId), value);
  }

  /** A change to one partition, committed as one atomic batch: node writes and deletions. */
  public NodeWrites writes(byte[] token) {
    return new NodeWrites(token);
  }

  /** The node writes and deletions of one change to a partition. Not thread-safe. */
  public final class NodeWrites {
    private final byte[] token;
    private final RecordBatch batch = RecordBatch.create();

    private NodeWrites(byte[] token) {
      this.token = token;
    }

    /** Writes {@code page} as node {@code nodeId}; the node's delta records go with its old value. */
    public NodeWrites put(long nodeId, PageContent page) {
      batch.put(ns, RecordKeys.node(token, nodeId),
          sealOne(Kind.PAGE, token, nodeId, 0, RecordFormat.encodePage(page)));
      return this;
    }

    /** Deletes node {@code nodeId}. */
    public NodeWrites delete(long nodeId) {
      batch.delete(ns, RecordKeys.node(token, nodeId));
      return this;
    }

    /** Applies every write, or none. */
    public void commit() {
      store.commit(batch);
    }
  }

  // ---------------------------------------------------------------------------------- iteration

  /** A cursor over the table's partition tokens in order; the caller closes it. */
  public PartitionCursor partitions() {
    return new PartitionCursor(store.cursor(ns, false));
  }

  /** Finds partitions in token order. Not thread-safe. */
  public static final class PartitionCursor implements AutoCloseable {
    private final RecordCursor cursor;

    private PartitionCursor(RecordCursor cursor) {
      this.cursor = cursor;
    }

    /** The first partition token at or after {@code from} and below {@code below} (null: no bound), or null. */
    public byte[] atOrAfter(byte[] from, byte[] below) {
      cursor.seek(RecordKeys.partitionStart(from));
      return current(below);
    }

    /** The first partition token after {@code token} and below {@code below} (null: no bound), or null. */
    public byte[] after(byte[] token, byte[] below) {
      cursor.seek(RecordKeys.afterPartition(token));
      return current(below);
    }

    private byte[] current(byte[] below) {
      if (!cursor.valid()) {
        return null;
      }
      byte[] token = RecordKeys.token(cursor.key());
      return below != null && Arrays.compareUnsigned(token, below) >= 0 ? null : token;
    }

    @Override
    public void close() {
      cursor.close();
    }
  }

  // ------------------------------------------------------------------------------ re-encryption

  /**
   * The tokens of the next {@code max} partitions after {@code cursor} (from the first when null),
   * in order; empty at the end.
   */
  public List<byte[]> partitionsAfter(byte[] cursor, int max) {
    List<byte[]> tokens = new ArrayList<>();
    try (PartitionCursor c = partitions()) {
      byte[] t = cursor == null ? c.atOrAfter(new byte[RecordKeys.TOKEN_BYTES], null) : c.after(cursor, null);
      while (t != null && tokens.size() < max) {
        tokens.add(t);
        t = c.after(t, null);
      }
    }
    return tokens;
  }

  /** What {@link #reseal} did: records looked at, records re-sealed, their sealed bytes. */
  public record ResealCounts(long visited, long resealed, long bytes) {}

  /**
   * Re-seals, under the primary data-key version, every record of the partitions {@code tokens}
   * (ascending) that another version sealed: pages and delta records alike, their plaintext as it
   * is. The caller holds the write locks of these partitions, so the records read are the current
   * ones. Writes a batch after every {@code batchRecords} re-sealed records and after the last,
   * and runs {@code afterBatch} after each (the caller's commit point).
   */
  public ResealCounts reseal(List<byte[]> tokens, int batchRecords, Runnable afterBatch) {
    long visited = 0;
    long resealed = 0;
    long bytes = 0;
    RecordBatch batch = RecordBatch.create();
    int inBatch = 0;
    try (RecordCursor c = store.cursor(ns, false)) {
      for (byte[] token : tokens) {
        for (c.seek(RecordKeys.partitionStart(token)); c.valid(); c.next()) {
          byte[] key = c.key();
          if (!RecordKeys.inPartition(key, token)) {
            break;
          }
          if (!RecordKeys.isNodeKey(key)) {
            throw new CorruptionException("A record key has the wrong length", table, RecordKeys.describeTableKey(key));
          }
          byte[] value = c.value();
          long nodeId = RecordKeys.nodeId(key);
          int[] spans = spans(value, token, nodeId);
          visited += spans.length / 2;
          Resealed r = resealNode(token, nodeId, value, spans);
          if (r != null) {
            batch.put(ns, key, r.value); // replaces the value, appended records included
            resealed += r.records;
            bytes += r.bytes;
            inBatch += r.records;
          }
          if (inBatch >= batchRecords) {
            store.commit(batch);
            afterBatch.run();
            batch = RecordBatch.create();
            inBatch = 0;
          }
        }
      }
    }
    if (!batch.isEmpty()) {
      store.commit(batch);
      afterBatch.run();
    }
    return new ResealCounts(visited, resealed, bytes);
  }

  private record Resealed(byte[] value, int records, long bytes) {}

  /** The node's value with every record not under the primary version re-sealed, or null when all are. */
  private Resealed resealNode(byte[] token, long nodeId, byte[] value, int[] spans) {
    int primary = keys.primaryVersion();
    int n = spans.length / 2;
    RecordFormat.Envelope[] envs = new RecordFormat.Envelope[n];
    boolean allOnPrimary = true;
    for (int i = 0; i < n; i++) {
      envs[i] = RecordFormat.parseEnvelope(value, spans[2 * i], spans[2 * i + 1]);
      if (envs[i] == null) {
        throw corrupt(i == 0 ? Kind.PAGE : Kind.DELTA, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, 0, null);
      }
      allOnPrimary &= envs[i].keyVersion == primary;
    }
    if (allOnPrimary) {
      return null;
    }
    // The page is opened even when only its delta records move: their numbers start at its base.
    byte[] page = open(Kind.PAGE, token, nodeId, 0, value, spans[0], spans[1]);
    try {
      long base;
      try {
        base = n == 1 ? 0 : RecordFormat.deltaSeqBase(page);
      } catch (IOException e) {
        throw new CorruptionException("A page body is malformed", table, RecordKeys.describeNode(token, nodeId), e);
      }
      List<byte[]> records = new ArrayList<>(n);
      int count = 0;
      long bytes = 0;
      for (int i = 0; i < n; i++) {
        if (envs[i].keyVersion == primary) {
          records.add(Arrays.copyOfRange(value, spans[2 * i], spans[2 * i] + spans[2 * i + 1]));
          continue;
        }
        Kind kind = i == 0 ? Kind.PAGE : Kind.DELTA;
        long seq = i == 0 ? 0 : base + i - 1;
        byte[] plain = i == 0 ? page : open(kind, token, nodeId, seq, value, spans[2 * i], spans[2 * i + 1]);
        try {
          int v = countSeal();
          records.add(PageCipher.seal(keys.pageKey(v), v,
              AssociatedData.of(kind, v, storeId, tableId, token, nodeId, seq), plain));
        } finally {
          if (plain != page) {
            Arrays.fill(plain, (byte) 0);
          }
        }
        count++;
        bytes += spans[2 * i + 1];
      }
      return new Resealed(RecordFormat.storedNode(records), count, bytes);
    } finally {
      Arrays.fill(page, (byte) 0);
    }
  }

  /**
   * The number of records of the table sealed under each data-key version; records that are not
   * well-formed envelopes count under version -1.
   */
  public TreeMap<Integer, Long> versionCounts() {
    TreeMap<Integer, Long> counts = new TreeMap<>();
    try (RecordCursor c = store.cursor(ns, false)) {
      for (c.seekToFirst(); c.valid(); c.next()) {
        byte[] value = c.value();
        int[] spans;
        try {
          spans = RecordFormat.records(value);
        } catch (IOException e) {
          counts.merge(-1, 1L, Long::sum);
          continue;
        }
        for (int i = 0; i < spans.length; i += 2) {
          RecordFormat.Envelope env = RecordFormat.parseEnvelope(value, spans[i], spans[i + 1]);
          counts.merge(env == null ? -1 : env.keyVersion, 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  /** The number of records (pages and delta records) of the table. */
  public long recordCount() {
    long n = 0;
    try (RecordCursor c = store.cursor(ns, false)) {
      for (c.seekToFirst(); c.valid(); c.next()) {
        try {
          n += RecordFormat.records(c.value()).length / 2;
        } catch (IOException e) {
          n++; // re-sealing it will report the corruption
        }
      }
    }
    return n;
  }

  // ------------------------------------------------------------------------------ verification

  /** What {@link #walk} meets, in key order. Implementations do not throw. */
  public interface Walker {
    /** One stored record of the table: a node, or a key of another shape. */
    void record(StoredRecord record);

    /**
     * Records the backend could not read (a damaged block): every partition from {@code
     * firstToken} to {@code lastToken} (inclusive) may have lost some of its nodes.
     */
    void unreadable(byte[] firstToken, byte[] lastToken, CorruptionException cause);
  }

  /** One stored record as {@link #walk} found it, not opened yet. */
  public final class StoredRecord {
    private final byte[] key;
    private final byte[] value;

    private StoredRecord(byte[] key, byte[] value) {
      this.key = key;
      this.value = value;
    }

    /** Whether the key has the shape of a node key (else it is a stray record). */
    public boolean isNode() {
      return RecordKeys.isNodeKey(key);
    }

    /** The partition token (the key's first 16 bytes, or all of a shorter key). */
    public byte[] token() {
      return RecordKeys.token(key);
    }

    /** The node id; only for {@linkplain #isNode() node} records. */
    public long nodeId() {
      return RecordKeys.nodeId(key);
    }

    /** Where the record is, for messages. */
    public String location() {
      return RecordKeys.describeTableKey(key);
    }

    /**
     * Opens the node, as {@link #readNode} does.
     *
     * @throws CorruptionException when any of its records does not authenticate or parse
     */
    public <N> N open(NodeFactory<N> factory) {
      return openNode(token(), nodeId(), value, factory);
    }
  }

  /**
   * Walks every record of the table in key order, reading with verified checksums and without
   * filling caches, for {@code verify}. Where the backend finds damaged data (a RocksDB block whose
   * checksum fails), the walk narrows the damage down: it searches for the first key after the
   * last record read from which reading works again, reports the keys in between as unreadable
   * ({@link Walker#unreadable}, as a range of partition tokens) and goes on from there. (Between
   * two damaged blocks close together, the range reported may cover readable records too.)
   */
  public void walk(Walker walker) {
    byte[] from = null;
    while (true) {
      byte[] last = null;
      CorruptionException damage = null;
      try (RecordCursor c = store.cursor(ns, true)) {
        try {
          if (from == null) {
            c.seekToFirst();
          } else {
            c.seek(from);
          }
        } catch (CorruptionException e) {
          damage = e;
        }
        while (damage == null && c.valid()) {
          last = c.key();
          walker.record(new StoredRecord(last, c.value()));
          try {
            c.next();
          } catch (CorruptionException e) {
            damage = e;
          }
        }
      }
      if (damage == null) {
        return;
      }
      BigInteger start = from == null ? BigInteger.ZERO : keyValue(from);
      BigInteger lo = last != null ? keyValue(last).add(BigInteger.ONE) : start;
      BigInteger resume = firstReadable(lo);
      if (resume != null && resume.compareTo(start) <= 0) {
        resume = start.add(BigInteger.ONE); // reading failed where a probe succeeded: move on regardless
      }
      byte[] lastBad = keyBytes((resume == null ? MAX_KEY.add(BigInteger.ONE) : resume).subtract(BigInteger.ONE));
      walker.unreadable(RecordKeys.token(keyBytes(lo)), RecordKeys.token(lastBad), damage);
      if (resume == null || resume.compareTo(MAX_KEY) > 0) {
        return;
      }
      from = keyBytes(resume);
    }
  }

  /** Keys as numbers for the search: a key padded with zeros to this many bytes, big-endian. */
  private static final int KEY_WIDTH = RecordKeys.NODE_KEY_BYTES + 1;
  private static final BigInteger MAX_KEY = BigInteger.ONE.shiftLeft(8 * KEY_WIDTH).subtract(BigInteger.ONE);

  private static BigInteger keyValue(byte[] key) {
    return new BigInteger(1, Arrays.copyOf(key, KEY_WIDTH));
  }

  private static byte[] keyBytes(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] key = new byte[KEY_WIDTH];
    int n = Math.min(raw.length, KEY_WIDTH);
    System.arraycopy(raw, raw.length - n, key, KEY_WIDTH - n, n);
    return key;
  }

  /** The smallest key at or after {@code lo} from which the backend reads again, or null. */
  private BigInteger firstReadable(BigInteger lo) {
    if (!readableFrom(MAX_KEY)) {
      return null;
    }
    BigInteger hi = MAX_KEY;
    while (lo.compareTo(hi) < 0) {
      BigInteger mid = lo.add(hi).shiftRight(1);
      if (readableFrom(mid)) {
        hi = mid;
      } else {
        lo = mid.add(BigInteger.ONE);
      }
    }
    return hi;
  }

  private boolean readableFrom(BigInteger key) {
    try (RecordCursor c = store.cursor(ns, true)) {
      c.seek(keyBytes(key));
      return true;
    } catch (CorruptionException e) {
      return false;
    }
  }

  /** Compacts the table's namespace (after a data-key version was destroyed). */
  public void compact() {
    store.compact(ns);
  }
}
