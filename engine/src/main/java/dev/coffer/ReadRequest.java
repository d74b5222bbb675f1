package dev.coffer;

import java.util.Objects;

/**
 * What {@link QueryRequest} and {@link ScanRequest} share: the FilterExpression, the
 * ProjectionExpression, the {@link Select} and ConsistentRead, with their builder methods.
 * Package-private: users see these members on the two public requests, whose javadoc shows them as
 * their own. Immutable and thread-safe.
 */
abstract class ReadRequest {
  private final Condition filter;
  private final Projection projection;
  private final Select select;
  private final boolean consistentRead;

  ReadRequest(Builder<?> b) {
    this.filter = b.filter;
    this.projection = b.projection;
    this.select = b.select;
    this.consistentRead = b.consistentRead;
  }

  /** The FilterExpression, or null for none. */
  public Condition filter() {
    return filter;
  }

  /** The ProjectionExpression, or null for whole items. */
  public Projection projection() {
    return projection;
  }

  /** The Select, or null: SPECIFIC_ATTRIBUTES with a projection, ALL_ATTRIBUTES without. */
  public Select select() {
    return select;
  }

  /** Whether a strongly consistent read was asked for (every read is). */
  public boolean consistentRead() {
    return consistentRead;
  }

  /** Whether {@code o} asks for the same filter, projection, Select and ConsistentRead. */
  final boolean sameReadOptions(ReadRequest o) {
    return Objects.equals(o.filter, filter)
        && Objects.equals(o.projection, projection)
        && o.select == select
        && o.consistentRead == consistentRead;
  }

  /** A hash of the shared fields combined with {@code own}, the subclass's. */
  final int hashWith(Object own) {
    return Objects.hash(own, filter, projection, select, consistentRead);
  }

  /** {@code <name>[<own>, filter=..., projection=..., select=...]}, leaving out what is null. */
  final String toString(String name, Object own) {
    return name
        + "["
        + own
        + (filter == null ? "" : ", filter=" + filter)
        + (projection == null ? "" : ", projection=" + projection)
        + (select == null ? "" : ", select=" + select)
        + "]";
  }

  /**
   * The shared builder methods. Not thread-safe.
   *
   * @param <B> the request's own builder
   */
  abstract static class Builder<B extends Builder<B>> {
    private Condition filter;
    private Projection projection;
    private Select select;
    private boolean consistentRead;

    Builder() {}

    /** The builder itself, as its own type. */
    abstract B self();

    /** Copies the shared fields of {@code r} (for {@code toBuilder()}). */
    final B readOptionsOf(ReadRequest r) {
      return filter(r.filter)
          .projection(r.projection)
          .select(r.select)
          .consistentRead(r.consistentRead);
    }

    /**
     * The FilterExpression (null: none), applied after Limit counted the items read. A Query's may
     * not name the partition or the sort key; a Scan's may name any attribute.
     */
    public B filter(Condition filter) {
      this.filter = filter;
      return self();
    }

    /** The ProjectionExpression (null: whole items). */
    public B projection(Projection projection) {
      this.projection = projection;
      return self();
    }

    /**
     * The Select (null: SPECIFIC_ATTRIBUTES with a projection, ALL_ATTRIBUTES without); COUNT
     * returns the counts and no items.
     */
    public B select(Select select) {
      this.select = select;
      return self();
    }

    /** Accepted; every read is strongly consistent. */
    public B consistentRead(boolean consistentRead) {
      this.consistentRead = consistentRead;
      return self();
    }
  }
}
