package dev.coffer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A BatchGetItem request ({@link Coffer#batchGetItem}): table name to the keys to read there, at
 * most 100 keys in all, none twice in one table. Immutable and thread-safe.
 *
 * <pre>{@code
 * BatchGetItemResponse r = coffer.batchGetItem(BatchGetItemRequest.builder()
 *     .requestItems("users", KeysAndAttributes.of(List.of(Key.of("a@example.com"), Key.of("b@example.com"))))
 *     .build());
 * }</pre>
 */
public final class BatchGetItemRequest {
  private final Map<String, KeysAndAttributes> requestItems;

  private BatchGetItemRequest(Map<String, KeysAndAttributes> requestItems) {
    this.requestItems = Collections.unmodifiableMap(new LinkedHashMap<>(requestItems));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().requestItems(requestItems);
  }

  /** Table name to its keys, in the order given. */
  public Map<String, KeysAndAttributes> requestItems() {
    return requestItems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchGetItemRequest r && r.requestItems.equals(requestItems);
  }

  @Override
  public int hashCode() {
    return requestItems.hashCode();
  }

  @Override
  public String toString() {
    return "BatchGetItemRequest" + requestItems;
  }

  /** Builds a {@link BatchGetItemRequest}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, KeysAndAttributes> requestItems = new LinkedHashMap<>();

    private Builder() {}

    /** Replaces the request items with {@code items}. */
    public Builder requestItems(Map<String, KeysAndAttributes> items) {
      requestItems.clear();
      items.forEach(this::requestItems);
      return this;
    }

    /** Adds (or replaces) the keys of table {@code tableName}. */
    public Builder requestItems(String tableName, KeysAndAttributes keys) {
      requestItems.put(
          Objects.requireNonNull(tableName, "tableName"), Objects.requireNonNull(keys, "keys"));
      return this;
    }

    public BatchGetItemRequest build() {
      return new BatchGetItemRequest(requestItems);
    }
  }
}
