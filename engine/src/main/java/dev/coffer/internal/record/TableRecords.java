package dev.coffer.internal.record;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.StorageException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.internal.record.AssociatedData.Kind;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;

/**
 * The records of one table: its B+tree nodes, each stored under {@code token || nodeId} as a {@code
 * StoredNode} (the sealed page, then the leaf's sealed delta records). Reads open and decode nodes;
 * writes encode and seal them under the table's primary data-key version and store them; the
 * re-encryption job and {@code verify} walk them. Callers say which partition and node, never which
 * key, associated data or bytes: those are decided in this package ({@link RecordKeys}, {@link
 * AssociatedData}, {@link RecordFormat}, {@link NonceSource}).
 *
 * <p><b>Errors.</b> A record that does not authenticate or parse, a missing or unknown key version,
 * delta records where none may be, all fail with {@link CorruptionException} naming the table and
 * the record ({@code partition <token hex> node <id>[ delta <seq>]}); backend failures with {@link
 * StorageException}, as {@link RecordStore} says. Seals are counted, never refused ({@link
 * SealBudget}).
 *
 * <p>Thread-safe. The caller holds the partition's lock around reads and writes of a partition.
 */
public final class TableRecords {
  final RecordStore store;
  final RecordStore.Namespace ns;
  final byte[] storeId;
  final byte[] tableId;
  final String table;
  final TableKeys keys;
  private final boolean deltasAllowed;
  private final SharedTableRecords shared;
  private final boolean compressPages;

  /** Pages to seal uncompressed before compression is tried again ({@link #compressed}). */
  private volatile int skipCompression;

  private static final int SKIP_AFTER_MISS = 15;

  /**
   * The records of table {@code tableName} in namespace {@code ns}, pages compressed.
   *
   * @param deltasAllowed whether leaves may carry delta records (tables with a sort key)
   */
  public TableRecords(
      RecordStore store,
      RecordStore.Namespace ns,
      byte[] storeId,
      byte[] tableId,
      String tableName,
      TableKeys keys,
      boolean deltasAllowed) {
    this(store, ns, storeId, tableId, tableName, keys, deltasAllowed, true);
  }

  /**
   * The records of table {@code tableName} in namespace {@code ns}.
   *
   * @param deltasAllowed whether leaves may carry delta records (tables with a sort key)
   * @param compressPages whether page bodies are compressed before sealing (when it saves space)
   */
  public TableRecords(
      RecordStore store,
      RecordStore.Namespace ns,
      byte[] storeId,
      byte[] tableId,
      String tableName,
      TableKeys keys,
      boolean deltasAllowed,
      boolean compressPages) {
    this.store = store;
    this.ns = ns;
    this.storeId = storeId.clone();
    this.tableId = tableId.clone();
    this.table = tableName;
    this.keys = keys;
    this.deltasAllowed = deltasAllowed;
    this.compressPages = compressPages;
    SharedRecordStore sharedStore = store.shared();
    this.shared = sharedStore == null ? null : new SharedTableRecords(this, sharedStore);
  }

  /**
   * The copy-on-write operations of a table on a shared backend, or null when this process owns the
   * store alone (see {@link RecordStore#shared()}).
   */
  public SharedTableRecords shared() {
    return shared;
  }

  /**
   * Where node {@code nodeId} of partition {@code token} is, in messages: {@code partition <hex>
   * node <id>}.
   */
  public static String location(byte[] token, long nodeId) {
    return RecordKeys.describeNode(token, nodeId);
  }

  /** The table's name. */
  public String tableName() {
    return table;
  }

  // ------------------------------------------------------------------------------------ reading

  /**
   * Reads node {@code nodeId} of partition {@code token}: one point read returns its page and delta
   * records, opened here (delta record i as sequence number {@code delta_seq_base + i}, so a record
   * removed, reordered or replayed from an earlier fold fails its tag).
   *
   * @return the node as {@code factory} builds it, or null when the partition has no such node
   */
  public <N> N readNode(byte[] token, long nodeId, NodeFactory<N> factory) {
    byte[] value = store.get(ns, RecordKeys.node(token, nodeId));
    return value == null ? null : openNode(token, nodeId, value, factory);
  }

