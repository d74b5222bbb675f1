package dev.coffer.internal.partition;

import dev.coffer.internal.store.RocksStore;

/** The partition machinery of one open store: page cache, node reader, writer and locks. */
public final class Partitions {
  private final RocksStore store;
  private final PageCache cache;
  private final NodeReader reader;
  private final PartitionWriter writer;
  private final PartitionLocks locks = new PartitionLocks();

  public Partitions(RocksStore store, long cacheBytes) {
    this.store = store;
    this.cache = new PageCache(cacheBytes);
    this.reader = new NodeReader(store, cache);
    this.writer = new PartitionWriter(store, reader, cache);
  }

  public RocksStore store() {
    return store;
  }

  public PageCache cache() {
    return cache;
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
}
