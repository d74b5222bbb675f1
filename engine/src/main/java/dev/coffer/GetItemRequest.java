package dev.coffer;

import java.util.Objects;

/**
 * A GetItem request ({@link Table#getItem(GetItemRequest)}): the key and an optional projection
 * ({@link Projection}: document paths, nested parts included). {@code consistentRead} is accepted
 * for DynamoDB compatibility; Coffer's reads are always strongly consistent.
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} requires the key.
 */
public final class GetItemRequest {
  private final Key key;
  private final Projection projection;
  private final boolean consistentRead;

  private GetItemRequest(Builder b) {
    this.key = Objects.requireNonNull(b.key, "key");
    this.projection = b.projection;
    this.consistentRead = b.consistentRead;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().key(key).projection(projection).consistentRead(consistentRead);
  }

  public Key key() {
    return key;
  }

  /** The ProjectionExpression, or null for the whole item. */
  public Projection projection() {
    return projection;
  }

  /** Whether a strongly consistent read was asked for (every read is). */
  public boolean consistentRead() {
    return consistentRead;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GetItemRequest r
        && r.key.equals(key)
        && Objects.equals(r.projection, projection)
        && r.consistentRead == consistentRead;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, projection, consistentRead);
  }

  @Override
  public String toString() {
    return "GetItemRequest[key="
        + key
        + (projection == null ? "" : ", projection=" + projection)
        + "]";
  }

  /** Builds a {@link GetItemRequest}. Not thread-safe. */
  public static final class Builder {
    private Key key;
    private Projection projection;
    private boolean consistentRead;

    private Builder() {}

    public Builder key(Key key) {
      this.key = key;
      return this;
    }

    /** The ProjectionExpression (null: the whole item). */
    public Builder projection(Projection projection) {
      this.projection = projection;
      return this;
    }

    /** Accepted; every read is strongly consistent. */
    public Builder consistentRead(boolean consistentRead) {
      this.consistentRead = consistentRead;
      return this;
    }

    /**
     * @throws NullPointerException without a key
     */
    public GetItemRequest build() {
      return new GetItemRequest(this);
    }
  }
}
