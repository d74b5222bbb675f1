package dev.coffer;

import java.util.Objects;

/**
 * What {@link PutItemRequest}, {@link DeleteItemRequest} and {@link UpdateItemRequest} share: the
 * ConditionExpression, ReturnValues and ReturnValuesOnConditionCheckFailure, with their builder
 * methods. Package-private: users see these members on the three public requests, whose javadoc
 * shows them as their own. Immutable and thread-safe.
 */
abstract class ConditionalWriteRequest {
  private final Condition condition;
  private final ReturnValue returnValues;
  private final ReturnValuesOnConditionCheckFailure onConditionFailure;

  ConditionalWriteRequest(Builder<?> b) {
    this.condition = b.condition;
    this.returnValues = b.returnValues == null ? ReturnValue.NONE : b.returnValues;
    this.onConditionFailure =
        b.onConditionFailure == null
            ? ReturnValuesOnConditionCheckFailure.NONE
            : b.onConditionFailure;
  }

  /**
   * The ConditionExpression: the condition the current item (or "no item") must meet, or null for
   * none.
   */
  public Condition condition() {
    return condition;
  }

  /**
   * What to return ({@link ReturnValue#NONE} by default): PutItem and DeleteItem take {@link
   * ReturnValue#NONE} or {@link ReturnValue#ALL_OLD}, UpdateItem any {@link ReturnValue}.
   */
  public ReturnValue returnValues() {
    return returnValues;
  }

  /**
   * Whether a failed condition returns the item in its {@link ConditionalCheckFailedException}
   * ({@link ReturnValuesOnConditionCheckFailure#NONE} by default).
   */
  public ReturnValuesOnConditionCheckFailure returnValuesOnConditionCheckFailure() {
    return onConditionFailure;
  }

  /**
   * Whether {@code o} has the same condition, ReturnValues and ReturnValuesOnConditionCheckFailure.
   */
  final boolean sameWriteOptions(ConditionalWriteRequest o) {
    return Objects.equals(o.condition, condition)
        && o.returnValues == returnValues
        && o.onConditionFailure == onConditionFailure;
  }

  /** A hash of the shared fields combined with {@code own}, the subclass's. */
  final int hashWith(Object... own) {
    return Objects.hash(Objects.hash(own), condition, returnValues, onConditionFailure);
  }

  /** {@code ", condition=..., returnValues=..."}, leaving out a null condition. */
  final String writeOptionsString() {
    return (condition == null ? "" : ", condition=" + condition) + ", returnValues=" + returnValues;
  }

  /**
   * The shared builder methods. Not thread-safe.
   *
   * @param <B> the request's own builder
   */
  abstract static class Builder<B extends Builder<B>> {
    private Condition condition;
    private ReturnValue returnValues;
    private ReturnValuesOnConditionCheckFailure onConditionFailure;

    Builder() {}

    /** The builder itself, as its own type. */
    abstract B self();

    /** Copies the shared fields of {@code r} (for {@code toBuilder()}). */
    final B writeOptionsOf(ConditionalWriteRequest r) {
      return condition(r.condition)
          .returnValues(r.returnValues)
          .returnValuesOnConditionCheckFailure(r.onConditionFailure);
    }

    /** The ConditionExpression (null: none). */
    public B condition(Condition condition) {
      this.condition = condition;
      return self();
    }

    /** The ReturnValues (null: {@link ReturnValue#NONE}). */
    public B returnValues(ReturnValue returnValues) {
      this.returnValues = returnValues;
      return self();
    }

    /**
     * The ReturnValuesOnConditionCheckFailure (null: {@link
     * ReturnValuesOnConditionCheckFailure#NONE}).
     */
    public B returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure value) {
      this.onConditionFailure = value;
      return self();
    }
  }
}
