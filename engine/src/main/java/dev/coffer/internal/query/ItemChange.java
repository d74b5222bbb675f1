package dev.coffer.internal.query;

import dev.coffer.ConditionalCheckFailedException;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.ConditionEvaluator;
import dev.coffer.internal.expression.UpdateApplier;
import dev.coffer.internal.expression.UpdateAst;
import dev.coffer.internal.expression.UpdateResult;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.record.Entry;
import java.util.Objects;
import java.util.Set;

/**
 * One write to one item in the engine's terms: a Put, an Update, a Delete or a ConditionCheck, with
 * an optional condition (a checked condition tree) and whether a failed condition returns the item.
 * The single-item operations and the transactions share it: {@link #validate} checks what needs
 * only the request and the key schema (before anything is read), {@link #holds} evaluates the
 * condition on the current item, {@link #apply} computes the new item. Immutable.
 *
 * @param kind what the write does
 * @param key the item's key (for a put, the key of {@code item})
 * @param item the item of a put, else null
 * @param condition the ConditionExpression, or null
 * @param update the UpdateExpression of an update, or null (an update without one creates the item
 *     from its key when absent and otherwise changes nothing)
 * @param returnOldOnFailure whether a failed condition returns the item
 */
public record ItemChange(
    Kind kind, Key key, Item item, Cond condition, UpdateAst update, boolean returnOldOnFailure) {
  /** The kinds of write. */
  public enum Kind {
    PUT,
    UPDATE,
    DELETE,
    CONDITION_CHECK
  }

  public ItemChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if ((kind == Kind.PUT) != (item != null)) {
      throw new IllegalArgumentException("a put has an item; other writes have none");
    }
  }

  /**
   * A put of {@code item} on a table of {@code schema}: the item is validated here (key attributes,
   * sizes), so {@link #validate} has nothing more to check for a put.
   *
   * @throws ValidationException with DynamoDB's message
   */
  public static ItemChange put(
      Item item, KeySchema schema, Cond condition, boolean returnOldOnFailure) {
    ItemSizes.validateItem(item, schema);
    return new ItemChange(Kind.PUT, schema.keyOf(item), item, condition, null, returnOldOnFailure);
  }

  /**
   * Checks the write against the table's key schema and DynamoDB's limits: the key, and that an
   * update writes no key attribute (a put's item was checked by {@link #put}).
   *
   * @throws ValidationException with DynamoDB's message
   */
  public void validate(KeySchema schema) {
    if (kind != Kind.PUT) {
      ItemSizes.validateKey(key, schema);
    }
    if (update != null) {
      UpdateApplier.checkKeyAttributes(update, schema);
    }
  }

  /** Whether the write needs the current item decoded (to evaluate or apply). */
  public boolean readsOld() {
    return condition != null || kind == Kind.UPDATE;
  }

  /**
   * The outcome of {@link #check}: whether the condition holds, and the current item if it was
   * decoded.
   */
  public record Checked(boolean holds, Item old, EncodedItems.Decoded decoded) {
    /** Without the stored encoding of {@code old}. */
    public Checked(boolean holds, Item old) {
      this(holds, old, null);
    }
  }

  /**
   * Evaluates the condition on the stored entry of the item ({@code null}: none), decoding the item
   * only when something needs its values: the condition (one that only asks whether top-level
   * attributes exist is answered from the entry's attribute names, {@link ExistenceConditions}),
   * the caller ({@code needItem}: an update, ReturnValues), or a failed condition that returns it.
   */
  public Checked check(TableContext t, byte[] token, Entry entry, boolean needItem) {
    Item old = null;
    EncodedItems.Decoded decoded = null;
    boolean holds;
    Set<String> names = condition == null || needItem ? null : ExistenceConditions.names(condition);
    if (condition == null) {
      holds = true;
    } else if (names != null) {
      holds = ExistenceConditions.holds(condition, names, entry, t, token);
    } else {
      if (entry != null) {
        decoded = decode(t, token, entry);
        old = decoded == null ? StoredItems.decode(t, token, entry) : decoded.item();
      }
      holds = ConditionEvaluator.matches(condition, old);
    }
    if (old == null && entry != null && (needItem || (!holds && returnOldOnFailure))) {
      decoded = decode(t, token, entry);
      old = decoded == null ? StoredItems.decode(t, token, entry) : decoded.item();
    }
    return new Checked(holds, old, decoded);
  }

  /**
   * An update's old item with the stored bytes of its attributes (its new entry reuses those of the
   * attributes it leaves as they were, {@link EncodedItems#reencode}); null for other writes.
   */
  private EncodedItems.Decoded decode(TableContext t, byte[] token, Entry entry) {
    return kind == Kind.UPDATE ? StoredItems.decodeKeepingEncoding(t, token, entry) : null;
  }

  /** Whether the condition holds for {@code old} (null: no item). */
  public boolean holds(Item old) {
    return condition == null || ConditionEvaluator.matches(condition, old);
  }

  /** The exception of a failed condition on {@code old}. */
  public ConditionalCheckFailedException failed(Item old) {
    return new ConditionalCheckFailedException(
        ConditionalCheckFailedException.MESSAGE, returnOldOnFailure ? old : null);
  }

  /**
   * What the write does to {@code old} (null: no item), its condition having held.
   *
   * @throws ValidationException when an update cannot apply to this item (DynamoDB's message)
   */
  public Applied apply(Item old, KeySchema schema) {
    return apply(old, schema, false);
  }

  /**
   * {@link #apply(Item, KeySchema)}; for an update, {@code updatedAttributes} says whether to
   * compute what UPDATED_OLD and UPDATED_NEW return (null in the result otherwise).
   */
  public Applied apply(Item old, KeySchema schema, boolean updatedAttributes) {
    switch (kind) {
      case PUT:
        return new Applied(item, null);
      case DELETE:
        return new Applied(null, null);
      case CONDITION_CHECK:
        return new Applied(old, null);
      case UPDATE:
        if (update == null) {
          Item created = old != null ? old : keyItem(schema);
          return new Applied(created, new UpdateResult(created, Item.empty(), Item.empty()));
        }
        UpdateResult r = UpdateApplier.apply(update, old, key, schema, updatedAttributes);
        return new Applied(r.item(), r);
      default:
        throw new AssertionError(kind);
    }
  }

  private Item keyItem(KeySchema schema) {
    Item.Builder b = Item.builder().put(schema.partitionKeyName(), key.partition());
    if (schema.hasSortKey()) {
      b.put(schema.sortKeyName(), key.sort());
    }
    return b.build();
  }

  /**
   * The outcome of a write: the item after it ({@code null} when there is none: a delete, or an
   * update of only REMOVE and DELETE actions on an item that does not exist, which writes nothing),
   * and for an update what UPDATED_OLD and UPDATED_NEW return.
   */
  public record Applied(Item item, UpdateResult update) {}
}
