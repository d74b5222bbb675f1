package dev.coffer.internal.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unwrapped key material of one open table: a page key and a seal count ({@link SealBudget})
 * per live data-key version (one of them primary, for new seals), and the partition-token key. A
 * data-key rotation {@linkplain #addPrimary adds} a version and makes it primary; destroying a
 * version {@linkplain #destroyVersion wipes} its page key. Thread-safe. {@link #destroy()} wipes
 * everything.
 */
public final class TableKeys {
  private final Map<Integer, AeadKey> pageKeys;
  private final Map<Integer, SealBudget> budgets;
  private volatile int primaryVersion;
  private final PartitionTokens tokens;
  private volatile boolean olderEnvelopesRefused;

  /**
   * @param pageKeys page keys by data-key version (ownership passes to this object)
   * @param budgets seal budgets by version
   */
  public TableKeys(
      Map<Integer, AeadKey> pageKeys,
      Map<Integer, SealBudget> budgets,
      int primaryVersion,
      PartitionTokens tokens) {
    this.pageKeys = new ConcurrentHashMap<>(pageKeys);
    this.budgets = new ConcurrentHashMap<>(budgets);
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

  /** The seal budget of the primary version. */
  public SealBudget primaryBudget() {
    return budgets.get(primaryVersion);
  }

  /** The seal budget of {@code version}. */
  public SealBudget budget(int version) {
    return budgets.get(version);
  }

  /** The live versions, ascending. */
  public List<Integer> liveVersions() {
    List<Integer> out = new ArrayList<>(pageKeys.keySet());
    out.sort(null);
    return out;
  }

  /**
   * Whether records of an envelope format older than the one written are refused: true once the
   * table's catalog entry says every record was re-sealed in the current format ({@code
   * CatalogEntry.older_envelopes_refused}).
   */
  public boolean olderEnvelopesRefused() {
    return olderEnvelopesRefused;
  }

  /** From now on records of an older envelope format are refused (never undone). */
  public void refuseOlderEnvelopes() {
    olderEnvelopesRefused = true;
  }

  /** The partition-token function. */
  public PartitionTokens tokens() {
    return tokens;
  }

  /**
   * Adds version {@code version} (newer than every other) and makes it primary: from now on every
   * seal uses it. Ownership of {@code key} passes to this object.
   */
  public void addPrimary(int version, AeadKey key, SealBudget budget) {
    if (version <= primaryVersion) {
      key.destroy();
      throw new IllegalArgumentException(
          "version " + version + " is not newer than " + primaryVersion);
    }
    budgets.put(version, budget);
    pageKeys.put(version, key);
    primaryVersion = version;
  }

  /**
   * Adds version {@code version} without making it primary (on a shared backend: a version another
   * instance made, then retired, before this one saw it). Ownership of {@code key} passes to this
   * object.
   */
  public void addVersion(int version, AeadKey key, SealBudget budget) {
    if (pageKeys.containsKey(version)) {
      key.destroy();
      return;
    }
    budgets.put(version, budget);
    pageKeys.put(version, key);
  }

  /** Forgets and wipes the page key of a (non-primary) version; nothing it sealed opens again. */
  public void destroyVersion(int version) {
    if (version == primaryVersion) {
      throw new IllegalArgumentException("the primary version " + version + " cannot be destroyed");
    }
    AeadKey key = pageKeys.remove(version);
    if (key != null) {
      key.destroy();
    }
  }

  /** Wipes every key. */
  public void destroy() {
    pageKeys.values().forEach(AeadKey::destroy);
    tokens.destroy();
  }
}
