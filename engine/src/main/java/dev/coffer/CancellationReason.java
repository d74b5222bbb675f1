package dev.coffer;

import java.util.Objects;
import java.util.Optional;

/**
 * Why one action of a cancelled transaction failed, or {@code None} for an action that would have
 * succeeded ({@link TransactionCanceledException#cancellationReasons()} has one per action, in the
 * request's order). Codes are DynamoDB's: {@value #NONE}, {@value #CONDITIONAL_CHECK_FAILED}
 * (message {@value ConditionalCheckFailedException#MESSAGE}, and the item when the action asked for
 * it with {@link ReturnValuesOnConditionCheckFailure#ALL_OLD}), {@value #VALIDATION_ERROR} (the
 * action cannot apply to the item as it is: an update operand of the wrong type, a result over 400
 * KB, ...; the message says which). Immutable and thread-safe.
 */
public final class CancellationReason {
  /** The action would have succeeded. */
  public static final String NONE = "None";

  /** The action's condition did not hold. */
  public static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";

  /** The action cannot apply to the item as it is. */
  public static final String VALIDATION_ERROR = "ValidationError";

  private static final CancellationReason SUCCEEDED = new CancellationReason(NONE, null, null);

  private final String code;
  private final String message;
  private final Item item;

  private CancellationReason(String code, String message, Item item) {
    this.code = Objects.requireNonNull(code, "code");
    this.message = message;
    this.item = item;
  }

  /** The reason of an action that would have succeeded: code {@value #NONE}, no message. */
  public static CancellationReason none() {
    return SUCCEEDED;
  }

  /** A reason with {@code code}, {@code message} (null: none) and {@code item} (null: none). */
  public static CancellationReason of(String code, String message, Item item) {
    return new CancellationReason(code, message, item);
  }

  /** The code, e.g. {@value #CONDITIONAL_CHECK_FAILED}. */
  public String code() {
    return code;
  }

  /** The message, or null (for {@value #NONE}). */
  public String message() {
    return message;
  }

  /** The item the action's condition was evaluated on, when it asked for it and the item exists. */
  public Optional<Item> item() {
    return Optional.ofNullable(item);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CancellationReason r
        && r.code.equals(code)
        && Objects.equals(r.message, message)
        && Objects.equals(r.item, item);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, message, item);
  }

  @Override
  public String toString() {
    return "CancellationReason["
        + code
        + (message == null ? "" : ": " + message)
        + (item == null ? "" : ", item")
        + "]";
  }
}
