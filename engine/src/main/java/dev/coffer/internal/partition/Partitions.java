package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;

/** The partition machinery of one open store: page cache, partition metadata, node reader, writer and locks. */
public final class Partitions {
  private final PageCache cache;
  private final PartitionMetadata metadata;
  private final NodeReader reader;
  private final PartitionWriter writer;
  private final PartitionLocks locks = new PartitionLocks();

  /** With a page cache of {@code cacheBytes} and partition metadata of {@code metadataBytes} (0: off). */
  public Partitions(long cacheBytes, long metadataBytes) {
    this.cache = new PageCache(cacheBytes);
    this.metadata = new PartitionMetadata(metadataBytes);
    this.reader = new NodeReader(cache);
    this.writer = new PartitionWriter(reader, cache, metadata);
  }

  public PageCache cache() {
    return cache;
  }

  public PartitionMetadata metadata() {
    return metadata;
  }

  public NodeReader reader() {
    return reader;
  }

  public PartitionWriter writer() {
    return writer;
  }

  public PartitionLocks locks() {
    return locks;
  }

  /**
   * The leaf of partition {@code token} whose range holds {@code sortKey} (null: empty partition),
   * for a reader holding the partition's read lock: the inner nodes from the metadata when held.
   */
  public Node leafFor(TableContext t, byte[] token, ByteString sortKey) {
    return metadata.leafFor(reader, t, token, sortKey);
  }

  /** Drops everything held about table {@code table} (after it was deleted). */
  public void invalidateTable(int table) {
    cache.invalidateTable(table);
    metadata.invalidateTable(table);
  }

  /** Drops everything held in memory (at close). */
  public void clear() {
    cache.clear();
    metadata.clear();
  }
}
