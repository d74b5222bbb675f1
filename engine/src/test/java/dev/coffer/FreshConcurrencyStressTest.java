package dev.coffer;

/**
 * {@link ConcurrencyStressTest} with freshness on: writers, the background folder and readers race
 * on shared partitions (one freshness bucket), and no read may fail with a false alarm while a
 * writer's batch is committed but its map nodes not yet installed.
 */
class FreshConcurrencyStressTest extends ConcurrencyStressTest {
  @Override
  CofferOptions.Builder options(TestStores stores) {
    return stores.freshOptions();
  }
}
