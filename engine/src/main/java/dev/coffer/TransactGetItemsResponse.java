package dev.coffer;

import java.util.List;
import java.util.Optional;

/**
 * The response of TransactGetItems: one entry per Get, in the request's order: the item (projected
 * as asked), or empty when there is no item with that key. Every item was read from the same
 * consistent snapshot. Immutable and thread-safe.
 */
public final class TransactGetItemsResponse {
  private final List<Optional<Item>> responses;

  private TransactGetItemsResponse(List<Optional<Item>> responses) {
    this.responses = List.copyOf(responses);
  }

  /** A response. */
  public static TransactGetItemsResponse of(List<Optional<Item>> responses) {
    return new TransactGetItemsResponse(responses);
  }

  /** One entry per Get, in order. */
  public List<Optional<Item>> responses() {
    return responses;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactGetItemsResponse r && r.responses.equals(responses);
  }

  @Override
  public int hashCode() {
    return responses.hashCode();
  }

  @Override
  public String toString() {
    return "TransactGetItemsResponse" + responses;
  }
}
