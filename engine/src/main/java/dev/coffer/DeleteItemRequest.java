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
public final class DeleteItemRequest {
  private final Key key;
  private final Condition condition;
  private final ReturnValue returnValues;
  private final ReturnValuesOnConditionCheckFailure onConditionFailure;

  private DeleteItemRequest(Builder b) {
    this.key = Objects.requireNonNull(b.key, "key");
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
        .condition(condition)
        .returnValues(returnValues)
        .returnValuesOnConditionCheckFailure(onConditionFailure);
  }

  public Key key() {
    return key;
  }

  /** The condition the current item (or no item) must meet, or null for none. */
  public Condition condition() {
    return condition;
  }

  /** What to return: {@link ReturnValue#NONE} (default) or {@link ReturnValue#ALL_OLD}. */
  public ReturnValue returnValues() {
    return returnValues;
  }

  public ReturnValuesOnConditionCheckFailure returnValuesOnConditionCheckFailure() {
    return onConditionFailure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeleteItemRequest r
        && r.key.equals(key)
        && Objects.equals(r.condition, condition)
        && r.returnValues == returnValues
        && r.onConditionFailure == onConditionFailure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, condition, returnValues, onConditionFailure);
  }

  @Override
  public String toString() {
    return "DeleteItemRequest[key="
        + key
        + (condition == null ? "" : ", condition=" + condition)
        + ", returnValues="
        + returnValues
        + "]";
  }

  /** Builds a {@link DeleteItemRequest}. Not thread-safe. */
  public static final class Builder {
    private Key key;
    private Condition condition;
    private ReturnValue returnValues;
    private ReturnValuesOnConditionCheckFailure onConditionFailure;

    private Builder() {}

    public Builder key(Key key) {
      this.key = key;
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
    public DeleteItemRequest build() {
      return new DeleteItemRequest(this);
    }
  }
}
