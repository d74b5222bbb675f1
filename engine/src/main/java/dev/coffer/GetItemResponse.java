package dev.coffer;

import java.util.Objects;
import java.util.Optional;

/**
 * The response of GetItem: the item (projected when the request had a projection; a projection that
 * selects nothing the item has gives an empty item), or nothing when there is no item with the key.
 * Immutable and thread-safe.
 */
public final class GetItemResponse {
  private static final GetItemResponse NOT_FOUND = new GetItemResponse(null);

  private final Item item;

  private GetItemResponse(Item item) {
    this.item = item;
  }

  /** A response with {@code item} (null: not found). */
  public static GetItemResponse of(Item item) {
    return item == null ? NOT_FOUND : new GetItemResponse(item);
  }

  /** The item, if there is one. */
  public Optional<Item> item() {
    return Optional.ofNullable(item);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GetItemResponse r && Objects.equals(r.item, item);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(item);
  }

  @Override
  public String toString() {
    return "GetItemResponse[" + (item == null ? "" : "item=" + item) + "]";
  }
}
