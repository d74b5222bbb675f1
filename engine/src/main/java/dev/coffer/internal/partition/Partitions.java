package dev.coffer.internal.partition;

import com.google.protobuf.ByteString;
import dev.coffer.internal.catalog.TableContext;
import java.util.function.Consumer;

/**
 * The partition machinery of one open store: page cache, partition metadata, node reader, writer
 * and locks.
 */
public final class Partitions {
  private final PageCache cache;
  private final PartitionMetadata metadata;
  private final NodeReader reader;
  private final PartitionWriter writer;
  private final PartitionLocks locks = new PartitionLocks();
  private final BackgroundFolder folder;

  /**
   * With a page cache of {@code cacheBytes} and partition metadata of {@code metadataBytes} (0:
   * off); leaves are folded in the background under {@code underStore} (which runs a task under the
   * store's shared lifecycle lock and throws once the store is closed), or by writers when it is
   * null.
   */
  public Partitions(long cacheBytes, long metadataBytes, Consumer<Runnable> underStore) {
    this.cache = new PageCache(cacheBytes);
    this.metadata = new PartitionMetadata(metadataBytes);
    this.reader = new NodeReader(cache);
    this.folder =
        underStore == null
            ? null
            : new BackgroundFolder(underStore, locks, PartitionWriter.DEFAULT_FOLD_THRESHOLD);
    this.writer = new PartitionWriter(reader, cache, metadata, folder);
    if (folder != null) {
      folder.writer(writer);
    }
  }

  /** Stops background folding (before the store closes; queued folds are dropped). */
  public void stopFolding() {
    if (folder != null) {
      folder.stop();
    }
  }

  /** Folds done in the background so far. */
  public long backgroundFolds() {
    return folder == null ? 0 : folder.folds();
  }

  /** Waits until the background folds asked for so far have run (tests). */
  public void drainFolds() throws InterruptedException {
    if (folder != null) {
      folder.drain();
    }
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
   * for a reader holding the partition's read lock: the inner nodes from the metadata when held
   * (never on a shared backend).
   */
  public Node leafFor(TableContext t, byte[] token, ByteString sortKey) {
    if (t.records().shared() != null) {
      // a shared backend: the root read fresh (other instances swap it), never the metadata's copy
      Node root = reader.read(t, token, 0);
      return root == null ? null : TreePath.descend(reader, t, token, root, sortKey).leaf();
    }
    return metadata.leafFor(
        reader,
        t,
        token,
        sortKey,
        (leafId, leaf) -> {
          if (folder != null) {
            // reads that keep opening a leaf's delta records get the leaf folded
            folder.readOpened(t, token, leafId, leaf.deltaCount());
          }
        });
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
