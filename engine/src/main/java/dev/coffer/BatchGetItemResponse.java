package dev.coffer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response of BatchGetItem: for each table, the items found (projected as asked; keys without
 * an item are left out; in the order of the request's keys), and the keys not read because the
 * response reached DynamoDB's 16 MB cap ({@link #unprocessedKeys()}: send them again). Immutable
 * and thread-safe.
 */
public final class BatchGetItemResponse {
  private final Map<String, List<Item>> responses;
  private final Map<String, KeysAndAttributes> unprocessedKeys;

  private BatchGetItemResponse(
      Map<String, List<Item>> responses, Map<String, KeysAndAttributes> unprocessedKeys) {
    Map<String, List<Item>> copy = new LinkedHashMap<>();
    responses.forEach((t, items) -> copy.put(t, List.copyOf(items)));
    this.responses = Collections.unmodifiableMap(copy);
    this.unprocessedKeys = Collections.unmodifiableMap(new LinkedHashMap<>(unprocessedKeys));
  }

  /** A response. */
  public static BatchGetItemResponse of(
      Map<String, List<Item>> responses, Map<String, KeysAndAttributes> unprocessedKeys) {
    return new BatchGetItemResponse(responses, unprocessedKeys);
  }

  /** Table name to the items read there (every table of the request, possibly with no items). */
  public Map<String, List<Item>> responses() {
    return responses;
  }

  /** Table name to the keys not read (empty when every key was read). */
  public Map<String, KeysAndAttributes> unprocessedKeys() {
    return unprocessedKeys;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchGetItemResponse r
        && r.responses.equals(responses)
        && r.unprocessedKeys.equals(unprocessedKeys);
  }

  @Override
  public int hashCode() {
    return responses.hashCode() * 31 + unprocessedKeys.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BatchGetItemResponse[");
    responses.forEach(
        (t, items) -> sb.append(t).append(": ").append(items.size()).append(" items; "));
    return sb.append("unprocessed=").append(unprocessedKeys.keySet()).append("]").toString();
  }
}
