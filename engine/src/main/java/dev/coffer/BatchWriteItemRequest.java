package dev.coffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BatchWriteItem request ({@link Coffer#batchWriteItem}): table name to puts and deletes, at most
 * 25 in all, no key twice in one table. Immutable and thread-safe.
 *
 * <pre>{@code
 * coffer.batchWriteItem(BatchWriteItemRequest.builder()
 *     .requestItems("users", List.of(WriteRequest.put(alice), WriteRequest.delete(Key.of("bob@example.com"))))
 *     .build());
 * }</pre>
 */
public final class BatchWriteItemRequest {
  private final Map<String, List<WriteRequest>> requestItems;

  private BatchWriteItemRequest(Map<String, List<WriteRequest>> requestItems) {
    Map<String, List<WriteRequest>> copy = new LinkedHashMap<>();
    requestItems.forEach((t, w) -> copy.put(t, List.copyOf(w)));
    this.requestItems = Collections.unmodifiableMap(copy);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().requestItems(requestItems);
  }

  /** Table name to its writes, in the order given. */
  public Map<String, List<WriteRequest>> requestItems() {
    return requestItems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchWriteItemRequest r && r.requestItems.equals(requestItems);
  }

  @Override
  public int hashCode() {
    return requestItems.hashCode();
  }

  @Override
  public String toString() {
    return "BatchWriteItemRequest" + requestItems;
  }

  /** Builds a {@link BatchWriteItemRequest}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, List<WriteRequest>> requestItems = new LinkedHashMap<>();

    private Builder() {}

    /** Replaces the request items with {@code items}. */
    public Builder requestItems(Map<String, List<WriteRequest>> items) {
      requestItems.clear();
      items.forEach(this::requestItems);
      return this;
    }

    /** Adds (or replaces) the writes of table {@code tableName}. */
    public Builder requestItems(String tableName, List<WriteRequest> writes) {
      requestItems.put(Objects.requireNonNull(tableName, "tableName"), new ArrayList<>(writes));
      return this;
    }

    public BatchWriteItemRequest build() {
      return new BatchWriteItemRequest(requestItems);
    }
  }
}
