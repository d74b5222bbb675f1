package dev.coffer.cli.dynamodb;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.cli.input.Excerpt;

/** The primary key of an item to write, checked against the table's schema before any write. */
public final class ItemKeys {
  private ItemKeys() {}

  /**
   * The key of {@code item}.
   *
   * @throws ValidationException as DynamoDB words it, when a key attribute is missing or of the
   *     wrong type
   */
  public static Key keyOf(KeySchema schema, Item item) {
    AttributeValue pk = check(item, schema.partitionKeyName(), schema.partitionKeyType());
    if (!schema.hasSortKey()) {
      return Key.of(pk);
    }
    return Key.of(pk, check(item, schema.sortKeyName(), schema.sortKeyType()));
  }

  private static AttributeValue check(Item item, String name, AttributeType type) {
    AttributeValue v = item.get(name);
    if (v == null) {
      throw new ValidationException(
          "One or more parameter values were invalid: Missing the key "
              + Excerpt.of(name)
              + " in the item");
    }
    if (v.type() != type) {
      throw new ValidationException(
          "One or more parameter values were invalid: Type mismatch for key "
              + Excerpt.of(name)
              + " expected: "
              + type
              + " actual: "
              + v.type());
    }
    return v;
  }
}
