package dev.coffer;

import java.util.Objects;

/**
 * An UpdateItem request ({@link Table#updateItem(UpdateItemRequest)}): the key, the update ({@link
 * Update}; null updates nothing but still creates the item from its key when it does not exist, as
 * DynamoDB's UpdateItem without an UpdateExpression), an optional condition, what to return (any
 * {@link ReturnValue}) and whether a failed condition returns the item.
 *
 * <pre>{@code
 * UpdateItemResponse r = table.updateItem(UpdateItemRequest.builder().key(Key.of("USER#1"))
 *     .update(Update.builder().add("logins", AttributeValue.n(1)).build())
 *     .returnValues(ReturnValue.UPDATED_NEW).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} requires the key.
 */
public final class UpdateItemRequest {
  private final Key key;
  private final Update update;
  private final Condition condition;
  private final ReturnValue returnValues;
  private final ReturnValuesOnConditionCheckFailure onConditionFailure;

  private UpdateItemRequest(Builder b) {
    this.key = Objects.requireNonNull(b.key, "key");
    this.update = b.update;
    this.condition = b.condition;
    this.returnValues = b.returnValues == null ? ReturnValue.NONE : b.returnValues;
    this.onConditionFailure =
        b.onConditionFailure == null
            ? ReturnValuesOnConditionCheckFailure.NONE
            : b.onConditionFailure;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .key(key)
        .update(update)
        .condition(condition)
        .returnValues(returnValues)
        .returnValuesOnConditionCheckFailure(onConditionFailure);
  }

  public Key key() {
    return key;
  }

  /** The UpdateExpression, or null for none. */
  public Update update() {
    return update;
  }

  /** The ConditionExpression, or null for none. */
  public Condition condition() {
    return condition;
  }

  /** What to return ({@link ReturnValue#NONE} by default). */
  public ReturnValue returnValues() {
    return returnValues;
  }

  public ReturnValuesOnConditionCheckFailure returnValuesOnConditionCheckFailure() {
    return onConditionFailure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateItemRequest r
        && r.key.equals(key)
        && Objects.equals(r.update, update)
        && Objects.equals(r.condition, condition)
        && r.returnValues == returnValues
        && r.onConditionFailure == onConditionFailure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, update, condition, returnValues, onConditionFailure);
  }

  @Override
  public String toString() {
    return "UpdateItemRequest[key="
        + key
        + (update == null ? "" : ", update=" + update)
        + (condition == null ? "" : ", condition=" + condition)
        + ", returnValues="
        + returnValues
        + "]";
  }

  /** Builds an {@link UpdateItemRequest}. Not thread-safe. */
  public static final class Builder {
    private Key key;
    private Update update;
    private Condition condition;
    private ReturnValue returnValues;
    private ReturnValuesOnConditionCheckFailure onConditionFailure;

    private Builder() {}

    public Builder key(Key key) {
      this.key = key;
      return this;
    }

    /** The UpdateExpression (null: none). */
    public Builder update(Update update) {
      this.update = update;
      return this;
    }

    /** The ConditionExpression (null: none). */
    public Builder condition(Condition condition) {
      this.condition = condition;
      return this;
    }

    public Builder returnValues(ReturnValue returnValues) {
      this.returnValues = returnValues;
      return this;
    }

    public Builder returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure value) {
      this.onConditionFailure = value;
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
