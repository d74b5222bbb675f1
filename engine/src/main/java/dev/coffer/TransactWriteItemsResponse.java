package dev.coffer;

/**
 * The response of a TransactWriteItems call that applied (or, for a repeated ClientRequestToken,
 * had applied) every action. It carries nothing today (DynamoDB's consumed capacity and item
 * collection metrics have no meaning in Coffer). Immutable and thread-safe.
 */
public final class TransactWriteItemsResponse {
  private static final TransactWriteItemsResponse APPLIED = new TransactWriteItemsResponse();

  private TransactWriteItemsResponse() {}

  /** The response of an applied transaction. */
  public static TransactWriteItemsResponse applied() {
    return APPLIED;
  }

  @Override
  public String toString() {
    return "TransactWriteItemsResponse[]";
  }
}
