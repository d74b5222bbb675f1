package dev.coffer.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.coffer.CorruptionException;
import dev.coffer.internal.keys.AeadKey;
import dev.coffer.internal.keys.PartitionTokens;
import dev.coffer.internal.keys.SealBudget;
import dev.coffer.internal.keys.TableKeys;
import dev.coffer.proto.AttributeValue;
import dev.coffer.proto.Item;
import dev.coffer.proto.LeafEntry;
import dev.coffer.proto.SealedPage;
import dev.coffer.proto.StoredNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record layer of one table over an in-memory backend: every node written reads back as it was
 * written, and every kind of tampering with the stored bytes fails with {@link CorruptionException}
 * naming the table and the record: a flipped byte in a page or delta record, a truncation, records
 * swapped between nodes, partitions, tables and stores, delta records removed, reordered or
 * replayed, delta records where none may be, a record presented as another kind, and an unknown key
 * version.
 */
class TableRecordsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] STORE = random(16);
  private static final byte[] TABLE = random(16);
  private static final byte[] P = random(16);
  private static final byte[] Q = random(16);

  private final MemoryRecordStore backend = new MemoryRecordStore();
  private final AeadKey v1 = AeadKey.wrap(random(32));
  private final AeadKey v2 = AeadKey.wrap(random(32));
  private final TableRecords records = table(STORE, TABLE, "events", true, Map.of(1, v1));

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private TableRecords table(
      byte[] store, byte[] tableId, String name, boolean deltas, Map<Integer, AeadKey> keys) {
    RecordStore.Namespace ns = backend.table(tableId, name);
    if (ns == null) {
      ns = backend.createTable(tableId, name);
    }
    Map<Integer, SealBudget> budgets = new HashMap<>();
    keys.keySet().forEach(v -> budgets.put(v, SealBudget.fresh()));
    int primary = keys.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
    return new TableRecords(
        backend,
        ns,
        store,
        tableId,
        name,
        new TableKeys(keys, budgets, primary, new PartitionTokens(random(32))),
        deltas);
  }

  /** A decoded node, as the test's factory builds it. */
  record Opened(
      boolean leaf,
      List<ByteString> keys,
      List<ByteString> separators,
      List<Long> children,
      long next,
      int height,
      long base,
      List<DeltaChange> deltas) {}

  static final NodeFactory<Opened> OPEN =
      new NodeFactory<>() {
        @Override
        public Opened leaf(
            List<Entry> entries,
            long next,
            int height,
            long base,
            List<DeltaChange> deltas,
            long nextDeltaSeq) {
          return new Opened(
              true,
              entries.stream().map(Entry::sortKey).toList(),
              List.of(),
              List.of(),
              next,
              height,
              base,
              deltas);
        }

        @Override
        public Opened inner(
            List<ByteString> separators, List<Long> children, long next, int height, long base) {
          return new Opened(false, List.of(), separators, children, next, height, base, List.of());
        }
      };

  static Entry entry(int k) {
    return Entry.of(
        LeafEntry.newBuilder()
            .setSortKey(ByteString.copyFrom(new byte[] {(byte) k}))
            .setItem(
                Item.newBuilder()
                    .putAttributes("v", AttributeValue.newBuilder().setS("value " + k).build()))
            .build());
  }

  /** A page's content for writing. */
  record Page(
      boolean isLeaf,
      List<Entry> entries,
      List<ByteString> separators,
      List<Long> children,
      long nextNodeId,
      int height,
      long deltaSeqBase)
      implements PageContent {}

  static Page leaf(long base, int... keys) {
    List<Entry> entries = new ArrayList<>();
    for (int k : keys) {
      entries.add(entry(k));
    }
    return new Page(true, entries, List.of(), List.of(), 9, 1, base);
  }

  static Page inner() {
    return new Page(
        false, List.of(), List.of(ByteString.copyFromUtf8("m")), List.of(1L, 2L), 3, 2, 0);
  }

  private Opened read(byte[] token, long node) {
    return records.readNode(token, node, OPEN);
  }

  private static List<ByteString> keys(int... ks) {
    List<ByteString> out = new ArrayList<>();
    for (int k : ks) {
      out.add(ByteString.copyFrom(new byte[] {(byte) k}));
    }
    return out;
  }

  private byte[] key(byte[] token, long node) {
    return RecordKeys.node(token, node);
  }

  /**
   * The sequence numbers of the delta records {@link #storedRecords} returned, by their sealed
   * bytes.
   */
  private final Map<ByteBuffer, Long> seqs = new HashMap<>();

  /**
   * The sealed records of a node: the page, then its delta records (their numbers go to {@link
   * #seqs}).
   */
  private List<byte[]> storedRecords(byte[] token, long node) throws Exception {
    List<byte[]> out = new ArrayList<>();
    StoredNode stored = StoredNode.parseFrom(backend.raw(TABLE, key(token, node)));
    stored.getRecordsList().forEach(r -> out.add(r.toByteArray()));
    stored
        .getDeltasList()
        .forEach(
            d -> {
              byte[] sealed = d.getSealed().toByteArray();
              seqs.put(ByteBuffer.wrap(sealed), d.getSeq());
              out.add(sealed);
            });
    return out;
  }

  /**
   * Stores the sealed records {@code rs} as a node: the first as its page, the others as delta
   * records with their numbers as read (a record not read before gets its place's number).
   */
  private void storeRecords(byte[] token, long node, List<byte[]> rs) {
    List<RecordFormat.StoredRecordBytes> out = new ArrayList<>();
    for (int i = 0; i < rs.size(); i++) {
      byte[] r = rs.get(i);
      out.add(
          i == 0
              ? new RecordFormat.StoredRecordBytes(r, false, 0)
              : new RecordFormat.StoredRecordBytes(
                  r, true, seqs.getOrDefault(ByteBuffer.wrap(r), i - 1L)));
    }
    backend.rawPut(TABLE, key(token, node), RecordFormat.storedNode(out));
  }

  private void failsAsCorrupt(byte[] token, long node, String location) {
    assertThatThrownBy(() -> read(token, node))
        .isInstanceOf(CorruptionException.class)
        .satisfies(e -> assertThat(((CorruptionException) e).tableName()).isEqualTo("events"))
        .satisfies(e -> assertThat(((CorruptionException) e).location()).isEqualTo(location));
  }

  private static String at(byte[] token, long node) {
    return "partition " + HexFormat.of().formatHex(token) + " node " + node;
  }

  @Test
  void pagesDeltasAndBatchesReadBackAsWritten() {
    records.putNode(P, 0, leaf(5, 1, 3));
    records.appendPut(P, 0, 5, entry(2));
    records.appendDelete(P, 0, 6, ByteString.copyFrom(new byte[] {3}));
    Opened root = read(P, 0);
    assertThat(root.leaf()).isTrue();
    assertThat(root.keys()).isEqualTo(keys(1, 3));
    assertThat(root.next()).isEqualTo(9);
    assertThat(root.height()).isEqualTo(1);
    assertThat(root.base()).isEqualTo(5);
    assertThat(root.deltas()).extracting(DeltaChange::sortKey).isEqualTo(keys(2, 3));
    assertThat(root.deltas().get(0).put()).isNotNull();
    assertThat(root.deltas().get(1).deleteSortKey()).isNotNull();
    assertThat(read(P, 1)).isNull();

    records.writes(P).put(0, inner()).put(1, leaf(0, 1)).put(2, leaf(0, 9)).commit();
    Opened inner = read(P, 0);
    assertThat(inner.leaf()).isFalse();
    assertThat(inner.children()).containsExactly(1L, 2L);
    assertThat(inner.deltas()).isEmpty(); // the write replaced the node and its delta records
    records.writes(P).delete(2).commit();
    assertThat(read(P, 2)).isNull();
  }

  @Test
  void aFlippedByteInAPageOrADeltaRecordFailsWithItsLocation() throws Exception {
    records.putNode(P, 0, leaf(0, 1, 3));
    records.appendPut(P, 0, 0, entry(2));
    List<byte[]> rs = storedRecords(P, 0);
    byte[] page = rs.get(0).clone();
    page[page.length - 3] ^= 1;
    storeRecords(P, 0, List.of(page, rs.get(1)));
    failsAsCorrupt(P, 0, at(P, 0));
    byte[] delta = rs.get(1).clone();
    delta[delta.length - 3] ^= 1;
    storeRecords(P, 0, List.of(rs.get(0), delta));
    failsAsCorrupt(P, 0, at(P, 0) + " delta 0");
  }

  @Test
  void truncatedOrMalformedValuesFail() throws Exception {
    records.putNode(P, 0, leaf(0, 1));
    byte[] value = backend.raw(TABLE, key(P, 0));
    for (int n = 0; n < value.length; n++) {
      backend.rawPut(TABLE, key(P, 0), Arrays.copyOf(value, n));
      failsAsCorrupt(P, 0, at(P, 0));
    }
  }

  @Test
  void recordsMovedToAnotherNodePartitionTableOrStoreFail() {
    records.putNode(P, 0, leaf(0, 1));
    records.putNode(P, 1, leaf(0, 2));
    byte[] page = backend.raw(TABLE, key(P, 0));
    backend.rawPut(TABLE, key(P, 1), page); // another node
    failsAsCorrupt(P, 1, at(P, 1));
    backend.rawPut(TABLE, key(Q, 0), page); // another partition
    failsAsCorrupt(Q, 0, at(Q, 0));

    byte[] otherTable = random(16);
    TableRecords other =
        table(STORE, otherTable, "other", true, Map.of(1, v1)); // same key, another table
    backend.rawPut(otherTable, key(P, 0), page);
    assertThatThrownBy(() -> other.readNode(P, 0, OPEN))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication");
    TableRecords otherStore =
        table(random(16), TABLE, "events", true, Map.of(1, v1)); // same table id, another store
    assertThatThrownBy(() -> otherStore.readNode(P, 0, OPEN))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void deltaRecordsRemovedReorderedOrReplayedFail() throws Exception {
    records.putNode(P, 0, leaf(0, 1, 9));
    for (int i = 0; i < 4; i++) {
      records.appendPut(P, 0, i, entry(2 + i));
    }
    List<byte[]> rs = storedRecords(P, 0);
    List<byte[]> removed = new ArrayList<>(rs);
    removed.remove(2);
    storeRecords(P, 0, removed);
    failsAsCorrupt(P, 0, at(P, 0) + " delta 2"); // out of sequence: 2 where 1 must come
    List<byte[]> reordered = new ArrayList<>(rs);
    Collections.swap(reordered, 1, 2);
    storeRecords(P, 0, reordered);
    failsAsCorrupt(P, 0, at(P, 0) + " delta 1"); // 1 where 0 must come
    // a fold: the page written again with its base past the four records; an old one replayed
    records.putNode(P, 0, leaf(4, 1, 2, 3, 4, 5, 9));
    List<byte[]> replayed = new ArrayList<>(storedRecords(P, 0));
    replayed.add(rs.get(1));
    storeRecords(P, 0, replayed);
    failsAsCorrupt(P, 0, at(P, 0) + " delta 0"); // 0, below the page's base 4
  }

  @Test
  void aNewEpochContinuesALeafsNumbersAndRemovalInsideItsRunFails() throws Exception {
    records.putNode(P, 0, leaf(0, 1, 9));
    records.appendPut(P, 0, 0, entry(2));
    records.appendPut(P, 0, 1, entry(3));
    long epoch = records.newEpochSeq(); // a writer that had not read the leaf
    assertThat(epoch).isGreaterThan(1L << 49);
    records.appendPut(P, 0, epoch, entry(4));
    records.appendPut(P, 0, epoch + 1, entry(5));
    Opened node = read(P, 0);
    assertThat(node.deltas())
        .extracting(DeltaChange::seq)
        .containsExactly(0L, 1L, epoch, epoch + 1);
    assertThat(node.keys()).isEqualTo(keys(1, 9));
    assertThat(node.deltas()).extracting(DeltaChange::sortKey).isEqualTo(keys(2, 3, 4, 5));
    List<byte[]> rs = storedRecords(P, 0);
    List<byte[]> removed = new ArrayList<>(rs);
    removed.remove(3); // the first record of the new epoch
    storeRecords(P, 0, removed);
    failsAsCorrupt(P, 0, at(P, 0) + " delta " + (epoch + 1));
    // a record of the new epoch presented under an earlier epoch's number fails its tag
    List<RecordFormat.StoredRecordBytes> renumbered = new ArrayList<>();
    renumbered.add(new RecordFormat.StoredRecordBytes(rs.get(0), false, 0));
    renumbered.add(new RecordFormat.StoredRecordBytes(rs.get(3), true, 0));
    backend.rawPut(TABLE, key(P, 0), RecordFormat.storedNode(renumbered));
    assertThatThrownBy(() -> read(P, 0))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void aFormat2NodeReadsAndNumberedRecordsContinueIt() throws Exception {
    // store format 2: delta records numbered by their place after the page
    records.putNode(P, 0, leaf(1000, 1, 9));
    records.appendPut(P, 0, 1000, entry(2));
    records.appendPut(P, 0, 1001, entry(3));
    List<byte[]> rs = storedRecords(P, 0);
    backend.rawPut(
        TABLE,
        key(P, 0),
        RecordFormat.storedNode(
            rs.stream().map(r -> new RecordFormat.StoredRecordBytes(r, false, 0)).toList()));
    assertThat(read(P, 0).deltas()).extracting(DeltaChange::seq).containsExactly(1000L, 1001L);
    records.appendPut(P, 0, 1002, entry(4)); // format 3 after format 2, contiguous
    records.appendPut(P, 0, records.newEpochSeq(), entry(5)); // and a new epoch
    assertThat(read(P, 0).deltas()).extracting(DeltaChange::sortKey).isEqualTo(keys(2, 3, 4, 5));
  }

  @Test
  void compressedPagesReadBackAndTheirCompressionCannotBeChanged() throws Exception {
    List<Entry> entries = new ArrayList<>();
    for (int k = 1; k < 40; k++) {
      entries.add(
          Entry.of(
              LeafEntry.newBuilder()
                  .setSortKey(ByteString.copyFrom(new byte[] {(byte) k}))
                  .setItem(
                      Item.newBuilder()
                          .putAttributes(
                              "v",
                              AttributeValue.newBuilder()
                                  .setS("the same words again and again, item " + k)
                                  .build()))
                  .build()));
    }
    Page big = new Page(true, entries, List.of(), List.of(), 9, 1, 0);
    int raw = RecordFormat.encodePage(big).length;
    records.putNode(P, 0, big);
    byte[] sealed = storedRecords(P, 0).get(0);
    assertThat(sealed.length).as("sealed page smaller than its body").isLessThan(raw * 3 / 4);
    assertThat(read(P, 0).keys()).hasSize(39);
    TableRecords uncompressed =
        new TableRecords(
            backend,
            backend.table(TABLE, "events"),
            STORE,
            TABLE,
            "events",
            records.keys,
            true,
            false);
    uncompressed.putNode(Q, 0, big);
    assertThat(storedRecords(Q, 0).get(0).length).isGreaterThan(raw);
    assertThat(read(Q, 0).keys()).hasSize(39);
    // GCM is a stream cipher: flipping ciphertext bit i flips plaintext bit i. Byte 1 of the
    // plaintext is the CompressedRecord's format version (2); turned into 3 (or the compression
    // field's value turned into another), the record fails its tag before anything is decompressed.
    for (int plainOffset : new int[] {1, 3}) {
      SealedPage env = SealedPage.parseFrom(sealed);
      byte[] ct = env.getCiphertext().toByteArray();
      ct[plainOffset] ^= 1;
      byte[] tampered =
          env.toBuilder().setCiphertext(ByteString.copyFrom(ct)).build().toByteArray();
      storeRecords(P, 0, List.of(tampered));
      assertThatThrownBy(() -> read(P, 0))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("failed authentication");
    }
  }

  @Test
  void aRecordPresentedAsAnotherKindFails() throws Exception {
    records.putNode(P, 0, leaf(0, 1, 9));
    records.appendPut(P, 0, 0, entry(2));
    List<byte[]> rs = storedRecords(P, 0);
    storeRecords(P, 0, List.of(rs.get(1))); // the delta record as the page
    failsAsCorrupt(P, 0, at(P, 0));
  }

  @Test
  void deltaRecordsWhereNoneMayBeFail() throws Exception {
    records.putNode(P, 0, inner());
    records.appendPut(P, 0, 0, entry(2));
    failsAsCorrupt(P, 0, at(P, 0));
    assertThatThrownBy(() -> read(P, 0)).hasMessageContaining("never has any");
    TableRecords noSortKey = table(STORE, random(16), "users", false, Map.of(1, v1));
    noSortKey.putNode(Q, 0, leaf(0, 1));
    noSortKey.appendPut(Q, 0, 0, entry(2));
    assertThatThrownBy(() -> noSortKey.readNode(Q, 0, OPEN))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("never has any");
  }

  @Test
  void anUnknownKeyVersionFailsNamingIt() throws Exception {
    TableRecords two = table(STORE, TABLE, "events", true, Map.of(1, v1, 2, v2));
    two.putNode(P, 0, leaf(0, 1));
    assertThat(SealedPage.parseFrom(storedRecords(P, 0).get(0)).getKeyVersion()).isEqualTo(2);
    assertThatThrownBy(() -> read(P, 0))
        .isInstanceOf(CorruptionException.class)
        .hasMessageContaining("names data-key version 2, which this table does not have");
  }

  @Test
  void aVersionPastTheOldNonceBudgetStillSealsInEnvelopeFormat2() throws Exception {
    // 2^32 - 2^17 seals used to stop a version (random 96-bit nonces under the key itself); every
    // seal is XAES-256-GCM now, so the count only counts
    SealBudget past = SealBudget.resume(1L << 32);
    TableKeys keys =
        new TableKeys(Map.of(1, v1), Map.of(1, past), 1, new PartitionTokens(random(32)));
    TableRecords counted =
        new TableRecords(
            backend, backend.table(TABLE, "events"), STORE, TABLE, "events", keys, true);
    counted.putNode(P, 0, leaf(0, 1));
    assertThat(SealedPage.parseFrom(storedRecords(P, 0).get(0)).getFormatVersion()).isEqualTo(2);
    assertThat(read(P, 0).keys()).hasSize(1);
    assertThat(past.count()).isEqualTo((1L << 32) + SealBudget.PERSIST_INTERVAL + 1);
  }

  @Test
  void resealMovesEveryRecordToThePrimaryVersionAndCountsThem() throws Exception {
    records.putNode(P, 0, leaf(0, 1, 9));
    records.appendPut(P, 0, 0, entry(2));
    records.putNode(Q, 0, leaf(0, 4));
    TableRecords two = table(STORE, TABLE, "events", true, Map.of(1, v1, 2, v2));
    two.appendPut(P, 0, 1, entry(3)); // a record of version 2 beside records of version 1
    assertThat(two.versionCounts()).containsExactly(Map.entry(1, 3L), Map.entry(2, 1L));
    assertThat(two.recordCount()).isEqualTo(4);
    List<byte[]> tokens = two.partitionsAfter(null, 10);
    assertThat(tokens).hasSize(2);
    assertThat(two.partitionsAfter(tokens.get(0), 10)).hasSize(1);
    int[] batches = new int[1];
    TableRecords.ResealCounts c = two.reseal(tokens, 1, () -> batches[0]++);
    assertThat(c.visited()).isEqualTo(4);
    assertThat(c.resealed()).isEqualTo(3);
    assertThat(batches[0]).isEqualTo(2); // one batch per node here
    assertThat(two.versionCounts()).containsExactly(Map.entry(2, 4L));
    Opened p = two.readNode(P, 0, OPEN);
    assertThat(p.keys()).isEqualTo(keys(1, 9));
    assertThat(p.deltas()).extracting(DeltaChange::sortKey).isEqualTo(keys(2, 3));
  }

  @Test
  void thePartitionCursorFindsTokensInOrderWithinBounds() {
    byte[] low = new byte[16];
    byte[] a = low.clone();
    a[0] = 0x10;
    byte[] b = low.clone();
    b[0] = 0x20;
    records.putNode(a, 0, leaf(0, 1));
    records.putNode(a, 7, leaf(0, 1));
    records.putNode(b, 0, leaf(0, 1));
    try (TableRecords.PartitionCursor c = records.partitions()) {
      assertThat(c.atOrAfter(low, null)).isEqualTo(a);
      assertThat(c.after(a, null)).isEqualTo(b);
      assertThat(c.after(a, b)).isNull();
      assertThat(c.after(b, null)).isNull();
      assertThat(c.atOrAfter(b, null)).isEqualTo(b);
    }
  }
}
