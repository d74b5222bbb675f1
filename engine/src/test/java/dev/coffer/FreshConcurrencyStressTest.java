package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConcurrencyStressTest} with freshness on: writers, the background folder and readers race
 * on shared partitions (three partitions: every write rewrites a bucket and the inner nodes above
 * it that other writers' batches rewrite too, the root always), and no read may fail with a false
 * alarm while a writer's batch is committed but its map nodes not yet installed: reads were checked
 * and none failed.
 */
class FreshConcurrencyStressTest extends ConcurrencyStressTest {
  @Override
  CofferOptions.Builder options(TestStores stores) {
    return stores.freshOptions();
  }

  @Override
  void afterRace(Coffer coffer) {
    FreshnessStats stats = coffer.freshnessStats();
    assertThat(stats.enabled()).isTrue();
    assertThat(stats.checkedReads()).isPositive();
    assertThat(stats.failedChecks()).isZero();
  }
}
