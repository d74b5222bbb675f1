package dev.coffer;

/**
 * A snapshot of the freshness maps' counters ({@link CofferOptions#freshness()}), from {@link
 * Coffer#freshnessStats()}. Immutable.
 *
 * @param enabled whether the store keeps and checks freshness maps in this session
 * @param checkedReads record reads checked against a map since the store was opened
 * @param failedChecks checks that failed ({@link CorruptionException} thrown)
 * @param cacheCapacityBytes the bound of the map nodes held in memory
 * @param cachedBytes the bytes of map nodes held now (their stored length plus a fixed overhead
 *     each), never above {@code cacheCapacityBytes}
 * @param cacheHits node look-ups the cache answered
 * @param cacheMisses node look-ups it did not (the node was read from the store and checked)
 */
public record FreshnessStats(
    boolean enabled,
    long checkedReads,
    long failedChecks,
    long cacheCapacityBytes,
    long cachedBytes,
    long cacheHits,
    long cacheMisses) {}
