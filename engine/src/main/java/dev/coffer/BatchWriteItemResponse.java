package dev.coffer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response of BatchWriteItem: the writes not applied ({@link #unprocessedItems()}), to send
 * again. Coffer applies a valid batch whole or fails it with an exception, so this is always empty;
 * it is here so that code written for DynamoDB's retry loop works unchanged. Immutable and
 * thread-safe.
 */
public final class BatchWriteItemResponse {
  private static final BatchWriteItemResponse ALL_PROCESSED = new BatchWriteItemResponse(Map.of());

  private final Map<String, List<WriteRequest>> unprocessedItems;

  private BatchWriteItemResponse(Map<String, List<WriteRequest>> unprocessedItems) {
    this.unprocessedItems = Collections.unmodifiableMap(new LinkedHashMap<>(unprocessedItems));
  }

  /** The response of a batch whose writes were all applied. */
  public static BatchWriteItemResponse allProcessed() {
    return ALL_PROCESSED;
  }

  /** Table name to the writes not applied (always empty in Coffer). */
  public Map<String, List<WriteRequest>> unprocessedItems() {
    return unprocessedItems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchWriteItemResponse r && r.unprocessedItems.equals(unprocessedItems);
  }

  @Override
  public int hashCode() {
    return unprocessedItems.hashCode();
  }

  @Override
  public String toString() {
    return "BatchWriteItemResponse[unprocessed=" + unprocessedItems.keySet() + "]";
  }
}
