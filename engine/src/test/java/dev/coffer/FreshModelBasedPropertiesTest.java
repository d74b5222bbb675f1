package dev.coffer;

/**
 * {@link ModelBasedPropertiesTest} with freshness on ({@link CofferOptions#freshness()}): every
 * operation of the model runs against a store that keeps and checks a freshness map, so a false
 * alarm (a read failing on a record the store wrote itself: after folds, splits, merges, deletes of
 * whole partitions, a reopen without a cache) fails the property.
 */
class FreshModelBasedPropertiesTest extends ModelBasedPropertiesTest {
  @Override
  CofferOptions.Builder options(TestStores stores) {
    return stores.freshOptions();
  }
}
