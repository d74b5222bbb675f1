package dev.coffer;

/**
 * A snapshot of the partition metadata's counters, from {@link Coffer#partitionMetadataStats()}:
 * what Coffer keeps in memory per partition of a table with a sort key so that a put appends its
 * delta record without reading anything, and a get reads only its leaf (the inner nodes of the
 * partition's tree as compact routing copies, and per leaf its next delta number and what is known
 * of its size). Immutable. Bytes are the engine's estimate of the memory each partition's metadata
 * occupies (arrays, objects, the cache entry), the measure {@link
 * CofferOptions.Builder#partitionMetadataBytes(long)} bounds; the bound is strict, as the page
 * cache's is ({@link PageCacheStats}), and separate from it.
 *
 * @param capacityBytes the configured bound; 0 when the metadata is off
 * @param residentBytes the bytes held now: reserved before a partition's metadata enters and
 *     released after it has left, so never below what is held and never above {@code capacityBytes}
 * @param peakResidentBytes the most {@code residentBytes} has been since the store was opened
 * @param partitions the number of partitions whose metadata is held (approximate while other
 *     threads change it)
 * @param hits look-ups that found a partition's metadata
 * @param misses look-ups that did not (the partition's root was read, and its metadata kept)
 * @param evictions partitions whose metadata was removed to make room (read again when needed)
 */
public record PartitionMetadataStats(
    long capacityBytes,
    long residentBytes,
    long peakResidentBytes,
    long partitions,
    long hits,
    long misses,
    long evictions) {
  /** Hits as a share of look-ups, 0 when there were none. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
