package dev.coffer;

import java.util.Objects;

/**
 * An UpdateItem request ({@link Table#updateItem(UpdateItemRequest)}): the key, the update ({@link
 * Update}; null updates nothing but still creates the item from its key when it does not exist, as
 * DynamoDB's UpdateItem without an UpdateExpression), an optional condition, what to return (any
 * {@link ReturnValue}) and whether a failed condition returns the item. As in DynamoDB, an update
 * of an item that does not exist creates it from its key (an upsert), except one whose actions are
 * all REMOVE or DELETE: that one changes nothing and creates no item.
 *
 * <pre>{@code
 * UpdateItemResponse r = table.updateItem(UpdateItemRequest.builder().key(Key.of("USER#1"))
 *     .update(Update.builder().add("logins", AttributeValue.n(1)).build())
 *     .returnValues(ReturnValue.UPDATED_NEW).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} requires the key.
 */
public final class UpdateItemRequest extends ConditionalWriteRequest {
  private final Key key;
  private final Update update;

  private UpdateItemRequest(Builder b) {
    super(b);
    this.key = Objects.requireNonNull(b.key, "key");
    this.update = b.update;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().key(key).update(update).writeOptionsOf(this);
  }

  /** The key of the item to update (or to create). */
  public Key key() {
    return key;
  }

  /** The UpdateExpression, or null for none. */
  public Update update() {
    return update;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateItemRequest r
        && r.key.equals(key)
        && Objects.equals(r.update, update)
        && sameWriteOptions(r);
  }

  @Override
  public int hashCode() {
    return hashWith(key, update);
  }

  @Override
  public String toString() {
    return "UpdateItemRequest[key="
        + key
        + (update == null ? "" : ", update=" + update)
        + writeOptionsString()
        + "]";
  }

  /**
   * Builds an {@link UpdateItemRequest}: the key and the update, and the condition, ReturnValues
   * and ReturnValuesOnConditionCheckFailure as for the other item writes. Not thread-safe.
   */
  public static final class Builder extends ConditionalWriteRequest.Builder<Builder> {
    private Key key;
    private Update update;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The key of the item to update (required). */
    public Builder key(Key key) {
      this.key = key;
      return this;
    }

    /** The UpdateExpression (null: none). */
    public Builder update(Update update) {
      this.update = update;
      return this;
    }

    /**
     * @throws NullPointerException without a key
     */
    public UpdateItemRequest build() {
      return new UpdateItemRequest(this);
    }
  }
}
