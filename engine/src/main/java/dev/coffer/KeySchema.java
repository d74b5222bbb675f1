package dev.coffer;

import dev.coffer.internal.model.Strings;
import java.util.Objects;

/**
 * A table's primary key: partition key name and type, and optionally sort key name and type (each
 * S, N or B). Names are 1 to 255 characters of valid Unicode ({@link ValidationException}
 * otherwise). Immutable and thread-safe.
 */
public final class KeySchema {
  private final String partitionKeyName;
  private final AttributeType partitionKeyType;
  private final String sortKeyName;
  private final AttributeType sortKeyType;

  private KeySchema(String pkName, AttributeType pkType, String skName, AttributeType skType) {
    this.partitionKeyName = checkName(pkName, "partition");
    this.partitionKeyType = checkType(pkType, pkName);
    this.sortKeyName = skName == null ? null : checkName(skName, "sort");
    this.sortKeyType = skName == null ? null : checkType(skType, skName);
    if (skName != null && skName.equals(pkName)) {
      throw new ValidationException(
          "Invalid KeySchema: Some index key attribute have no definition: both keys are named "
              + pkName);
    }
  }

  /** A schema with a partition key only. */
  public static KeySchema of(String partitionKeyName, AttributeType partitionKeyType) {
    return new KeySchema(partitionKeyName, partitionKeyType, null, null);
  }

  /** A schema with a partition key and a sort key. */
  public static KeySchema of(
      String partitionKeyName,
      AttributeType partitionKeyType,
      String sortKeyName,
      AttributeType sortKeyType) {
    return new KeySchema(
        partitionKeyName,
        partitionKeyType,
        Objects.requireNonNull(sortKeyName, "sortKeyName"),
        sortKeyType);
  }

  public String partitionKeyName() {
    return partitionKeyName;
  }

  public AttributeType partitionKeyType() {
    return partitionKeyType;
  }

  /** The sort key name, or null when the table has none. */
  public String sortKeyName() {
    return sortKeyName;
  }

  /** The sort key type, or null when the table has none. */
  public AttributeType sortKeyType() {
    return sortKeyType;
  }

  public boolean hasSortKey() {
    return sortKeyName != null;
  }

  /** The primary key of {@code item} under this schema (validate the item first). */
  public Key keyOf(Item item) {
    AttributeValue pk = item.get(partitionKeyName);
    return hasSortKey() ? Key.of(pk, item.get(sortKeyName)) : Key.of(pk);
  }

  private static String checkName(String name, String which) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      throw new ValidationException(
          "The " + which + " key attribute name must be 1 to 255 characters long");
    }
    return Strings.checkWellFormed(name, "The " + which + " key attribute name");
  }

  private static AttributeType checkType(AttributeType type, String name) {
    if (type == null || !type.isKeyType()) {
      throw new ValidationException(
          "Member must satisfy enum value set: [B, N, S] (key attribute "
              + name
              + " has type "
              + type
              + ")");
    }
    return type;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeySchema)) {
      return false;
    }
    KeySchema k = (KeySchema) o;
    return partitionKeyName.equals(k.partitionKeyName)
        && partitionKeyType == k.partitionKeyType
        && Objects.equals(sortKeyName, k.sortKeyName)
        && sortKeyType == k.sortKeyType;
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitionKeyName, partitionKeyType, sortKeyName, sortKeyType);
  }

  @Override
  public String toString() {
    return hasSortKey()
        ? "KeySchema["
            + partitionKeyName
            + " "
            + partitionKeyType
            + " HASH, "
            + sortKeyName
            + " "
            + sortKeyType
            + " RANGE]"
        : "KeySchema[" + partitionKeyName + " " + partitionKeyType + " HASH]";
  }
}
