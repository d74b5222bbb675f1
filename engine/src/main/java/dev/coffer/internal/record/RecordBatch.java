package dev.coffer.internal.record;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes committed together by {@link RecordStore#commit}: all or none. A batch is data, a list of
 * operations in order, so that any backend can apply it its own way. The record layer fills it
 * ({@link TableRecords}, {@link CatalogRecords}); callers above it only say which records change.
 * Not thread-safe.
 */
public final class RecordBatch {
  /** What one operation does. */
  public enum Kind {
    /** Writes the value under the key. */
    PUT,
    /** Appends the value to the value under the key. */
    APPEND,
    /** Deletes the key. */
    DELETE
  }

  /** One operation (the value is null for a delete). */
  public record Operation(Kind kind, RecordStore.Namespace namespace, byte[] key, byte[] value) {}

  private final List<Operation> operations = new ArrayList<>();
  private final boolean synced;

  /** Set once the freshness map's writes and the state were added ({@link FreshStore}). */
  boolean freshnessAdded;

  /**
   * Run by {@link FreshStore#commit} once the batch committed: makes the map changes {@link
   * FreshStore#stageRenewal} added the current ones. Null when there are none.
   */
  Runnable afterCommit;

  private RecordBatch(boolean synced) {
    this.synced = synced;
  }

  /** A batch whose commit is as durable as the store's single writes. */
  public static RecordBatch create() {
    return new RecordBatch(false);
  }

  /** A batch whose commit waits until it is durable on disk. */
  public static RecordBatch createSynced() {
    return new RecordBatch(true);
  }

  void put(RecordStore.Namespace ns, byte[] key, byte[] value) {
    operations.add(new Operation(Kind.PUT, ns, key, value));
  }

  void append(RecordStore.Namespace ns, byte[] key, byte[] value) {
    operations.add(new Operation(Kind.APPEND, ns, key, value));
  }

  void delete(RecordStore.Namespace ns, byte[] key) {
    operations.add(new Operation(Kind.DELETE, ns, key, null));
  }

  /** The operations, in order. */
  public List<Operation> operations() {
    return Collections.unmodifiableList(operations);
  }

  /** Whether the commit must be durable before it returns. */
  public boolean synced() {
    return synced;
  }

  /** Whether the batch holds no operation. */
  public boolean isEmpty() {
    return operations.isEmpty();
  }
}
