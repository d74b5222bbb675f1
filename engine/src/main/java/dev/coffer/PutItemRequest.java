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
public final class PutItemRequest extends ConditionalWriteRequest {
  private final Item item;

  private PutItemRequest(Builder b) {
    super(b);
    this.item = Objects.requireNonNull(b.item, "item");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().item(item).writeOptionsOf(this);
  }

  /** The item to write, key attributes included. */
  public Item item() {
    return item;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PutItemRequest r && r.item.equals(item) && sameWriteOptions(r);
  }

  @Override
  public int hashCode() {
    return hashWith(item);
  }

  @Override
  public String toString() {
    return "PutItemRequest[item=" + item + writeOptionsString() + "]";
  }

  /**
   * Builds a {@link PutItemRequest}: the item, and the condition, ReturnValues and
   * ReturnValuesOnConditionCheckFailure as for the other item writes. Not thread-safe.
   */
  public static final class Builder extends ConditionalWriteRequest.Builder<Builder> {
    private Item item;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The item to write, key attributes included (required). */
    public Builder item(Item item) {
      this.item = item;
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
