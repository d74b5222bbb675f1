package dev.coffer;

/**
 * {@link NoPlaintextOnDiskTest} with freshness on: the freshness map's nodes, which are not sealed,
 * hold record keys and digests of sealed records, never a table name, attribute name, key or value.
 */
class FreshNoPlaintextOnDiskTest extends NoPlaintextOnDiskTest {
  @Override
  CofferOptions.Builder options(TestStores stores) {
    return stores.freshOptions();
  }
}
