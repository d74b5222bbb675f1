package dev.coffer;

import java.util.List;
import java.util.Objects;

/**
 * A TransactWriteItems request ({@link Coffer#transactWriteItems}): 1 to 100 actions across tables,
 * all applied or none, and an optional {@code ClientRequestToken} (1 to 36 characters) that makes
 * the call idempotent for 10 minutes. Immutable and thread-safe.
 */
public final class TransactWriteItemsRequest {
  private final List<TransactWriteItem> transactItems;
  private final String clientRequestToken;

  private TransactWriteItemsRequest(Builder b) {
    this.transactItems = List.copyOf(b.transactItems);
    this.clientRequestToken = b.clientRequestToken;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().transactItems(transactItems).clientRequestToken(clientRequestToken);
  }

  /** The actions, in order. */
  public List<TransactWriteItem> transactItems() {
    return transactItems;
  }

  /** The ClientRequestToken, or null. */
  public String clientRequestToken() {
    return clientRequestToken;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactWriteItemsRequest r
        && r.transactItems.equals(transactItems)
        && Objects.equals(r.clientRequestToken, clientRequestToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(transactItems, clientRequestToken);
  }

  @Override
  public String toString() {
    return "TransactWriteItemsRequest["
        + transactItems.size()
        + " actions"
        + (clientRequestToken == null ? "" : ", token " + clientRequestToken)
        + "]";
  }

  /** Builds a {@link TransactWriteItemsRequest}. Not thread-safe. */
  public static final class Builder {
    private List<TransactWriteItem> transactItems = List.of();
    private String clientRequestToken;

    private Builder() {}

    public Builder transactItems(List<TransactWriteItem> items) {
      this.transactItems = Objects.requireNonNull(items, "transactItems");
      return this;
    }

    public Builder transactItems(TransactWriteItem... items) {
      return transactItems(List.of(items));
    }

    /** The ClientRequestToken (null: none). */
    public Builder clientRequestToken(String token) {
      this.clientRequestToken = token;
      return this;
    }

    public TransactWriteItemsRequest build() {
      return new TransactWriteItemsRequest(this);
    }
  }
}
