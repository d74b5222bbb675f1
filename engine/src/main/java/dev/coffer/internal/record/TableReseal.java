package dev.coffer.internal.record;

import dev.coffer.CorruptionException;
import dev.coffer.internal.record.AssociatedData.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The re-encryption side of a table's records ({@link TableRecords#reseal}): re-seals records of
 * older data-key versions under the primary one, and counts records per version. The plaintext of
 * a record is re-sealed as it is, under the associated data of its place. One per call; not
 * thread-safe.
 */
final class TableReseal {
  private final TableRecords t;

  TableReseal(TableRecords t) {
    this.t = t;
  }

  /**
   * Re-seals, under the primary data-key version, every record of the partitions {@code tokens}
   * (ascending) that another version sealed: pages and delta records alike, their plaintext as it
   * is. The caller holds the write locks of these partitions, so the records read are the current
   * ones. Writes a batch after every {@code batchRecords} re-sealed records and after the last,
   * and runs {@code afterBatch} after each (the caller's commit point).
   */
  TableRecords.ResealCounts reseal(List<byte[]> tokens, int batchRecords, Runnable afterBatch) {
    long visited = 0;
    long resealed = 0;
    long bytes = 0;
    RecordBatch batch = RecordBatch.create();
    int inBatch = 0;
    try (RecordCursor c = t.store.cursor(t.ns, false)) {
      for (byte[] token : tokens) {
        for (c.seek(RecordKeys.partitionStart(token)); c.valid(); c.next()) {
          byte[] key = c.key();
          if (!RecordKeys.inPartition(key, token)) {
            break;
          }
          if (!RecordKeys.isNodeKey(key)) {
            throw new CorruptionException("A record key has the wrong length", t.table,
                RecordKeys.describeTableKey(key));
          }
          byte[] value = c.value();
          long nodeId = RecordKeys.nodeId(key);
          int[] spans = t.spans(value, token, nodeId);
          visited += spans.length / 2;
          Resealed r = resealNode(token, nodeId, value, spans);
          if (r != null) {
            batch.put(t.ns, key, r.value); // replaces the value, appended records included
            resealed += r.records;
            bytes += r.bytes;
            inBatch += r.records;
          }
          if (inBatch >= batchRecords) {
            t.store.commit(batch);
            afterBatch.run();
            batch = RecordBatch.create();
            inBatch = 0;
          }
        }
      }
    }
    if (!batch.isEmpty()) {
      t.store.commit(batch);
      afterBatch.run();
    }
    return new TableRecords.ResealCounts(visited, resealed, bytes);
  }

  private record Resealed(byte[] value, int records, long bytes) {}

  /** The node's value with every record not under the primary version re-sealed, or null when all are. */
  private Resealed resealNode(byte[] token, long nodeId, byte[] value, int[] spans) {
    int primary = t.keys.primaryVersion();
    int n = spans.length / 2;
    RecordFormat.Envelope[] envs = new RecordFormat.Envelope[n];
    boolean allOnPrimary = true;
    for (int i = 0; i < n; i++) {
      envs[i] = RecordFormat.parseEnvelope(value, spans[2 * i], spans[2 * i + 1]);
      if (envs[i] == null) {
        throw t.corrupt(i == 0 ? Kind.PAGE : Kind.DELTA, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, 0, null);
      }
      allOnPrimary &= envs[i].keyVersion == primary;
    }
    if (allOnPrimary) {
      return null;
    }
    // The page is opened even when only its delta records move: their numbers start at its base.
    byte[] page = t.open(Kind.PAGE, token, nodeId, 0, value, spans[0], spans[1]);
    try {
      long base;
      try {
        base = n == 1 ? 0 : RecordFormat.deltaSeqBase(page);
      } catch (IOException e) {
        throw new CorruptionException("A page body is malformed", t.table, RecordKeys.describeNode(token, nodeId), e);
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
        byte[] plain = i == 0 ? page : t.open(kind, token, nodeId, seq, value, spans[2 * i], spans[2 * i + 1]);
        try {
          int v = t.countSeal();
          records.add(PageCipher.seal(t.keys.pageKey(v), v,
              AssociatedData.of(kind, v, t.storeId, t.tableId, token, nodeId, seq), plain));
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
  TreeMap<Integer, Long> versionCounts() {
    TreeMap<Integer, Long> counts = new TreeMap<>();
    try (RecordCursor c = t.store.cursor(t.ns, false)) {
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
  long recordCount() {
    long n = 0;
    try (RecordCursor c = t.store.cursor(t.ns, false)) {
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
}
