package dev.coffer.spi;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key of a {@link BackendRecord}: partition key and sort key. Immutable (arrays are copied).
 */
public final class BackendKey {
  private final byte[] partitionKey;
  private final byte[] sortKey;

  private BackendKey(byte[] partitionKey, byte[] sortKey) {
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
  }

  /**
   * A key.
   *
   * @throws IllegalArgumentException when a part is empty
   */
  public static BackendKey of(byte[] partitionKey, byte[] sortKey) {
    Objects.requireNonNull(partitionKey, "partitionKey");
    Objects.requireNonNull(sortKey, "sortKey");
    if (partitionKey.length == 0 || sortKey.length == 0) {
      throw new IllegalArgumentException("a record's partition key and sort key must not be empty");
    }
    return new BackendKey(partitionKey.clone(), sortKey.clone());
  }

  /** The partition key (a copy). */
  public byte[] partitionKey() {
    return partitionKey.clone();
  }

  /** The sort key (a copy). */
  public byte[] sortKey() {
    return sortKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendKey k
        && Arrays.equals(partitionKey, k.partitionKey)
        && Arrays.equals(sortKey, k.sortKey);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(partitionKey) + Arrays.hashCode(sortKey);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(partitionKey) + "/" + HexFormat.of().formatHex(sortKey);
  }
}
