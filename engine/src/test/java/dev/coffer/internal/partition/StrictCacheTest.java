package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link StrictCache}: the entry its constructor puts and removes to allocate Caffeine's frequency
 * sketch early leaves no trace (no resident bytes, no value, no eviction counted, the whole bound
 * free), and the bound holds as before.
 */
class StrictCacheTest {
  private static final class Value {
    final int weight;

    Value(int weight) {
      this.weight = weight;
    }
  }

  @Test
  void theEntryThatPrimesTheSketchLeavesNothingBehind() {
    StrictCache<String, Value> cache = new StrictCache<>(1000, v -> v.weight);
    assertThat(cache.residentBytes()).isZero();
    assertThat(cache.peakResidentBytes()).isZero();
    assertThat(cache.count()).isZero();
    assertThat(cache.weightedSize()).isZero();
    assertThat(cache.evictions()).isZero();

    Value whole = new Value(1000);
    cache.put("a", whole);
    assertThat(cache.get("a")).as("a value of the whole bound fits").isSameAs(whole);
    assertThat(cache.residentBytes()).isEqualTo(1000);
    assertThat(cache.evictions()).isZero();

    cache.invalidateIf(k -> true);
    assertThat(cache.residentBytes()).isZero();
    assertThat(cache.count()).isZero();
  }

  @Test
  void theBoundHoldsAndTheColdestGoFirst() {
    StrictCache<Integer, Value> cache = new StrictCache<>(1000, v -> v.weight);
    for (int i = 0; i < 100; i++) {
      cache.put(i, new Value(100));
      assertThat(cache.residentBytes()).isLessThanOrEqualTo(1000);
    }
    assertThat(cache.peakResidentBytes()).isLessThanOrEqualTo(1000);
    assertThat(cache.residentBytes()).isEqualTo(cache.weightedSize());
    assertThat(cache.count()).isLessThanOrEqualTo(10);
    assertThat(cache.evictions()).isGreaterThanOrEqualTo(90);
    assertThat(cache.get(99)).as("the newest value is held").isNotNull();
  }

  @Test
  void aBoundAboveWhatAnEntryCanWeighStillWorks() {
    StrictCache<Integer, Value> cache = new StrictCache<>(8L << 30, v -> v.weight);
    cache.put(1, new Value(10));
    assertThat(cache.get(1)).isNotNull();
    assertThat(cache.residentBytes()).isEqualTo(10);
  }

  @Test
  void aBoundOfZeroHoldsNothing() {
    StrictCache<Integer, Value> cache = new StrictCache<>(0, v -> v.weight);
    cache.put(1, new Value(10));
    assertThat(cache.enabled()).isFalse();
    assertThat(cache.get(1)).isNull();
    assertThat(cache.residentBytes()).isZero();
  }
}
