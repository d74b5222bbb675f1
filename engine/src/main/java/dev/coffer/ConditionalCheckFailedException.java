package dev.coffer;

import java.util.Optional;

/**
 * A condition on a write did not hold ({@code ConditionalCheckFailedException}, message {@value
 * #MESSAGE} as DynamoDB's). Nothing was changed. When the write asked for it ({@link
 * ReturnValuesOnConditionCheckFailure#ALL_OLD}) and the item exists, {@link #item()} is the item
 * the condition was evaluated on.
 */
public class ConditionalCheckFailedException extends CofferException {
  private static final long serialVersionUID = 1L;

  /** DynamoDB's message. */
  public static final String MESSAGE = "The conditional request failed";

  private final transient Item item;

  public ConditionalCheckFailedException(String message) {
    this(message, (Item) null);
  }

  public ConditionalCheckFailedException(String message, Throwable cause) {
    super("ConditionalCheckFailedException", message, cause);
    this.item = null;
  }

  /** A failed condition carrying the item it was evaluated on (null: none). */
  public ConditionalCheckFailedException(String message, Item item) {
    super("ConditionalCheckFailedException", message);
    this.item = item;
  }

  /** The item the condition was evaluated on, when the write asked for it and the item exists. */
  public Optional<Item> item() {
    return Optional.ofNullable(item);
  }
}
