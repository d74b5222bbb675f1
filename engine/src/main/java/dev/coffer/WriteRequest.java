package dev.coffer;

import java.util.Objects;

/**
 * One write of a BatchWriteItem ({@link BatchWriteItemRequest}): a put of an item ({@link
 * #put(Item)}) or a delete of a key ({@link #delete(Key)}); no conditions, as in DynamoDB.
 * Immutable and thread-safe.
 */
public final class WriteRequest {
  private final Item item;
  private final Key key;

  private WriteRequest(Item item, Key key) {
    this.item = item;
    this.key = key;
  }

  /** DynamoDB's PutRequest. */
  public static WriteRequest put(Item item) {
    return new WriteRequest(Objects.requireNonNull(item, "item"), null);
  }

  /** DynamoDB's DeleteRequest. */
  public static WriteRequest delete(Key key) {
    return new WriteRequest(null, Objects.requireNonNull(key, "key"));
  }

  /** Whether this is a put. */
  public boolean isPut() {
    return item != null;
  }

  /** The item of a put, or null for a delete. */
  public Item item() {
    return item;
  }

  /** The key of a delete, or null for a put. */
  public Key key() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteRequest w
        && Objects.equals(w.item, item)
        && Objects.equals(w.key, key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(item, key);
  }

  @Override
  public String toString() {
    return item != null ? "PutRequest[" + item + "]" : "DeleteRequest[" + key + "]";
  }
}
