package dev.coffer;

import java.util.Objects;

/**
 * One Get of a TransactGetItems ({@link TransactGetItemsRequest}): a table, a key and an optional
 * projection. Immutable and thread-safe.
 */
public final class TransactGetItem {
  private final String tableName;
  private final Key key;
  private final Projection projection;

  private TransactGetItem(String tableName, Key key, Projection projection) {
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.key = Objects.requireNonNull(key, "key");
    this.projection = projection;
  }

  /** The whole item with {@code key} of table {@code tableName}. */
  public static TransactGetItem of(String tableName, Key key) {
    return new TransactGetItem(tableName, key, null);
  }

  /** The item with {@code key}, projected (null: whole). */
  public static TransactGetItem of(String tableName, Key key, Projection projection) {
    return new TransactGetItem(tableName, key, projection);
  }

  public String tableName() {
    return tableName;
  }

  public Key key() {
    return key;
  }

  /** The ProjectionExpression, or null for the whole item. */
  public Projection projection() {
    return projection;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactGetItem g
        && g.tableName.equals(tableName)
        && g.key.equals(key)
        && Objects.equals(g.projection, projection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tableName, key, projection);
  }

  @Override
  public String toString() {
    return "Get[" + tableName + ", " + key + (projection == null ? "" : ", " + projection) + "]";
  }
}
