package dev.coffer;

/**
 * A snapshot of the decrypted-page cache's counters, from {@link Coffer#pageCacheStats()}.
 * Immutable. Bytes are the engine's estimate of a cached node's size (its encoded page plus a fixed
 * per-entry overhead), the same measure {@link CofferOptions.Builder#pageCacheBytes(long)} bounds.
 *
 * @param capacityBytes the configured bound; 0 when the cache is off
 * @param residentBytes the bytes held now: reserved before a node enters the cache and released
 *     after it has left, so never below what the cache holds and never above {@code capacityBytes}
 * @param peakResidentBytes the most {@code residentBytes} has been since the store was opened
 * @param nodes the number of cached nodes (approximate while other threads change the cache)
 * @param hits look-ups the cache answered
 * @param misses look-ups it did not (the page was read and opened)
 * @param evictions nodes removed to make room
 */
public record PageCacheStats(
    long capacityBytes,
    long residentBytes,
    long peakResidentBytes,
    long nodes,
    long hits,
    long misses,
    long evictions) {
  /** Hits as a share of look-ups, 0 when there were none. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
