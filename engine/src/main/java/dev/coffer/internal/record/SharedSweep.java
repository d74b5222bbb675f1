package dev.coffer.internal.record;

import dev.coffer.StorageException;
import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.ConditionFailedException;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code Coffer.collectGarbage()} on a shared backend: one pass over every record of the backend (a
 * parallel-scan segment at a time), then, one grace period later, a second look at what the first
 * found, and the deletion of what is still garbage:
 *
 * <ul>
 *   <li>nodes that no tree reaches and that are older than the grace period (by the time in their
 *       id), when they are still unreachable in the second look: a node can only have become
 *       garbage before the first look, so no reader can still need it a grace period later;
 *   <li>chunks whose record is gone or names another chunk set;
 *   <li>records of tables no longer registered (written by an instance after another deleted the
 *       table, before it saw the deletion);
 *   <li>index entries of partitions with no record, older than the grace period, removed by a
 *       conditional delete on the version (the time) read first, so that a writer that indexed the
 *       partition again meanwhile wins.
 * </ul>
 *
 * Roots without an index entry are indexed: this version writes a root only over a root or after
 * its entry ({@link SharedTableRecords#replaceRoot}), but a blind write of an earlier one wrote the
 * root first and could die before the entry, and a writer paused between its entry and its root for
 * longer than this sweep's grace period can land its root after the sweep deleted its entry (it
 * writes the entry again after a slow write, unless it dies first). Memory: the keys of the records
 * of the whole store are grouped per partition during the pass. One run at a time per caller;
 * thread-safe otherwise.
 */
public final class SharedSweep {
  private static final int SEGMENTS = 16;

  /** What a run found and did. */
  public record Report(
      long partitions,
      long nodesDeleted,
      long strayRecordsDeleted,
      long indexEntriesAdded,
      long indexEntriesDeleted) {}

  private final SharedRecordStore store;
  private final long graceMillis;
  private final Map<String, TableRecords> tables = new HashMap<>(); // by table key (hex)
  // keyed by "tableKeyHex/tokenHex" (the table key: SharedKeys.TABLE_KEY_BYTES of the table id)
  private final Map<String, Set<Long>> nodes = new HashMap<>(); // node ids
  private final Map<String, Long> index = new HashMap<>(); // entry version (time)
  private final List<BackendKey> chunks = new ArrayList<>();
  private final List<BackendKey> stray = new ArrayList<>();
  private Set<String> registered;
  private long partitions;
  private long nodesDeleted;
  private long strayDeleted;
  private long indexAdded;
  private long indexDeleted;

  private SharedSweep(SharedRecordStore store) {
    this.store = store;
    this.graceMillis = store.garbageGraceMillis();
  }

  /**
   * Runs a sweep.
   *
   * @param liveTables the tables of the catalog, read again just before the sweep's first look
   */
  public static Report run(SharedRecordStore store, Supplier<List<TableRecords>> liveTables) {
    SharedSweep s = new SharedSweep(store);
    s.registered = s.registeredTables();
    for (TableRecords t : liveTables.get()) {
      s.tables.put(tableKeyHex(t.tableId), t);
    }
    s.scan();
    Map<String, Set<Long>> candidates = s.firstLook();
    List<BackendKey> indexCandidates = s.staleIndexEntries();
    boolean anything =
        !candidates.isEmpty()
            || !indexCandidates.isEmpty()
            || !s.chunks.isEmpty()
            || !s.stray.isEmpty();
    if (anything) {
      sleep(s.graceMillis);
      s.registered = s.registeredTables();
      s.secondLook(candidates);
      s.deleteStaleIndexEntries(indexCandidates);
      s.deleteOrphanChunks();
      s.deleteStray();
    }
    return new Report(s.partitions, s.nodesDeleted, s.strayDeleted, s.indexAdded, s.indexDeleted);
  }

  private Set<String> registeredTables() {
    Set<String> out = new HashSet<>();
    store.tableIds().forEach(id -> out.add(tableKeyHex(id)));
    return out;
  }

  private static String tableKeyHex(byte[] tableId) {
    return hex(tableId, 0, SharedKeys.TABLE_KEY_BYTES);
  }

  private static String hex(byte[] b, int from, int to) {
    return HexFormat.of().formatHex(Arrays.copyOfRange(b, from, to));
  }

  /** The first pass: every record of the backend, grouped. */
  private void scan() {
    int id = SharedKeys.TABLE_KEY_BYTES;
    int node = SharedKeys.NODE_PARTITION_BYTES;
    for (int segment = 0; segment < SEGMENTS; segment++) {
      BackendKey start = null;
      do {
        ScanPage page = store.backend().scan(segment, SEGMENTS, start, 1000);
        for (BackendRecord r : page.records()) {
          byte[] pk = r.partitionKey();
          if (pk.length != node
              && pk.length != node + 1
              && pk.length != SharedKeys.INDEX_PARTITION_BYTES) {
            continue; // the store's own records, namespaces and leases
          }
          String table = hex(pk, 0, id);
          if (!registered.contains(table)) {
            stray.add(r.key());
          } else if (pk.length == node) {
            nodes
                .computeIfAbsent(table + "/" + hex(pk, id, node), k -> new HashSet<>())
                .add(SharedKeys.nodeId(r.sortKey()));
          } else if (pk.length == node + 1) {
            chunks.add(r.key());
          } else {
            index.put(table + "/" + HexFormat.of().formatHex(r.sortKey()), r.version());
          }
        }
        start = page.lastKey();
      } while (start != null);
    }
  }

  /**
   * Unreachable nodes older than the grace period, per partition; also indexes what the index
   * misses.
   */
  private Map<String, Set<Long>> firstLook() {
    Map<String, Set<Long>> candidates = new HashMap<>();
    long old = System.currentTimeMillis() - graceMillis;
    for (Map.Entry<String, Set<Long>> e : nodes.entrySet()) {
      String[] parts = e.getKey().split("/");
      TableRecords t = tables.get(parts[0]);
      if (t == null) {
        continue; // created by another instance after this one read its catalog: not judged now
      }
      partitions++;
      byte[] token = HexFormat.of().parseHex(parts[1]);
      if (!index.containsKey(e.getKey()) && e.getValue().contains(0L)) {
        store.index(t.ns, token);
        indexAdded++;
      }
      Set<Long> reached = new SharedReseal(t, t.shared(), store).reachable(token);
      Set<Long> unreached = new HashSet<>();
      for (long id : e.getValue()) {
        if (id != 0 && !reached.contains(id) && SharedKeys.nodeIdMillis(id) < old) {
          unreached.add(id);
        }
      }
      if (!unreached.isEmpty()) {
        candidates.put(e.getKey(), unreached);
      }
    }
    return candidates;
  }

  private void secondLook(Map<String, Set<Long>> candidates) {
    for (Map.Entry<String, Set<Long>> e : candidates.entrySet()) {
      String[] parts = e.getKey().split("/");
      TableRecords t = tables.get(parts[0]);
      if (!registered.contains(parts[0])) {
        continue; // the table was deleted meanwhile: its records went with it
      }
      byte[] token = HexFormat.of().parseHex(parts[1]);
      Set<Long> reached = new SharedReseal(t, t.shared(), store).reachable(token);
      List<Long> garbage = new ArrayList<>();
      for (long id : e.getValue()) {
        if (!reached.contains(id)) {
          garbage.add(id);
        }
      }
      t.shared().discard(token, garbage);
      nodesDeleted += garbage.size();
    }
  }

  /** Index entries of partitions the pass found no record of, older than the grace period. */
  private List<BackendKey> staleIndexEntries() {
    List<BackendKey> out = new ArrayList<>();
    long old = System.currentTimeMillis() - graceMillis;
    for (Map.Entry<String, Long> e : index.entrySet()) {
      if (!nodes.containsKey(e.getKey()) && e.getValue() < old) {
        String[] parts = e.getKey().split("/");
        byte[] tableKey = HexFormat.of().parseHex(parts[0]);
        byte[] token = HexFormat.of().parseHex(parts[1]);
        out.add(
            BackendKey.of(SharedKeys.indexPartition(tableKey, SharedKeys.bucket(token)), token));
      }
    }
    return out;
  }

  private void deleteStaleIndexEntries(List<BackendKey> entries) {
    for (BackendKey k : entries) {
      byte[] tableKey = Arrays.copyOf(k.partitionKey(), SharedKeys.TABLE_KEY_BYTES);
      byte[] token = k.sortKey();
      Long seen =
          index.get(HexFormat.of().formatHex(tableKey) + "/" + HexFormat.of().formatHex(token));
      byte[] pk = SharedKeys.nodePartition(tableKey, token);
      if (!store.backend().query(pk, null, true, 1).isEmpty()) {
        continue; // written meanwhile
      }
      try {
        store.backend().delete(k.partitionKey(), k.sortKey(), WriteCondition.version(seen));
        indexDeleted++;
      } catch (ConditionFailedException e) {
        // indexed again by a writer that is creating the partition: keep it
      }
    }
  }

  private void deleteOrphanChunks() {
    for (BackendKey c : chunks) {
      byte[] pk = c.partitionKey();
      byte[] sk = c.sortKey();
      if (sk.length < 11) {
        continue; // not owner sort key (a root's 1 byte, a node's 8) || chunk set (8) || index (2)
      }
      byte[] ownerPk = Arrays.copyOf(pk, pk.length - 1);
      byte[] ownerSk = Arrays.copyOf(sk, sk.length - 10);
      long chunkSet = 0;
      for (int i = 0; i < 8; i++) {
        chunkSet = (chunkSet << 8) | (sk[sk.length - 10 + i] & 0xFF);
      }
      BackendRecord owner = store.backend().get(ownerPk, ownerSk);
      boolean named = false;
      if (owner != null) {
        for (BackendKey k : SharedValues.chunkKeys(owner)) {
          named |= k.equals(c);
        }
      }
      if (!named && chunkSetOld(ownerSk)) {
        store.backend().delete(pk, sk, WriteCondition.none());
        nodesDeleted++;
      }
    }
  }

  /**
   * Whether chunks of a record with this sort key may be judged: a root's chunk sets carry no time,
   * and a root's chunks are only left behind by a crash, so they are judged like a young node's
   * only in the second look; a node's id carries its time.
   */
  private boolean chunkSetOld(byte[] ownerSk) {
    if (ownerSk.length != 8) {
      return true; // a store record's, or a root's (sort key 0x00)
    }
    long id = SharedKeys.nodeId(ownerSk);
    return id == 0 || SharedKeys.nodeIdMillis(id) < System.currentTimeMillis() - 2 * graceMillis;
  }

  private void deleteStray() {
    List<BackendKey> gone = new ArrayList<>();
    for (BackendKey k : stray) {
      if (!registered.contains(hex(k.partitionKey(), 0, SharedKeys.TABLE_KEY_BYTES))) {
        gone.add(k);
      }
    }
    store.deleteAll(gone);
    strayDeleted += gone.size();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(
          "Interrupted while waiting out the grace period of a garbage collection", e);
    }
  }
}
