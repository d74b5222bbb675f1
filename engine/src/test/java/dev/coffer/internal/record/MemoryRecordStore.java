package dev.coffer.internal.record;

import dev.coffer.StorageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@link RecordStore} in memory, for unit tests of the layers above the backend: sorted maps per
 * namespace, {@code append} concatenates, a cursor reads a snapshot. It can simulate a crash: the
 * first operation {@link #crashAt} accepts fails, and later writes are dropped, as if the process
 * had died there; {@link #restart()} then lets a test "reopen" what was written. Thread-safe (one
 * lock).
 */
public final class MemoryRecordStore implements RecordStore {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private static final class Space implements Namespace {
    final byte[] tableId;
    final NavigableMap<byte[], byte[]> records = new TreeMap<>(UNSIGNED);

    Space(byte[] tableId) {
      this.tableId = tableId;
    }

    @Override
    public byte[] tableId() {
      return tableId == null ? null : tableId.clone();
    }
  }

  private final Space store = new Space(null);
  private final Map<String, Space> tables = new HashMap<>();
  private Predicate<String> crashAt = op -> false;
  private boolean crashed;
  private int commits;

  /**
   * The first operation {@code at} accepts ("commit", "createTable", "dropTable", "put", "append",
   * "delete") throws; every later write is dropped until {@link #restart()}.
   */
  public synchronized void crashAt(Predicate<String> at) {
    this.crashAt = at;
  }

  /** After a simulated crash: what was written stays, and writes go through again. */
  public synchronized void restart() {
    crashed = false;
    crashAt = op -> false;
  }

  /** Commits made so far. */
  public synchronized int commits() {
    return commits;
  }

  /**
   * The raw value under {@code key} of table {@code tableId} (null: the store's namespace), or
   * null.
   */
  public synchronized byte[] raw(byte[] tableId, byte[] key) {
    Space s = tableId == null ? store : tables.get(HexFormat.of().formatHex(tableId));
    return s == null ? null : s.records.get(key);
  }

  /**
   * Replaces (or with null removes) the raw value under {@code key}, as someone with the files
   * could.
   */
  public synchronized void rawPut(byte[] tableId, byte[] key, byte[] value) {
    Space s = tableId == null ? store : tables.get(HexFormat.of().formatHex(tableId));
    if (value == null) {
      s.records.remove(key);
    } else {
      s.records.put(key, value);
    }
  }

  /** The keys of a namespace, in order. */
  public synchronized List<byte[]> rawKeys(byte[] tableId) {
    Space s = tableId == null ? store : tables.get(HexFormat.of().formatHex(tableId));
    return new ArrayList<>(s.records.keySet());
  }

  private long sequence;

  private boolean write(String op) {
    if (crashed) {
      return false;
    }
    if (crashAt.test(op)) {
      crashed = true;
      throw new StorageException("simulated crash at " + op);
    }
    sequence++;
    return true;
  }

  /** A counter of writes, as RocksDB's sequence number counts them. */
  @Override
  public synchronized long writeSequence() {
    return sequence;
  }

  @Override
  public List<String> recoveryNotes() {
    return List.of();
  }

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public Namespace storeNamespace() {
    return store;
  }

  @Override
  public synchronized List<byte[]> tableIds() {
    List<byte[]> ids = new ArrayList<>();
    tables.values().forEach(s -> ids.add(s.tableId.clone()));
    return ids;
  }

  @Override
  public synchronized Namespace table(byte[] tableId, String tableName) {
    return tables.get(HexFormat.of().formatHex(tableId));
  }

  @Override
  public synchronized Namespace createTable(byte[] tableId, String tableName) {
    if (!write("createTable")) {
      throw new StorageException("simulated crash: the process is gone");
    }
    Space s = new Space(tableId.clone());
    tables.put(HexFormat.of().formatHex(tableId), s);
    return s;
  }

  @Override
  public synchronized void dropTable(byte[] tableId) {
    if (write("dropTable")) {
      tables.remove(HexFormat.of().formatHex(tableId));
    }
  }

  @Override
  public synchronized byte[] get(Namespace ns, byte[] key) {
    byte[] v = ((Space) ns).records.get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public synchronized void put(Namespace ns, byte[] key, byte[] value) {
    if (write("put")) {
      ((Space) ns).records.put(key.clone(), value.clone());
    }
  }

  @Override
  public synchronized void append(Namespace ns, byte[] key, byte[] value) {
    if (write("append")) {
      appendNow((Space) ns, key, value);
    }
  }

  private static void appendNow(Space s, byte[] key, byte[] value) {
    byte[] old = s.records.get(key);
    byte[] joined = old == null ? value.clone() : Arrays.copyOf(old, old.length + value.length);
    if (old != null) {
      System.arraycopy(value, 0, joined, old.length, value.length);
    }
    s.records.put(key.clone(), joined);
  }

  @Override
  public synchronized void delete(Namespace ns, byte[] key) {
    if (write("delete")) {
      ((Space) ns).records.remove(key);
    }
  }

  @Override
  public synchronized void commit(RecordBatch batch) {
    if (!write("commit")) {
      return;
    }
    commits++;
    for (RecordBatch.Operation op : batch.operations()) {
      Space s = (Space) op.namespace();
      switch (op.kind()) {
        case PUT -> s.records.put(op.key().clone(), op.value().clone());
        case APPEND -> appendNow(s, op.key(), op.value());
        case DELETE -> s.records.remove(op.key());
        default -> throw new AssertionError(op.kind());
      }
    }
  }

  @Override
  public synchronized RecordCursor cursor(Namespace ns, boolean verifying) {
    return new Cursor(new TreeMap<>(((Space) ns).records));
  }

  private static final class Cursor implements RecordCursor {
    private final NavigableMap<byte[], byte[]> view;
    private Map.Entry<byte[], byte[]> current;

    Cursor(NavigableMap<byte[], byte[]> view) {
      this.view = view;
    }

    @Override
    public void seekToFirst() {
      current = view.firstEntry();
    }

    @Override
    public void seek(byte[] key) {
      current = view.ceilingEntry(key);
    }

    @Override
    public boolean valid() {
      return current != null;
    }

    @Override
    public void next() {
      current = view.higherEntry(current.getKey());
    }

    @Override
    public byte[] key() {
      return current.getKey().clone();
    }

    @Override
    public byte[] value() {
      return current.getValue().clone();
    }

    @Override
    public void close() {}
  }

  @Override
  public void flush() {}

  @Override
  public void compact(Namespace ns) {}

  @Override
  public void close() {}
}
