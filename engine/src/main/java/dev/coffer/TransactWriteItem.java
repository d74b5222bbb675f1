package dev.coffer;

import java.util.Objects;

/**
 * One action of a TransactWriteItems ({@link TransactWriteItemsRequest}), on one item of one table:
 * a Put (optionally conditional), an Update (an {@link Update}, optionally conditional), a Delete
 * (optionally conditional) or a ConditionCheck (a condition on an item the transaction does not
 * change). Immutable and thread-safe.
 *
 * <pre>{@code
 * TransactWriteItem debit = TransactWriteItem.update("accounts", Key.of("alice"),
 *     Update.builder().add("balance", AttributeValue.n(-10)).build(),
 *     Condition.path("balance").ge(AttributeValue.n(10)));
 * TransactWriteItem credit = TransactWriteItem.update("accounts", Key.of("bob"),
 *     Update.builder().add("balance", AttributeValue.n(10)).build(), null);
 * }</pre>
 */
public final class TransactWriteItem {
  /** The four kinds of action. */
  public enum Kind {
    /** Writes an item, replacing any item with its key. */
    PUT,
    /** Applies an update expression to an item (creating it from its key when absent). */
    UPDATE,
    /** Deletes an item (nothing when there is none). */
    DELETE,
    /** Checks a condition on an item, changing nothing. */
    CONDITION_CHECK
  }

  private final Kind kind;
  private final String tableName;
  private final Item item;
  private final Key key;
  private final Update update;
  private final Condition condition;
  private final ReturnValuesOnConditionCheckFailure onConditionFailure;

  private TransactWriteItem(Builder b) {
    this.kind = Objects.requireNonNull(b.kind, "an action: put, update, delete or conditionCheck");
    this.tableName = Objects.requireNonNull(b.tableName, "tableName");
    this.item = b.item;
    this.key = b.key;
    this.update = b.update;
    this.condition = b.condition;
    this.onConditionFailure =
        b.onConditionFailure == null
            ? ReturnValuesOnConditionCheckFailure.NONE
            : b.onConditionFailure;
    if (kind == Kind.CONDITION_CHECK && condition == null) {
      throw new ValidationException("A ConditionCheck needs a ConditionExpression");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b =
        new Builder()
            .tableName(tableName)
            .condition(condition)
            .returnValuesOnConditionCheckFailure(onConditionFailure);
    b.kind = kind;
    b.item = item;
    b.key = key;
    b.update = update;
    return b;
  }

  /** A Put of {@code item} into table {@code tableName}, on {@code condition} (null: none). */
  public static TransactWriteItem put(String tableName, Item item, Condition condition) {
    return builder().tableName(tableName).put(item).condition(condition).build();
  }

  /** An unconditional Put. */
  public static TransactWriteItem put(String tableName, Item item) {
    return put(tableName, item, null);
  }

  /** An Update of the item with {@code key}, on {@code condition} (null: none). */
  public static TransactWriteItem update(
      String tableName, Key key, Update update, Condition condition) {
    return builder().tableName(tableName).update(key, update).condition(condition).build();
  }

  /** A Delete of the item with {@code key}, on {@code condition} (null: none). */
  public static TransactWriteItem delete(String tableName, Key key, Condition condition) {
    return builder().tableName(tableName).delete(key).condition(condition).build();
  }

  /** An unconditional Delete. */
  public static TransactWriteItem delete(String tableName, Key key) {
    return delete(tableName, key, null);
  }

  /** A ConditionCheck of {@code condition} on the item with {@code key}. */
  public static TransactWriteItem conditionCheck(String tableName, Key key, Condition condition) {
    return builder().tableName(tableName).conditionCheck(key).condition(condition).build();
  }

  public Kind kind() {
    return kind;
  }

  public String tableName() {
    return tableName;
  }

  /** The item of a Put; null otherwise. */
  public Item item() {
    return item;
  }

  /** The key of an Update, Delete or ConditionCheck; null for a Put (its key is in the item). */
  public Key key() {
    return key;
  }

  /** The update of an Update; null otherwise. */
  public Update update() {
    return update;
  }

  /** The ConditionExpression, or null (a ConditionCheck always has one). */
  public Condition condition() {
    return condition;
  }

  public ReturnValuesOnConditionCheckFailure returnValuesOnConditionCheckFailure() {
    return onConditionFailure;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactWriteItem t
        && t.kind == kind
        && t.tableName.equals(tableName)
        && Objects.equals(t.item, item)
        && Objects.equals(t.key, key)
        && Objects.equals(t.update, update)
        && Objects.equals(t.condition, condition)
        && t.onConditionFailure == onConditionFailure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, tableName, item, key, update, condition, onConditionFailure);
  }

  /** Every part of the action, deterministically (transactions compare requests by it). */
  @Override
  public String toString() {
    return kind
        + "["
        + tableName
        + ", "
        + (item != null ? "item=" + item : "key=" + key)
        + (update == null ? "" : ", update=" + update)
        + (condition == null ? "" : ", condition=" + condition)
        + (onConditionFailure == ReturnValuesOnConditionCheckFailure.NONE
            ? ""
            : ", " + onConditionFailure)
        + "]";
  }

  /**
   * Builds a {@link TransactWriteItem}: the table, exactly one action, optionally a condition. Not
   * thread-safe.
   */
  public static final class Builder {
    private Kind kind;
    private String tableName;
    private Item item;
    private Key key;
    private Update update;
    private Condition condition;
    private ReturnValuesOnConditionCheckFailure onConditionFailure;

    private Builder() {}

    public Builder tableName(String tableName) {
      this.tableName = tableName;
      return this;
    }

    /** The action: a Put of {@code item}. */
    public Builder put(Item item) {
      return action(Kind.PUT, Objects.requireNonNull(item, "item"), null, null);
    }

    /** The action: an Update of the item with {@code key} by {@code update}. */
    public Builder update(Key key, Update update) {
      return action(
          Kind.UPDATE,
          null,
          Objects.requireNonNull(key, "key"),
          Objects.requireNonNull(update, "update"));
    }

    /** The action: a Delete of the item with {@code key}. */
    public Builder delete(Key key) {
      return action(Kind.DELETE, null, Objects.requireNonNull(key, "key"), null);
    }

    /** The action: a ConditionCheck on the item with {@code key} (set the {@link #condition}). */
    public Builder conditionCheck(Key key) {
      return action(Kind.CONDITION_CHECK, null, Objects.requireNonNull(key, "key"), null);
    }

    private Builder action(Kind k, Item i, Key ky, Update u) {
      if (kind != null && kind != k) {
        throw new IllegalStateException(
            "A TransactWriteItem has one action; it already is a " + kind);
      }
      this.kind = k;
      this.item = i;
      this.key = ky;
      this.update = u;
      return this;
    }

    /** The ConditionExpression (null: none). */
    public Builder condition(Condition condition) {
      this.condition = condition;
      return this;
    }

    public Builder returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure value) {
      this.onConditionFailure = value;
      return this;
    }

    /**
     * @throws NullPointerException without a table or an action
     * @throws ValidationException for a ConditionCheck without a condition
     */
    public TransactWriteItem build() {
      return new TransactWriteItem(this);
    }
  }
}
