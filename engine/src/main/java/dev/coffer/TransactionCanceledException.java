package dev.coffer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A TransactWriteItems call was cancelled: one of its actions failed (a condition that did not
 * hold, an update that cannot apply to its item), so NONE of its actions was applied. {@link
 * #cancellationReasons()} has one reason per action, in the request's order; the message is
 * DynamoDB's, {@code Transaction cancelled, please refer cancellation reasons for specific reasons
 * [ConditionalCheckFailed, None]}.
 */
public class TransactionCanceledException extends CofferException {
  private static final long serialVersionUID = 1L;

  private final transient List<CancellationReason> reasons;

  /** A cancellation with one reason per action and DynamoDB's message listing their codes. */
  public TransactionCanceledException(List<CancellationReason> reasons) {
    this(message(reasons), reasons);
  }

  public TransactionCanceledException(String message, List<CancellationReason> reasons) {
    super("TransactionCanceledException", message);
    this.reasons = List.copyOf(reasons);
  }

  /** DynamoDB's message for {@code reasons}. */
  static String message(List<CancellationReason> reasons) {
    return "Transaction cancelled, please refer cancellation reasons for specific reasons "
        + reasons.stream()
            .map(CancellationReason::code)
            .collect(Collectors.joining(", ", "[", "]"));
  }

  /** One reason per action of the transaction, in the request's order. */
  public List<CancellationReason> cancellationReasons() {
    return reasons == null ? List.of() : reasons;
  }
}
