package dev.coffer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a {@link Query} or {@link Scan} result. {@link #lastEvaluatedKey()} is present when
 * the page stopped at its limit (or at 1 MB of items) and more items may follow; pass it to {@code
 * exclusiveStartKey} to read the next page. Immutable and thread-safe.
 */
public final class Page {
  private final List<Item> items;
  private final int scannedCount;
  private final Key lastEvaluatedKey;

  /** A page; {@code lastEvaluatedKey} may be null. */
  public Page(List<Item> items, int scannedCount, Key lastEvaluatedKey) {
    this.items = List.copyOf(items);
    this.scannedCount = scannedCount;
    this.lastEvaluatedKey = lastEvaluatedKey;
  }

  /** The items, in the order read. */
  public List<Item> items() {
    return items;
  }

  /** The number of items returned. */
  public int count() {
    return items.size();
  }

  /** The number of items read (equal to {@link #count()}: Coffer has no filter expressions yet). */
  public int scannedCount() {
    return scannedCount;
  }

  /** The key to continue after, when more items may follow. */
  public Optional<Key> lastEvaluatedKey() {
    return Optional.ofNullable(lastEvaluatedKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Page && ((Page) o).items.equals(items) && ((Page) o).scannedCount == scannedCount
        && Objects.equals(((Page) o).lastEvaluatedKey, lastEvaluatedKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(items, scannedCount, lastEvaluatedKey);
  }

  @Override
  public String toString() {
    return "Page[count=" + items.size() + ", lastEvaluatedKey=" + lastEvaluatedKey + "]";
  }
}
