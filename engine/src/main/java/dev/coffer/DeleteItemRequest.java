package dev.coffer;

import java.util.Objects;

/**
 * A DeleteItem request ({@link Table#deleteItem(DeleteItemRequest)}): the key, an optional
 * condition ({@link Condition}), what to return ({@link ReturnValue#NONE} or {@link
 * ReturnValue#ALL_OLD}) and whether a failed condition returns the item. Deleting an item that does
 * not exist succeeds (when the condition holds for "no item").
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} requires the key.
 */
public final class DeleteItemRequest extends ConditionalWriteRequest {
  private final Key key;

  private DeleteItemRequest(Builder b) {
    super(b);
    this.key = Objects.requireNonNull(b.key, "key");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().key(key).writeOptionsOf(this);
  }

  /** The key of the item to delete. */
  public Key key() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeleteItemRequest r && r.key.equals(key) && sameWriteOptions(r);
  }

  @Override
  public int hashCode() {
    return hashWith(key);
  }

  @Override
  public String toString() {
    return "DeleteItemRequest[key=" + key + writeOptionsString() + "]";
  }

  /**
   * Builds a {@link DeleteItemRequest}: the key, and the condition, ReturnValues and
   * ReturnValuesOnConditionCheckFailure as for the other item writes. Not thread-safe.
   */
  public static final class Builder extends ConditionalWriteRequest.Builder<Builder> {
    private Key key;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The key of the item to delete (required). */
    public Builder key(Key key) {
      this.key = key;
      return this;
    }

    /**
     * @throws NullPointerException without a key
     */
    public DeleteItemRequest build() {
      return new DeleteItemRequest(this);
    }
  }
}
