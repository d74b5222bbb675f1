package dev.coffer.spi;

import dev.coffer.StorageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link RecordBackend} in memory, for tests: what DynamoDB offers Coffer (conditional single
 * writes, ordered partitions, segmented scans) and nothing more, shared by every Coffer instance a
 * test opens on it. It counts requests, keeps values as small as a test asks (so that chunking is
 * exercised), and can fail operations: {@link #failWhen} makes matching operations throw {@link
 * StorageException} (the write not applied), and {@link #crashAfter} applies a matching write and
 * then throws, as a process that died after its request was sent. Thread-safe (one lock).
 */
public final class MemoryBackend implements RecordBackend {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private final NavigableMap<byte[], NavigableMap<byte[], BackendRecord>> partitions =
      new TreeMap<>(UNSIGNED);
  private final int maxValueBytes;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private volatile Predicate<String> failWhen = op -> false;
  private volatile Predicate<String> crashAfter = op -> false;
  private volatile boolean closed;

  /** A backend whose values hold at most {@code maxValueBytes}. */
  public MemoryBackend(int maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  /** A backend with DynamoDB's value limit. */
  public MemoryBackend() {
    this(400_000);
  }

  /**
   * Makes the operations {@code op} accepts ("get", "query", "put", "delete", "scan") fail,
   * unapplied.
   */
  public void failWhen(Predicate<String> op) {
    this.failWhen = op;
  }

  /** Makes the writes {@code op} accepts ("put", "delete") apply and then throw. */
  public void crashAfter(Predicate<String> op) {
    this.crashAfter = op;
  }

  /** Requests served so far. */
  public long requests() {
    return requests.get();
  }

  /** Writes (puts and deletes) served so far. */
  public long writes() {
    return writes.get();
  }

  /** Every record, in partition order. */
  public synchronized List<BackendRecord> all() {
    List<BackendRecord> out = new ArrayList<>();
    partitions.values().forEach(p -> out.addAll(p.values()));
    return out;
  }

  /**
   * Replaces a record as someone with write access to the backend could (null value: removes it).
   */
  public synchronized void rawPut(byte[] pk, byte[] sk, byte[] value, long version) {
    if (value == null) {
      NavigableMap<byte[], BackendRecord> p = partitions.get(pk);
      if (p != null) {
        p.remove(sk);
      }
      return;
    }
    partitions
        .computeIfAbsent(pk.clone(), k -> new TreeMap<>(UNSIGNED))
        .put(sk.clone(), BackendRecord.of(pk, sk, value, version));
  }

  private void enter(String op) {
    if (closed) {
      throw new StorageException("memory backend is closed");
    }
    requests.incrementAndGet();
    if (failWhen.test(op)) {
      throw new StorageException("simulated backend failure at " + op);
    }
  }

  private void leave(String op) {
    if (crashAfter.test(op)) {
      throw new StorageException("simulated failure after " + op + " was applied");
    }
  }

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public int maxValueBytes() {
    return maxValueBytes;
  }

  @Override
  public synchronized BackendRecord get(byte[] partitionKey, byte[] sortKey) {
    enter("get");
    NavigableMap<byte[], BackendRecord> p = partitions.get(partitionKey);
    return p == null ? null : p.get(sortKey);
  }

  @Override
  public synchronized List<BackendRecord> query(
      byte[] partitionKey, byte[] startSortKey, boolean inclusive, int limit) {
    enter("query");
    NavigableMap<byte[], BackendRecord> p = partitions.get(partitionKey);
    if (p == null) {
      return List.of();
    }
    Map<byte[], BackendRecord> tail = startSortKey == null ? p : p.tailMap(startSortKey, inclusive);
    List<BackendRecord> out = new ArrayList<>();
    for (BackendRecord r : tail.values()) {
      if (out.size() == limit) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  @Override
  public synchronized BackendRecord put(BackendRecord record, WriteCondition condition) {
    enter("put");
    if (record.valueLength() > maxValueBytes) {
      throw new StorageException(
          "Item size has exceeded the maximum allowed size (" + record.valueLength() + ")");
    }
    byte[] pk = record.partitionKey();
    NavigableMap<byte[], BackendRecord> p =
        partitions.computeIfAbsent(pk, k -> new TreeMap<>(UNSIGNED));
    BackendRecord old = p.get(record.sortKey());
    if (!condition.holdsFor(old)) {
      if (p.isEmpty()) {
        partitions.remove(pk);
      }
      throw new ConditionFailedException("The conditional request failed");
    }
    p.put(record.sortKey(), record);
    writes.incrementAndGet();
    leave("put");
    return old;
  }

  @Override
  public synchronized BackendRecord delete(
      byte[] partitionKey, byte[] sortKey, WriteCondition condition) {
    enter("delete");
    NavigableMap<byte[], BackendRecord> p = partitions.get(partitionKey);
    BackendRecord old = p == null ? null : p.get(sortKey);
    if (!condition.holdsFor(old)) {
      throw new ConditionFailedException("The conditional request failed");
    }
    if (old != null) {
      p.remove(sortKey);
      if (p.isEmpty()) {
        partitions.remove(partitionKey);
      }
    }
    writes.incrementAndGet();
    leave("delete");
    return old;
  }

  @Override
  public synchronized ScanPage scan(
      int segment, int totalSegments, BackendKey exclusiveStartKey, int limit) {
    enter("scan");
    List<BackendRecord> out = new ArrayList<>();
    boolean started = exclusiveStartKey == null;
    for (NavigableMap<byte[], BackendRecord> p : partitions.values()) {
      for (BackendRecord r : p.values()) {
        if (Math.floorMod(Arrays.hashCode(r.partitionKey()), totalSegments) != segment) {
          break; // the whole partition is in another segment
        }
        if (!started) {
          started = r.key().equals(exclusiveStartKey);
          continue;
        }
        if (out.size() == limit) {
          return new ScanPage(out, out.get(out.size() - 1).key());
        }
        out.add(r);
      }
    }
    return new ScanPage(out, null);
  }

  @Override
  public void close() {
    // the records stay: another "instance" may open this backend again
  }

  /** Makes every later call fail, as a backend whose process is gone. */
  public void kill() {
    closed = true;
  }
}
