package dev.coffer;

import java.util.Objects;

/**
 * A primary key: the partition key value and, for tables with a sort key, the sort key value.
 * Attribute names are the table's; a {@code Key} carries values only. Immutable and thread-safe.
 */
public final class Key {
  private final AttributeValue partition;
  private final AttributeValue sort;

  private Key(AttributeValue partition, AttributeValue sort) {
    this.partition = Objects.requireNonNull(partition, "partition");
    this.sort = sort;
  }

  /** A key of a table without a sort key. */
  public static Key of(AttributeValue partition) {
    return new Key(partition, null);
  }

  /** A key of a table with a sort key. */
  public static Key of(AttributeValue partition, AttributeValue sort) {
    return new Key(partition, Objects.requireNonNull(sort, "sort"));
  }

  /** A string partition key. */
  public static Key of(String partition) {
    return of(AttributeValue.s(partition));
  }

  /** A string partition key and string sort key. */
  public static Key of(String partition, String sort) {
    return of(AttributeValue.s(partition), AttributeValue.s(sort));
  }

  /** The partition key value. */
  public AttributeValue partition() {
    return partition;
  }

  /** The sort key value, or null for a table without a sort key. */
  public AttributeValue sort() {
    return sort;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key
        && ((Key) o).partition.equals(partition)
        && Objects.equals(((Key) o).sort, sort);
  }

  @Override
  public int hashCode() {
    return partition.hashCode() * 31 + Objects.hashCode(sort);
  }

  @Override
  public String toString() {
    return sort == null ? "Key[" + partition + "]" : "Key[" + partition + ", " + sort + "]";
  }
}