  <N> N openNode(byte[] token, long nodeId, byte[] value, NodeFactory<N> factory) {
    RecordFormat.Spans spans = spans(value, token, nodeId);
    if (spans.sequenced(0)) {
      throw corrupt("A stored node starts with a delta record", token, nodeId);
    }
    RecordFormat.DecodedPage page =
        openPage(token, nodeId, value, spans.offset(0), spans.length(0));
    int deltaCount = spans.count() - 1;
    List<DeltaChange> deltas = List.of();
    long next = page.deltaSeqBase;
    if (deltaCount > 0) {
      if (!page.leaf || !deltasAllowed) {
        throw corrupt("Delta records are appended to a node that never has any", token, nodeId);
      }
      deltas = new ArrayList<>(deltaCount);
      for (int i = 1; i <= deltaCount; i++) {
        long seq = spans.sequenced(i) ? spans.seq(i) : page.deltaSeqBase + i - 1;
        if (!DeltaSequence.follows(next, seq)) {
          throw new CorruptionException(
              "A delta record is out of sequence (a record before it was removed, or"
                  + " records were reordered or replayed)",
              table,
              RecordKeys.describeDelta(token, nodeId, seq));
        }
        deltas.add(openDelta(token, nodeId, seq, value, spans.offset(i), spans.length(i)));
        next = seq + 1;
      }
    }
    try {
      return page.leaf
          ? factory.leaf(
              page.entries, page.nextNodeId, page.height, page.deltaSeqBase, deltas, next)
          : factory.inner(
              page.separators, page.children, page.nextNodeId, page.height, page.deltaSeqBase);
    } catch (IllegalArgumentException e) {
      throw new CorruptionException(
          "A page body is malformed", table, RecordKeys.describeNode(token, nodeId), e);
    }
  }

  RecordFormat.Spans spans(byte[] value, byte[] token, long nodeId) {
    try {
      return RecordFormat.records(value);
    } catch (IOException e) {
      throw corrupt("A stored node is malformed (" + e.getMessage() + ")", token, nodeId);
    }
  }

  private RecordFormat.DecodedPage openPage(
      byte[] token, long nodeId, byte[] value, int offset, int length) {
    byte[] plain = open(Kind.PAGE, token, nodeId, 0, value, offset, length);
    try {
      RecordFormat.DecodedPage page = RecordFormat.decodePage(RecordFormat.body(plain));
      if (page == null) {
        throw corrupt("A page has an unknown body format", token, nodeId);
      }
      return page;
    } catch (IOException e) {
      throw new CorruptionException(
          "A page body is malformed", table, RecordKeys.describeNode(token, nodeId), e);
    }
  }

  private DeltaChange openDelta(
      byte[] token, long nodeId, long seq, byte[] value, int offset, int length) {
    byte[] plain = open(Kind.DELTA, token, nodeId, seq, value, offset, length);
    try {
      DeltaChange d = RecordFormat.decodeDelta(RecordFormat.body(plain), seq);
      if (d == null) {
        throw new CorruptionException(
            "A delta record has an unknown format",
            table,
            RecordKeys.describeDelta(token, nodeId, seq));
      }
      return d;
    } catch (IOException e) {
      throw new CorruptionException(
          "A delta record is malformed", table, RecordKeys.describeDelta(token, nodeId, seq), e);
    }
  }

  /** Opens one sealed record of a node: the envelope at {@code value[offset, offset + length)}. */
  byte[] open(
      Kind kind, byte[] token, long nodeId, long seq, byte[] value, int offset, int length) {
    RecordFormat.Envelope env = RecordFormat.parseEnvelope(value, offset, length);
    if (env == null) {
      throw corrupt(kind, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, seq, null);
    }
    if (!PageCipher.readable(env.formatVersion)) {
      throw corrupt(
          kind, RecordErrors.unknownEnvelope(env.formatVersion), token, nodeId, seq, null);
    }
    if (env.formatVersion != RecordFormat.ENVELOPE_VERSION && keys.olderEnvelopesRefused()) {
      throw corrupt(
          kind, RecordErrors.olderEnvelopeRefused(env.formatVersion), token, nodeId, seq, null);
    }
    AeadKey key = keys.pageKey(env.keyVersion);
    if (key == null) {
      key = afterCatchUp(kind, env.keyVersion, token, nodeId, seq);
    }
    try {
      return PageCipher.open(
          env, key, AssociatedData.of(kind, env.keyVersion, storeId, tableId, token, nodeId, seq));
    } catch (AEADBadTagException e) {
      throw corrupt(kind, RecordErrors.FAILED_AUTHENTICATION, token, nodeId, seq, null);
    } catch (GeneralSecurityException e) {
      throw corrupt(kind, RecordErrors.undecryptable(e), token, nodeId, seq, e);
    }
  }

