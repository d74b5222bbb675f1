package dev.coffer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.internal.record.RecordBatch;
import dev.coffer.internal.record.RecordCursor;
import dev.coffer.internal.record.RecordStore;
import dev.coffer.proto.StoredNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link RecordStore} decorator for tests, plugged in through {@code Coffer.open(dir, options,
 * backend)}: it counts what the engine asks of the backend, can run a hook after a commit, and can
 * simulate a crash: the chosen operation throws, and every later write is dropped without a word,
 * as if the process had died there (the files keep what was written before; the engine's clean-up
 * after the failure, and its close, write nothing). Thread-safe.
 */
final class TestBackend implements RecordStore {
  private final RecordStore delegate;
  private final AtomicLong tableReads = new AtomicLong();
  private final ThreadLocal<long[]> tableReadsOfThisThread =
      ThreadLocal.withInitial(() -> new long[1]);
  private final ThreadLocal<long[]> openedOfThisThread = ThreadLocal.withInitial(() -> new long[3]);
  private final AtomicLong tableWrites = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong tableCommits = new AtomicLong();
  private volatile Predicate<String> crashAt = op -> false;
  private volatile boolean crashed;
  private volatile Consumer<RecordBatch> afterCommit = b -> {};
  private volatile Consumer<byte[]> beforeSeek = k -> {};

  TestBackend(RecordStore delegate) {
    this.delegate = delegate;
  }

  /** Opens {@code dir} with the options through a test backend; {@code out[0]} receives it. */
  static Coffer open(Path dir, CofferOptions options, TestBackend[] out) {
    return Coffer.open(dir, options, store -> out[0] = new TestBackend(store));
  }

  /**
   * What the engine asked of the backend so far: {@code commits} of any batch, {@code tableCommits}
   * of batches that change a table's records (not only the store's own: catalog entries, the
   * state).
   */
  record Counters(long tableReads, long tableWrites, long commits, long tableCommits) {}

  Counters counters() {
    return new Counters(tableReads.get(), tableWrites.get(), commits.get(), tableCommits.get());
  }

  /**
   * Reads of table records made by the calling thread; a background fold's reads are not among
   * them.
   */
  long tableReadsOfThisThread() {
    return tableReadsOfThisThread.get()[0];
  }

  private void countTableRead() {
    tableReads.incrementAndGet();
    tableReadsOfThisThread.get()[0]++;
  }

  /**
   * What the calling thread's point reads of table records returned: {@code values} read (found),
   * {@code records} in them (a node's page and its delta records: each one is opened), and their
   * {@code bytes}.
   */
  record Opened(long values, long records, long bytes) {}

  Opened openedByThisThread() {
    long[] o = openedOfThisThread.get();
    return new Opened(o[0], o[1], o[2]);
  }

  private void countOpened(byte[] value) {
    long[] o = openedOfThisThread.get();
    o[0]++;
    o[2] += value.length;
    try {
      StoredNode n = StoredNode.parseFrom(value);
      o[1] += n.getRecordsCount() + n.getDeltasCount();
    } catch (InvalidProtocolBufferException e) {
      o[1]++; // not a stored node: one record
    }
  }

  /**
   * The first operation {@code at} accepts ("commit", "createTable", "dropTable", "put", "append",
   * "delete") fails with {@link StorageException}; every later write is dropped (a later
   * createTable fails too: it has no namespace to return).
   */
  void crashAt(Predicate<String> at) {
    this.crashAt = at;
  }

  /**
   * Runs {@code hook} with the key before each seek of a cursor over a table's records, on the
   * seeking thread (until replaced).
   */
  void beforeSeek(Consumer<byte[]> hook) {
    this.beforeSeek = hook;
  }

  /** Runs {@code hook} after each successful commit (until replaced). */
  void afterCommit(Consumer<RecordBatch> hook) {
    this.afterCommit = hook;
  }

  /** Whether the write {@code op} goes through: false once crashed; throws at the crash itself. */
  private boolean write(String op) {
    if (crashed) {
      return false;
    }
    if (crashAt.test(op)) {
      crashed = true;
      throw new StorageException("simulated crash at " + op);
    }
    return true;
  }

  private static boolean isTable(Namespace ns) {
    return ns.tableId() != null;
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
  public Namespace table(byte[] tableId, String tableName) {
    return delegate.table(tableId, tableName);
  }

  @Override
  public Namespace createTable(byte[] tableId, String tableName) {
    if (!write("createTable")) {
      throw new StorageException("simulated crash: the process is gone");
    }
    return delegate.createTable(tableId, tableName);
  }

  @Override
  public void dropTable(byte[] tableId) {
    if (!write("dropTable")) {
      return;
    }
    delegate.dropTable(tableId);
  }

  @Override
  public byte[] get(Namespace ns, byte[] key) {
    if (!isTable(ns)) {
      return delegate.get(ns, key);
    }
    countTableRead();
    byte[] value = delegate.get(ns, key);
    if (value != null) {
      countOpened(value);
    }
    return value;
  }

  @Override
  public long writeSequence() {
    return delegate.writeSequence();
  }

  @Override
  public void put(Namespace ns, byte[] key, byte[] value) {
    if (!write("put")) {
      return;
    }
    if (isTable(ns)) {
      tableWrites.incrementAndGet();
    }
    delegate.put(ns, key, value);
  }

  @Override
  public void append(Namespace ns, byte[] key, byte[] value) {
    if (!write("append")) {
      return;
    }
    if (isTable(ns)) {
      tableWrites.incrementAndGet();
    }
    delegate.append(ns, key, value);
  }

  @Override
  public void delete(Namespace ns, byte[] key) {
    if (!write("delete")) {
      return;
    }
    if (isTable(ns)) {
      tableWrites.incrementAndGet();
    }
    delegate.delete(ns, key);
  }

  @Override
  public void commit(RecordBatch batch) {
    if (!write("commit")) {
      return;
    }
    commits.incrementAndGet();
    if (batch.operations().stream().anyMatch(o -> isTable(o.namespace()))) {
      tableCommits.incrementAndGet();
    }
    delegate.commit(batch);
    afterCommit.accept(batch);
  }

  @Override
  public RecordCursor cursor(Namespace ns, boolean verifying) {
    if (!isTable(ns)) {
      return delegate.cursor(ns, verifying);
    }
    countTableRead();
    RecordCursor c = delegate.cursor(ns, verifying);
    return new RecordCursor() {
      @Override
      public void seekToFirst() {
        c.seekToFirst();
      }

      @Override
      public void seek(byte[] key) {
        beforeSeek.accept(key);
        c.seek(key);
      }

      @Override
      public boolean valid() {
        return c.valid();
      }

      @Override
      public void next() {
        c.next();
      }

      @Override
      public byte[] key() {
        return c.key();
      }

      @Override
      public byte[] value() {
        return c.value();
      }

      @Override
      public void close() {
        c.close();
      }
    };
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
