package dev.coffer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a {@link Query} or {@link Scan} result (DynamoDB's QueryResponse and ScanResponse):
 * the items, {@link #count()}, {@link #scannedCount()} and {@link #lastEvaluatedKey()}. {@code
 * lastEvaluatedKey} is present, as in DynamoDB, whenever the page stopped because it read Limit
 * items or 1 MB of them, even when no item follows (the next page is then empty); it is the key of
 * the last item READ, which a filter may have dropped. Pass it to {@code exclusiveStartKey} to read
 * the next page. Immutable and thread-safe.
 */
public final class Page {
  private final List<Item> items;
  private final int count;
  private final int scannedCount;
  private final Key lastEvaluatedKey;

  /**
   * A page of whole or projected items, none filtered out; {@code lastEvaluatedKey} may be null.
   */
  public Page(List<Item> items, int scannedCount, Key lastEvaluatedKey) {
    this(items, items.size(), scannedCount, lastEvaluatedKey);
  }

  /**
   * A page of {@code count} matching items out of {@code scannedCount} read; {@code items} is empty
   * for {@link Select#COUNT}, else holds the {@code count} items.
   */
  public Page(List<Item> items, int count, int scannedCount, Key lastEvaluatedKey) {
    this.items = List.copyOf(items);
    this.count = count;
    this.scannedCount = scannedCount;
    this.lastEvaluatedKey = lastEvaluatedKey;
  }

  /**
   * The items that passed the filter, projected as asked, in the order read (none for {@link
   * Select#COUNT}).
   */
  public List<Item> items() {
    return items;
  }

  /** The number of items that passed the filter (DynamoDB's Count). */
  public int count() {
    return count;
  }

  /** The number of items read before the filter (DynamoDB's ScannedCount; Limit counts these). */
  public int scannedCount() {
    return scannedCount;
  }

  /** The key to continue after, when more items may follow. */
  public Optional<Key> lastEvaluatedKey() {
    return Optional.ofNullable(lastEvaluatedKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Page
        && ((Page) o).items.equals(items)
        && ((Page) o).count == count
        && ((Page) o).scannedCount == scannedCount
        && Objects.equals(((Page) o).lastEvaluatedKey, lastEvaluatedKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(items, count, scannedCount, lastEvaluatedKey);
  }

  @Override
  public String toString() {
    return "Page[count="
        + count
        + ", scannedCount="
        + scannedCount
        + ", lastEvaluatedKey="
        + lastEvaluatedKey
        + "]";
  }
}
