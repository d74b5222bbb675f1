package dev.coffer;

import java.util.Objects;
import java.util.Optional;

/**
 * The response of DeleteItem: with {@link ReturnValue#ALL_OLD}, the item deleted, if there was one.
 * Immutable and thread-safe.
 */
public final class DeleteItemResponse {
  private static final DeleteItemResponse EMPTY = new DeleteItemResponse(null);

  private final Item attributes;

  private DeleteItemResponse(Item attributes) {
    this.attributes = attributes;
  }

  /** A response returning {@code attributes} (null or empty: none). */
  public static DeleteItemResponse of(Item attributes) {
    return attributes == null || attributes.size() == 0
        ? EMPTY
        : new DeleteItemResponse(attributes);
  }

  /** The attributes returned (DynamoDB's {@code Attributes}), if any. */
  public Optional<Item> attributes() {
    return Optional.ofNullable(attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeleteItemResponse r && Objects.equals(r.attributes, attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(attributes);
  }

  @Override
  public String toString() {
    return "DeleteItemResponse[" + (attributes == null ? "" : "attributes=" + attributes) + "]";
  }
}
