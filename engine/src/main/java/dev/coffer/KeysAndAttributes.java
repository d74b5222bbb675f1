package dev.coffer;

import java.util.List;
import java.util.Objects;

/**
 * One table's part of a BatchGetItem ({@link BatchGetItemRequest}), and of its unprocessed keys
 * ({@link BatchGetItemResponse#unprocessedKeys()}): the keys, an optional projection and the
 * (accepted, always true) consistent-read flag. Immutable and thread-safe.
 */
public final class KeysAndAttributes {
  private final List<Key> keys;
  private final Projection projection;
  private final boolean consistentRead;

  private KeysAndAttributes(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.projection = b.projection;
    this.consistentRead = b.consistentRead;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The given keys, whole items. */
  public static KeysAndAttributes of(List<Key> keys) {
    return builder().keys(keys).build();
  }

  public Builder toBuilder() {
    return new Builder().keys(keys).projection(projection).consistentRead(consistentRead);
  }

  /** The keys, in the order given. */
  public List<Key> keys() {
    return keys;
  }

  /** The ProjectionExpression, or null for whole items. */
  public Projection projection() {
    return projection;
  }

  /** Whether a strongly consistent read was asked for (every read is). */
  public boolean consistentRead() {
    return consistentRead;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeysAndAttributes k
        && k.keys.equals(keys)
        && Objects.equals(k.projection, projection)
        && k.consistentRead == consistentRead;
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, projection, consistentRead);
  }

  @Override
  public String toString() {
    return "KeysAndAttributes["
        + keys.size()
        + " keys"
        + (projection == null ? "" : ", projection=" + projection)
        + "]";
  }

  /** Builds {@link KeysAndAttributes}. Not thread-safe. */
  public static final class Builder {
    private List<Key> keys = List.of();
    private Projection projection;
    private boolean consistentRead;

    private Builder() {}

    public Builder keys(List<Key> keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    public Builder keys(Key... keys) {
      return keys(List.of(keys));
    }

    /** The ProjectionExpression (null: whole items). */
    public Builder projection(Projection projection) {
      this.projection = projection;
      return this;
    }

    /** Accepted; every read is strongly consistent. */
    public Builder consistentRead(boolean consistentRead) {
      this.consistentRead = consistentRead;
      return this;
    }

    public KeysAndAttributes build() {
      return new KeysAndAttributes(this);
    }
  }
}