  /**
   * The key of data-key version {@code version}, which the table's keys lack. On a shared backend
   * that may be another instance's rotation this instance has not read yet: the catalog is read
   * again (at most once, see {@link SharedRecordStore.KeyCatchUp}) and the key looked up again,
   * once. On an embedded store this process wrote every record, so an unknown version is damage.
   *
   * @throws CorruptionException when the version is still unknown
   */
  private AeadKey afterCatchUp(Kind kind, int version, byte[] token, long nodeId, long seq) {
    String message = RecordErrors.unknownKeyVersion(version);
    if (shared != null) {
      if (store.shared().catchUpKeys(tableId, version)) {
        AeadKey key = keys.pageKey(version);
        if (key != null) {
          return key;
        }
        message = RecordErrors.stillUnknown(message);
      }
    }
    throw corrupt(kind, message, token, nodeId, seq, null);
  }

  private CorruptionException corrupt(String message, byte[] token, long nodeId) {
    return new CorruptionException(message, table, RecordKeys.describeNode(token, nodeId));
  }

  CorruptionException corrupt(
      Kind kind, String message, byte[] token, long nodeId, long seq, Exception e) {
    String where =
        kind == Kind.DELTA
            ? RecordKeys.describeDelta(token, nodeId, seq)
            : RecordKeys.describeNode(token, nodeId);
    return new CorruptionException(message, table, where, e);
  }

  // ------------------------------------------------------------------------------------ writing

  /**
   * Counts one seal under the primary data-key version (for the table's rotation policy and its
   * description; no count stops sealing: {@link SealBudget}).
   *
   * @return the version to seal with
   */
  int countSeal() {
    int version = keys.primaryVersion();
    keys.budget(version).countOne();
    return version;
  }

  /**
   * A stored node value holding one record: {@code plaintext} sealed as {@code kind} at its place.
   */
  byte[] sealOne(Kind kind, byte[] token, long nodeId, long seq, byte[] plaintext) {
    int version = countSeal();
    int sealed = PageCipher.sealedLength(version, plaintext.length);
    byte[] out;
    int at;
    if (kind == Kind.DELTA) {
      out = new byte[RecordFormat.sequencedFrameLength(seq, sealed) + sealed];
      at = RecordFormat.writeSequencedPrefix(out, 0, seq, sealed);
    } else {
      out = new byte[RecordFormat.recordPrefixLength(sealed) + sealed];
      at = RecordFormat.writeRecordPrefix(out, 0, sealed);
    }
    PageCipher.sealInto(
        out,
        at,
        keys.pageKey(version),
        version,
        AssociatedData.of(kind, version, storeId, tableId, token, nodeId, seq),
        plaintext);
    return out;
  }

  /** The sealed value of a page: its body, compressed when the table compresses and it pays. */
  private byte[] sealPage(byte[] token, long nodeId, PageContent page) {
    byte[] body = RecordFormat.encodePage(page);
    return sealOne(Kind.PAGE, token, nodeId, 0, compressPages ? compressed(body) : body);
  }

  /**
   * {@code body} compressed when that pays. Data that does not compress (random bytes, data
   * compressed already) would cost a compression attempt per page for nothing, so after a page that
   * did not compress the next {@value #SKIP_AFTER_MISS} are sealed as they are before it is tried
   * again (a benign race between threads only shifts when).
   */
  private byte[] compressed(byte[] body) {
    if (skipCompression > 0) {
      skipCompression--;
      return body;
    }
    byte[] plain = RecordFormat.compressedOrRaw(body);
    if (plain == body && body.length >= RecordFormat.MIN_COMPRESSIBLE_BYTES) {
      skipCompression = SKIP_AFTER_MISS;
    }
    return plain;
  }

  /**
   * Writes {@code page} as node {@code nodeId} of partition {@code token}, on its own (no delta
   * records).
   */
  public void putNode(byte[] token, long nodeId, PageContent page) {
    store.put(ns, RecordKeys.node(token, nodeId), sealPage(token, nodeId, page));
  }

