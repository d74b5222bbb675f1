package dev.coffer;

import java.util.Objects;
import java.util.Optional;

/**
 * The response of PutItem: with {@link ReturnValue#ALL_OLD}, the item the put replaced, if there
 * was one. Immutable and thread-safe.
 */
public final class PutItemResponse {
  private static final PutItemResponse EMPTY = new PutItemResponse(null);

  private final Item attributes;

  private PutItemResponse(Item attributes) {
    this.attributes = attributes;
  }

  /** A response returning {@code attributes} (null or empty: none). */
  public static PutItemResponse of(Item attributes) {
    return attributes == null || attributes.size() == 0 ? EMPTY : new PutItemResponse(attributes);
  }

  /** The attributes returned (DynamoDB's {@code Attributes}), if any. */
  public Optional<Item> attributes() {
    return Optional.ofNullable(attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutItemResponse r && Objects.equals(r.attributes, attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(attributes);
  }

  @Override
  public String toString() {
    return "PutItemResponse[" + (attributes == null ? "" : "attributes=" + attributes) + "]";
  }
}
