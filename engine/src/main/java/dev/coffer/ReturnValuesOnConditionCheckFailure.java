package dev.coffer;

/**
 * DynamoDB's {@code ReturnValuesOnConditionCheckFailure}: whether a write whose condition failed
 * returns the item it was checked against ({@link ConditionalCheckFailedException#item()}, or a
 * transaction's {@link CancellationReason#item()}).
 */
public enum ReturnValuesOnConditionCheckFailure {
  /** The item as it was, when there was one. */
  ALL_OLD,
  /** Nothing (the default). */
  NONE
}
