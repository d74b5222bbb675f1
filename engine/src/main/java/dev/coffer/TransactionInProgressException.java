package dev.coffer;

/**
 * A TransactWriteItems call carries the {@code ClientRequestToken} of a transaction that is still
 * running. Nothing was changed by this call; retry it once the first one has returned.
 */
public class TransactionInProgressException extends CofferException {
  private static final long serialVersionUID = 1L;

  public TransactionInProgressException(String message) {
    super("TransactionInProgressException", message);
  }
}
