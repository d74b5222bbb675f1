package dev.coffer.internal.partition;

/** The partition machinery of one open store: page cache, node reader, writer and locks. */
public final class Partitions {
  private final PageCache cache;
  private final NodeReader reader;
  private final PartitionWriter writer;
  private final PartitionLocks locks = new PartitionLocks();

  public Partitions(long cacheBytes) {
    this.cache = new PageCache(cacheBytes);
    this.reader = new NodeReader(cache);
    this.writer = new PartitionWriter(reader, cache);
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
