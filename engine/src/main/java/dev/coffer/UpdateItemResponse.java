package dev.coffer;

import java.util.Objects;
import java.util.Optional;

/**
 * The response of UpdateItem: the attributes {@link UpdateItemRequest#returnValues()} asked for
 * (none for {@link ReturnValue#NONE}, or when they would be empty). Immutable and thread-safe.
 */
public final class UpdateItemResponse {
  private static final UpdateItemResponse EMPTY = new UpdateItemResponse(null);

  private final Item attributes;

  private UpdateItemResponse(Item attributes) {
    this.attributes = attributes;
  }

  /** A response returning {@code attributes} (null or empty: none). */
  public static UpdateItemResponse of(Item attributes) {
    return attributes == null || attributes.size() == 0
        ? EMPTY
        : new UpdateItemResponse(attributes);
  }

  /** The attributes returned (DynamoDB's {@code Attributes}), if any. */
  public Optional<Item> attributes() {
    return Optional.ofNullable(attributes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateItemResponse r && Objects.equals(r.attributes, attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(attributes);
  }

  @Override
  public String toString() {
    return "UpdateItemResponse[" + (attributes == null ? "" : "attributes=" + attributes) + "]";
  }
}
