package dev.coffer;

/**
 * DynamoDB's {@code ReturnValues}: which attributes a write returns. PutItem and DeleteItem take
 * {@link #NONE} and {@link #ALL_OLD}; UpdateItem takes all five. Attributes that would be empty are
 * not returned (the response's {@code attributes()} is empty), as in DynamoDB.
 */
public enum ReturnValue {
  /** Nothing (the default). */
  NONE,
  /** The whole item as it was before the write, if there was one. */
  ALL_OLD,
  /**
   * UpdateItem: the attributes the update wrote (SET, REMOVE, ADD, DELETE targets), as they were.
   */
  UPDATED_OLD,
  /** UpdateItem: the whole item as it is after the update. */
  ALL_NEW,
  /** UpdateItem: the attributes the update wrote, as they are now. */
  UPDATED_NEW
}