  /**
   * Appends delta record {@code seq} of leaf {@code leafId}: a put of {@code entry}. The caller
   * numbers it as {@link DeltaSequence} says: the leaf's next number ({@link #deltaSeqAfter}), or a
   * new epoch ({@link #newEpochSeq}).
   */
  public void appendPut(byte[] token, long leafId, long seq, Entry entry) {
    byte[] value = sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaPut(entry));
    store.append(ns, RecordKeys.node(token, leafId), value);
  }

  /** Appends delta record {@code seq} of leaf {@code leafId}: the deletion of {@code sortKey}. */
  public void appendDelete(byte[] token, long leafId, long seq, ByteString sortKey) {
    byte[] value = sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaDelete(sortKey));
    store.append(ns, RecordKeys.node(token, leafId), value);
  }

  /**
   * The first delta number of a new epoch, larger than the epoch of every delta record stored so
   * far ({@link DeltaSequence}); -1 when the backend has no write sequence (then a writer must read
   * a leaf before it appends to it).
   */
  public long newEpochSeq() {
    long sequence = store.writeSequence();
    return sequence < 0 ? -1 : DeltaSequence.epochStart(sequence);
  }

  /**
   * The number of the delta record after number {@code seq}, which is also the base of a page that
   * folds the records up to {@code seq} ({@link DeltaSequence}).
   */
  public static long deltaSeqAfter(long seq) {
    return seq + 1;
  }

  /** A change to one partition, committed as one atomic batch: node writes and deletions. */
  public NodeWrites writes(byte[] token) {
    return new NodeWrites(token, RecordBatch.create(), true);
  }

  /**
   * A change to one partition staged into {@code batch}, which the caller commits ({@link
   * RecordStore#commit}) together with other partitions' changes, of this table or others of the
   * same store: the writes of a transaction. {@link NodeWrites#commit()} is not available on it.
   */
  public NodeWrites stage(byte[] token, RecordBatch batch) {
    return new NodeWrites(token, batch, false);
  }

  /**
   * Commits a batch of staged changes ({@link #stage}): all or none. The batch may hold changes of
   * other tables of the same store (a transaction); any table's records commit it.
   */
  public void commit(RecordBatch batch) {
    if (batch.operations().size() == 1 && !batch.synced()) {
      // one operation is atomic on its own: a single write, without building a backend batch
      RecordBatch.Operation op = batch.operations().get(0);
      switch (op.kind()) {
        case PUT -> store.put(op.namespace(), op.key(), op.value());
        case APPEND -> store.append(op.namespace(), op.key(), op.value());
        default -> store.delete(op.namespace(), op.key());
      }
      return;
    }
    store.commit(batch);
  }

  /** The node writes and deletions of one change to a partition. Not thread-safe. */
  public final class NodeWrites {
    private final byte[] token;
    private final RecordBatch batch;
    private final boolean ownBatch;

    private NodeWrites(byte[] token, RecordBatch batch, boolean ownBatch) {
      this.token = token;
      this.batch = batch;
      this.ownBatch = ownBatch;
    }

    /**
     * Appends delta record {@code seq} of leaf {@code leafId}, a put of {@code entry}, to the
     * batch.
     */
    public NodeWrites appendPut(long leafId, long seq, Entry entry) {
      batch.append(
          ns,
          RecordKeys.node(token, leafId),
          sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaPut(entry)));
      return this;
    }

    /**
     * Appends delta record {@code seq} of leaf {@code leafId}, the deletion of {@code sortKey}, to
     * the batch.
     */
    public NodeWrites appendDelete(long leafId, long seq, ByteString sortKey) {
      batch.append(
          ns,
          RecordKeys.node(token, leafId),
          sealOne(Kind.DELTA, token, leafId, seq, RecordFormat.encodeDeltaDelete(sortKey)));
      return this;
    }

    /**
     * Writes {@code page} as node {@code nodeId}; the node's delta records go with its old value.
     */
    public NodeWrites put(long nodeId, PageContent page) {
      batch.put(ns, RecordKeys.node(token, nodeId), sealPage(token, nodeId, page));
      return this;
    }

    /** Deletes node {@code nodeId}. */
    public NodeWrites delete(long nodeId) {
      batch.delete(ns, RecordKeys.node(token, nodeId));
      return this;
    }

    /**
     * Applies every write, or none (only for {@link #writes}; a staged batch is the caller's to
     * commit).
     */
    public void commit() {
      if (!ownBatch) {
        throw new IllegalStateException("a staged change is committed with its batch");
      }
      store.commit(batch);
    }
  }

  // ---------------------------------------------------------------------------------- iteration

  /** A cursor over the table's partition tokens in order; the caller closes it. */
  public PartitionCursor partitions() {
    return new PartitionCursor(
        this, shared != null ? store.shared().tokenCursor(ns) : store.cursor(ns, false));
  }

  /**
   * Finds partitions in token order, remembering the tokens it found for {@link #checkNoneMissed}.
   * Not thread-safe.
   */
  public static final class PartitionCursor implements AutoCloseable {
    private final TableRecords records;
    private final RecordCursor cursor;
    private final List<byte[]> met = new ArrayList<>();

    private PartitionCursor(TableRecords records, RecordCursor cursor) {
      this.records = records;
      this.cursor = cursor;
    }

    /**
     * Checks that the tokens found so far include every partition the store wrote in {@code [from,
     * to)} ({@code to} null: to the end), the token range a walk that found them in order covered
     * ({@link RecordStore#checkPartitionsMet}: with freshness, against the table's map).
     *
     * @throws CorruptionException naming the table and the partition when one the store wrote in
     *     the range has no record (it was removed whole from outside Coffer)
     */
    public void checkNoneMissed(byte[] from, byte[] to) {
      if (to != null && Arrays.compareUnsigned(from, to) >= 0) {
        return;
      }
      records.store.checkPartitionsMet(records.ns, from, to, met);
    }

    /**
     * The first partition token at or after {@code from} and below {@code below} (null: no bound),
     * or null.
     */
    public byte[] atOrAfter(byte[] from, byte[] below) {
      cursor.seek(RecordKeys.partitionStart(from));
      return current(below);
    }

    /**
     * The first partition token after {@code token} and below {@code below} (null: no bound), or
     * null.
     */
    public byte[] after(byte[] token, byte[] below) {
      cursor.seek(RecordKeys.afterPartition(token));
      return current(below);
    }

    private byte[] current(byte[] below) {
      if (!cursor.valid()) {
        return null;
      }
      byte[] token = RecordKeys.token(cursor.key());
      if (below != null && Arrays.compareUnsigned(token, below) >= 0) {
        return null;
      }
      if (met.isEmpty() || Arrays.compareUnsigned(met.get(met.size() - 1), token) < 0) {
        met.add(token);
      }
      return token;
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
      byte[] t =
          cursor == null
              ? c.atOrAfter(new byte[RecordKeys.TOKEN_BYTES], null)
              : c.after(cursor, null);
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
   * Re-seals, under the primary data-key version in the current envelope format, every record of
   * the partitions {@code tokens} (ascending) that another version sealed or that is in an older
   * envelope format: pages and delta records alike, their plaintext as it is. The caller holds the
   * write locks of these partitions, so the records read are the current ones. Writes a batch after
   * every {@code batchRecords} re-sealed records and after the last, and runs {@code afterBatch}
   * after each (the caller's commit point).
   */
  public ResealCounts reseal(List<byte[]> tokens, int batchRecords, Runnable afterBatch) {
    if (shared != null) {
      return shared.reseal(tokens, batchRecords, afterBatch);
    }
    return new TableReseal(this).reseal(tokens, batchRecords, afterBatch);
  }

  /**
   * The number of records of the table sealed under each data-key version; records that are not
   * well-formed envelopes count under version -1.
   */
  public TreeMap<Integer, Long> versionCounts() {
    if (shared != null) {
      return shared.versionCounts();
    }
    return new TableReseal(this).versionCounts();
  }

  /**
   * The number of records of the table in an envelope format older than the current one (format 1),
   * which re-encryption re-seals even under the primary version.
   */
  public long olderFormatCount() {
    if (shared != null) {
      return shared.olderFormatCount();
    }
    return new TableReseal(this).olderFormatCount();
  }

  /** The number of records (pages and delta records) of the table. */
  public long recordCount() {
    if (shared != null) {
      return shared.recordCount();
    }
    return new TableReseal(this).recordCount();
  }

  // ------------------------------------------------------------------------------ verification

  /**
   * Walks every record of the table in key order for {@code verify}, reading with verified
   * checksums and without filling caches; where the backend finds damaged data, reports the range
   * of partitions it hides and goes on after it ({@link TableWalk}).
   */
  public void walk(RecordWalker walker) {
    new TableWalk(this).walk(walker);
  }

  /**
   * Compares every record with the table's freshness map, for {@code verify} ({@link
   * RecordStore#verifyFreshness}); empty without freshness.
   */
  public List<FreshMismatch> verifyFreshness() {
    return store.verifyFreshness(ns);
  }

  /** A cursor over every record, for {@link TableWalk}. */
  RecordCursor verifyingCursor() {
    return store.cursor(ns, true);
  }

  /** Compacts the table's namespace (after a data-key version was destroyed). */
  public void compact() {
    store.compact(ns);
  }
}
