package dev.coffer.internal.keys;

import java.util.Map;
import java.util.TreeMap;

/**
 * The unwrapped key material of one open table: a page key and a seal budget per data-key
 * version (one of them primary, for new seals), and the partition-token key. Immutable apart from
 * the counters; thread-safe. {@link #destroy()} wipes everything.
 */
public final class TableKeys {
  private final Map<Integer, AeadKey> pageKeys;
  private final Map<Integer, SealBudget> budgets;
  private final int primaryVersion;
  private final PartitionTokens tokens;

  /**
   * @param pageKeys page keys by data-key version (ownership passes to this object)
   * @param budgets seal budgets by version
   */
  public TableKeys(
      Map<Integer, AeadKey> pageKeys, Map<Integer, SealBudget> budgets, int primaryVersion, PartitionTokens tokens) {
    this.pageKeys = new TreeMap<>(pageKeys);
    this.budgets = new TreeMap<>(budgets);
    this.primaryVersion = primaryVersion;
    this.tokens = tokens;
    if (!this.pageKeys.containsKey(primaryVersion) || !this.budgets.containsKey(primaryVersion)) {
      throw new IllegalArgumentException("no key for the primary version " + primaryVersion);
    }
  }

  /** The data-key version that seals new pages. */
  public int primaryVersion() {
    return primaryVersion;
  }

  /** The page key of {@code version}, or null when the table has no such (live) version. */
  public AeadKey pageKey(int version) {
    return pageKeys.get(version);
  }

  /** The seal budget of {@code version}. */
  public SealBudget budget(int version) {
    return budgets.get(version);
  }

  /** The partition-token function. */
  public PartitionTokens tokens() {
    return tokens;
  }

  /** Wipes every key. */
  public void destroy() {
    pageKeys.values().forEach(AeadKey::destroy);
    tokens.destroy();
  }
}
