package dev.coffer;

import java.util.Objects;

/**
 * A PutItem request ({@link Table#putItem(PutItemRequest)}): the item, an optional condition
 * (DynamoDB's ConditionExpression, typed or parsed: {@link Condition}), what to return ({@link
 * ReturnValue#NONE} or {@link ReturnValue#ALL_OLD}) and whether a failed condition returns the
 * item.
 *
 * <pre>{@code
 * table.putItem(PutItemRequest.builder().item(user)
 *     .condition(Condition.attributeNotExists("email")).build());    // create only if free
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} requires the item; the table checks the
 * rest when it runs the request.
 */
public final class PutItemRequest {
  private final Item item;
  private final Condition condition;
  private final ReturnValue returnValues;
  private final ReturnValuesOnConditionCheckFailure onConditionFailure;

  private PutItemRequest(Builder b) {
    this.item = Objects.requireNonNull(b.item, "item");
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
        .item(item)
        .condition(condition)
        .returnValues(returnValues)
        .returnValuesOnConditionCheckFailure(onConditionFailure);
  }

  /** The item to write, key attributes included. */
  public Item item() {
    return item;
  }

  /** The condition the current item (or no item) must meet, or null for none. */
  public Condition condition() {
    return condition;
  }

  /** What to return: {@link ReturnValue#NONE} (default) or {@link ReturnValue#ALL_OLD}. */
  public ReturnValue returnValues() {
    return returnValues;
  }

  /**
   * Whether a failed condition returns the item ({@link ReturnValuesOnConditionCheckFailure#NONE}
   * by default).
   */
  public ReturnValuesOnConditionCheckFailure returnValuesOnConditionCheckFailure() {
    return onConditionFailure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutItemRequest r
        && r.item.equals(item)
        && Objects.equals(r.condition, condition)
        && r.returnValues == returnValues
        && r.onConditionFailure == onConditionFailure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(item, condition, returnValues, onConditionFailure);
  }

  @Override
  public String toString() {
    return "PutItemRequest[item="
        + item
        + (condition == null ? "" : ", condition=" + condition)
        + ", returnValues="
        + returnValues
        + "]";
  }

  /** Builds a {@link PutItemRequest}. Not thread-safe. */
  public static final class Builder {
    private Item item;
    private Condition condition;
    private ReturnValue returnValues;
    private ReturnValuesOnConditionCheckFailure onConditionFailure;

    private Builder() {}

    public Builder item(Item item) {
      this.item = item;
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
     * @throws NullPointerException without an item
     */
    public PutItemRequest build() {
      return new PutItemRequest(this);
    }
  }
}
