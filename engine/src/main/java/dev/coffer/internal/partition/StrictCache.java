package dev.coffer.internal.partition;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A Caffeine cache whose byte bound holds at every instant, shared by the page cache ({@link
 * PageCache}) and the partition metadata ({@link PartitionMetadata}).
 *
 * <p>Caffeine inserts first and evicts afterwards (on the inserting thread or the next one to run
 * its maintenance), so on its own its weighted size passes the bound for a moment after every
 * insert into a full cache, by as much as several threads insert at once. This class therefore
 * keeps its own count of <em>resident bytes</em>: a value's weight is reserved before it enters the
 * map and released only after it has left (from Caffeine's removal listener, which runs on the
 * removing thread), so the count is never below the bytes the map holds. A reservation that would
 * pass the bound first removes the coldest values in Caffeine's eviction order, as many as it
 * takes, about 1/64 of the capacity at a time. A value heavier than the whole capacity is not
 * cached (its older version is dropped). A value's weight must not change while it is cached
 * (replace it with a new instance instead). With a capacity of 0 it holds nothing. Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class StrictCache<K, V> {
  /**
   * How many entries the constructor puts and removes ({@link #primeFrequencySketch}): Caffeine
   * sizes the sketch for the entries it holds when it allocates it, and re-tunes its window every
   * ten times that many accesses.
   */
  private static final int PRIMERS = 1024;

  /** The keys and values the constructor puts and removes; never visible to callers. */
  private static final class Primer {
    final boolean last;

    Primer(boolean last) {
      this.last = last;
    }
  }

  private final Cache<Object, Object> cache;
  private final ToIntFunction<V> weigher;
  private final long capacityBytes;
  private final AtomicLong residentBytes = new AtomicLong();
  private final LongAccumulator peakResidentBytes = new LongAccumulator(Math::max, 0);
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /** A cache of at most {@code capacityBytes} as {@code weigher} counts them; 0 turns it off. */
  StrictCache(long capacityBytes, ToIntFunction<V> weigher) {
    this.capacityBytes = Math.max(capacityBytes, 0);
    this.weigher = weigher;
    int primerWeight = (int) Math.min(this.capacityBytes, Integer.MAX_VALUE);
    this.cache =
        capacityBytes <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher(
                    (Object k, Object v) ->
                        v instanceof Primer ? (((Primer) v).last ? primerWeight : 0) : weigh(v))
                .executor(Runnable::run)
                .removalListener(
                    (Object k, Object v, RemovalCause cause) -> {
                      if (!(v instanceof Primer)) {
                        released(v, cause);
                      }
                    })
                .build();
    if (cache != null) {
      primeFrequencySketch();
    }
  }

  /**
   * Makes Caffeine allocate its frequency sketch now rather than when the cache first reaches half
   * its bound: {@value #PRIMERS} entries, the last of which weighs the whole bound (the others
   * nothing), are put and removed at once (nothing is reserved for them, the removal listener
   * ignores them, no caller can see them).
   *
   * <p>Why: Caffeine asks {@code FrequencySketch.isNotInitialized()} on every read and after every
   * write. When the sketch is allocated only after C2 compiled those paths (a cache that reaches
   * half its bound minutes into a run), the compiled code keeps an uncommon trap on that branch
   * that HotSpot takes with {@code Action_none} on every call, without recompiling (JDK-8374307,
   * "deoptimization storm caused by Action_none"): JFR counted 246,000 {@code jdk.Deoptimization}
   * events in 21 s of gets at 5M items, about one per get, each continuing the get in the
   * interpreter. With the sketch allocated before any code is compiled, the branch never changes.
   * Caffeine sizes the sketch for the entries held when it allocates it, and adapts its window
   * every ten times that many accesses, moving up to a thousand entries between its queues each
   * time; hence {@value #PRIMERS} entries rather than one (with one, it re-tuned every 10 accesses,
   * and that took 80 % of a put's CPU while the metadata filled). From half the bound on, Caffeine
   * grows the sketch as it always does. A bound above {@link Integer#MAX_VALUE} bytes cannot be
   * primed this way (an entry weighs an int); such a cache behaves as before.
   */
  private void primeFrequencySketch() {
    Primer[] primers = new Primer[PRIMERS];
    for (int i = 0; i < PRIMERS; i++) {
      primers[i] = new Primer(i == PRIMERS - 1);
      cache.put(primers[i], primers[i]);
    }
    for (Primer p : primers) {
      cache.invalidate(p);
    }
    cache.cleanUp();
  }

  @SuppressWarnings("unchecked")
  private int weigh(Object v) {
    return weigher.applyAsInt((V) v);
  }

  boolean enabled() {
    return cache != null;
  }

  /** The value, counting a hit or a miss. */
  @SuppressWarnings("unchecked")
  V get(K key) {
    if (cache == null) {
      return null;
    }
    V v = (V) cache.getIfPresent(key);
    (v != null ? hits : misses).increment();
    return v;
  }

  /** Caches {@code value} as the current one of {@code key}, replacing any older one. */
  void put(K key, V value) {
    if (cache == null) {
      return;
    }
    long w = weigher.applyAsInt(value);
    if (w > capacityBytes) {
      cache.invalidate(key); // too big to hold; an older version must not stay behind
      return;
    }
    reserve(w);
    Object previous = cache.asMap().put(key, value);
    if (previous == value) {
      release(w); // the same value again: Caffeine reports no removal, so nothing else releases it
    }
  }

  /** Caches {@code value} unless {@code key} has a value; returns the value cached now (either). */
  @SuppressWarnings("unchecked")
  V putIfAbsent(K key, V value) {
    if (cache == null) {
      return value;
    }
    long w = weigher.applyAsInt(value);
    if (w > capacityBytes) {
      return value;
    }
    reserve(w);
    V previous = (V) cache.asMap().putIfAbsent(key, value);
    if (previous != null) {
      release(w);
      return previous;
    }
    return value;
  }

  void invalidate(K key) {
    if (cache != null) {
      cache.invalidate(key);
    }
  }

  /** Drops every value whose key matches. */
  @SuppressWarnings("unchecked")
  void invalidateIf(Predicate<K> which) {
    if (cache != null) {
      cache.asMap().keySet().removeIf(k -> !(k instanceof Primer) && which.test((K) k));
    }
  }

  /** Reserves {@code w} bytes, removing the coldest values until they fit under the capacity. */
  private void reserve(long w) {
    for (; ; ) {
      long current = residentBytes.get();
      if (current + w <= capacityBytes) {
        if (residentBytes.compareAndSet(current, current + w)) {
          peakResidentBytes.accumulate(current + w);
          return;
        }
      } else if (!removeColdest(current + w - capacityBytes)) {
        // The map is empty but bytes are still reserved: other threads are between their
        // reservation and their insert, or between a removal and its release. Both are short.
        Thread.onSpinWait();
      }
    }
  }

  /**
   * Removes the values Caffeine would evict next, up to {@code needed} bytes of them or 1/64 of the
   * capacity, whichever is more (or the coldest value alone, when it weighs more than that), so
   * that the snapshot of the eviction order (taken under Caffeine's eviction lock) is paid once per
   * many inserts into a full cache, not once per insert; the caller repeats until its reservation
   * fits. False when there was nothing to remove.
   */
  private boolean removeColdest(long needed) {
    Policy.Eviction<Object, Object> eviction = cache.policy().eviction().orElseThrow();
    Map<Object, Object> coldest = eviction.coldestWeighted(Math.max(needed, capacityBytes / 64));
    if (coldest.isEmpty()) {
      coldest = eviction.coldest(1); // the coldest value alone weighs more than that
    }
    if (coldest.isEmpty()) {
      return false;
    }
    boolean removedAll = true;
    for (Map.Entry<Object, Object> e : coldest.entrySet()) {
      if (cache.asMap().remove(e.getKey(), e.getValue())) {
        evictions.increment();
      } else {
        removedAll = false;
      }
    }
    if (!removedAll) {
      cache.cleanUp(); // some were gone meanwhile: let the policy catch up with the map
    }
    return true;
  }

  private void released(Object v, RemovalCause cause) {
    if (v != null) {
      release(weigh(v));
      if (cause.wasEvicted()) {
        evictions.increment();
      }
    }
  }

  private void release(long w) {
    residentBytes.addAndGet(-w);
  }

  long capacityBytes() {
    return capacityBytes;
  }

  long residentBytes() {
    return residentBytes.get();
  }

  long peakResidentBytes() {
    return peakResidentBytes.get();
  }

  long size() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long evictions() {
    return evictions.sum();
  }

  /** The weighted size according to Caffeine, after pending evictions ran. */
  long weightedSize() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** The number of values, after pending evictions ran. */
  long count() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Drops everything. */
  void clear() {
    if (cache != null) {
      cache.invalidateAll();
      cache.cleanUp();
    }
  }
}
