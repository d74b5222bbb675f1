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
 * older data-key versions, and records of an older envelope format (format 1: AES-256-GCM under the
 * page key itself), under the primary version in the current envelope format; counts records per
 * version, and those of an older envelope format. The plaintext of a record is re-sealed as it is,
 * under the associated data of its place. One per call; not thread-safe.
 */
final class TableReseal {
  private final TableRecords t;

  TableReseal(TableRecords t) {
    this.t = t;
  }

  /**
   * Re-seals, under the primary data-key version in the current envelope format, every record of
   * the partitions {@code tokens} (ascending) that another version sealed or that is in an older
   * envelope format: pages and delta records alike, their plaintext as it is. The caller holds the
   * write locks of these partitions, so the records read are the current ones. Writes a batch after
   * every {@code batchRecords} re-sealed records and after the last, and runs {@code afterBatch}
   * after each (the caller's commit point).
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
            throw new CorruptionException(
                "A record key has the wrong length", t.table, RecordKeys.describeTableKey(key));
          }
          byte[] value = c.value();
          t.store.checkRead(t.ns, key, value); // never re-seal a record put back from a copy
          long nodeId = RecordKeys.nodeId(key);
          RecordFormat.Spans spans = t.spans(value, token, nodeId);
          visited += spans.count();
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

  /**
   * The node's value with every record not under the primary version, or not in the current
   * envelope format, re-sealed; or null when all are current.
   */
  private Resealed resealNode(byte[] token, long nodeId, byte[] value, RecordFormat.Spans spans) {
    int primary = t.keys.primaryVersion();
    int n = spans.count();
    RecordFormat.Envelope[] envs = new RecordFormat.Envelope[n];
    boolean allOnPrimary = true;
    boolean legacyDeltaMoves = false;
    for (int i = 0; i < n; i++) {
      envs[i] = RecordFormat.parseEnvelope(value, spans.offset(i), spans.length(i));
      if (envs[i] == null) {
        throw t.corrupt(
            i == 0 ? Kind.PAGE : Kind.DELTA, RecordErrors.NOT_AN_ENVELOPE, token, nodeId, 0, null);
      }
      boolean moves = !current(envs[i], primary);
      allOnPrimary &= !moves;
      legacyDeltaMoves |= moves && i > 0 && !spans.sequenced(i);
    }
    if (allOnPrimary) {
      return null;
    }
    // The page is opened when it moves, or when a delta record numbered by its place moves (its
    // number starts at the page's base); a record that carries its number needs nothing else.
    byte[] page =
        !current(envs[0], primary) || legacyDeltaMoves
            ? t.open(Kind.PAGE, token, nodeId, 0, value, spans.offset(0), spans.length(0))
            : null;
    try {
      long base = 0;
      if (legacyDeltaMoves) {
        try {
          base = RecordFormat.deltaSeqBase(RecordFormat.body(page));
        } catch (IOException e) {
          throw new CorruptionException(
              "A page body is malformed", t.table, RecordKeys.describeNode(token, nodeId), e);
        }
      }
      List<RecordFormat.StoredRecordBytes> records = new ArrayList<>(n);
      int count = 0;
      long bytes = 0;
      for (int i = 0; i < n; i++) {
        boolean sequenced = spans.sequenced(i);
        long seq = i == 0 ? 0 : sequenced ? spans.seq(i) : base + i - 1;
        if (current(envs[i], primary)) {
          records.add(
              new RecordFormat.StoredRecordBytes(
                  Arrays.copyOfRange(value, spans.offset(i), spans.offset(i) + spans.length(i)),
                  sequenced,
                  seq));
          continue;
        }
        Kind kind = i == 0 ? Kind.PAGE : Kind.DELTA;
        byte[] plain =
            i == 0
                ? page
                : t.open(kind, token, nodeId, seq, value, spans.offset(i), spans.length(i));
        try {
          int v = t.countSeal();
          records.add(
              new RecordFormat.StoredRecordBytes(
                  PageCipher.seal(
                      t.keys.pageKey(v),
                      v,
                      AssociatedData.of(kind, v, t.storeId, t.tableId, token, nodeId, seq),
                      plain),
                  sequenced,
                  seq));
        } finally {
          if (plain != page) {
            Arrays.fill(plain, (byte) 0);
          }
        }
        count++;
        bytes += spans.length(i);
      }
      return new Resealed(RecordFormat.storedNode(records), count, bytes);
    } finally {
      if (page != null) {
        Arrays.fill(page, (byte) 0);
      }
    }
  }

  /** Whether {@code env} needs no re-sealing: the primary version, the current envelope format. */
  private static boolean current(RecordFormat.Envelope env, int primary) {
    return env.keyVersion == primary && env.formatVersion == RecordFormat.ENVELOPE_VERSION;
  }

  /**
   * The number of records of the table in an envelope format older than the current one (a scan of
   * the table's envelope headers; nothing is opened).
   */
  long olderFormatCount() {
    long n = 0;
    try (RecordCursor c = t.store.cursor(t.ns, false)) {
      for (c.seekToFirst(); c.valid(); c.next()) {
        byte[] value = c.value();
        RecordFormat.Spans spans;
        try {
          spans = RecordFormat.records(value);
        } catch (IOException e) {
          continue; // re-sealing it will report the corruption
        }
        for (int i = 0; i < spans.count(); i++) {
          RecordFormat.Envelope env =
              RecordFormat.parseEnvelope(value, spans.offset(i), spans.length(i));
          if (env != null && env.formatVersion < RecordFormat.ENVELOPE_VERSION) {
            n++;
          }
        }
      }
    }
    return n;
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
        RecordFormat.Spans spans;
        try {
          spans = RecordFormat.records(value);
        } catch (IOException e) {
          counts.merge(-1, 1L, Long::sum);
          continue;
        }
        for (int i = 0; i < spans.count(); i++) {
          RecordFormat.Envelope env =
              RecordFormat.parseEnvelope(value, spans.offset(i), spans.length(i));
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
          n += RecordFormat.records(c.value()).count();
        } catch (IOException e) {
          n++; // re-sealing it will report the corruption
        }
      }
    }
    return n;
  }
}
