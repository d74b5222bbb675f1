package dev.coffer;

import java.util.List;
import java.util.Objects;

/**
 * A TransactGetItems request ({@link Coffer#transactGetItems}): 1 to 100 Gets across tables, read
 * from one consistent snapshot. Immutable and thread-safe.
 */
public final class TransactGetItemsRequest {
  private final List<TransactGetItem> transactItems;

  private TransactGetItemsRequest(List<TransactGetItem> transactItems) {
    this.transactItems = List.copyOf(transactItems);
  }

  /** The Gets, in order. */
  public static TransactGetItemsRequest of(List<TransactGetItem> gets) {
    return new TransactGetItemsRequest(Objects.requireNonNull(gets, "gets"));
  }

  /** The Gets, in order. */
  public static TransactGetItemsRequest of(TransactGetItem... gets) {
    return of(List.of(gets));
  }

  /** The Gets, in order. */
  public List<TransactGetItem> transactItems() {
    return transactItems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactGetItemsRequest r && r.transactItems.equals(transactItems);
  }

  @Override
  public int hashCode() {
    return transactItems.hashCode();
  }

  @Override
  public String toString() {
    return "TransactGetItemsRequest" + transactItems;
  }
}
