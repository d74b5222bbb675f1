package dev.coffer.spi;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One record of a {@link RecordBackend}: partition key, sort key, value and version. The keys and
 * the value are opaque bytes (Coffer writes table ids, partition tokens, node ids and sealed
 * ciphertext); the version is a number the writer chooses, compared by {@link
 * WriteCondition#version(long)}. Immutable: the arrays are copied in and out.
 */
public final class BackendRecord {
  private final byte[] partitionKey;
  private final byte[] sortKey;
  private final byte[] value;
  private final long version;

  private BackendRecord(byte[] partitionKey, byte[] sortKey, byte[] value, long version) {
    this.partitionKey = partitionKey;
    this.sortKey = sortKey;
    this.value = value;
    this.version = version;
  }

  /**
   * A record.
   *
   * @throws IllegalArgumentException when a key is empty
   * @throws NullPointerException when an array is null
   */
  public static BackendRecord of(byte[] partitionKey, byte[] sortKey, byte[] value, long version) {
    Objects.requireNonNull(partitionKey, "partitionKey");
    Objects.requireNonNull(sortKey, "sortKey");
    Objects.requireNonNull(value, "value");
    if (partitionKey.length == 0 || sortKey.length == 0) {
      throw new IllegalArgumentException("a record's partition key and sort key must not be empty");
    }
    return new BackendRecord(partitionKey.clone(), sortKey.clone(), value.clone(), version);
  }

  /** The partition key (a copy). */
  public byte[] partitionKey() {
    return partitionKey.clone();
  }

  /** The sort key (a copy). */
  public byte[] sortKey() {
    return sortKey.clone();
  }

  /** The key of this record. */
  public BackendKey key() {
    return BackendKey.of(partitionKey, sortKey);
  }

  /** The value (a copy). */
  public byte[] value() {
    return value.clone();
  }

  /** The value's length in bytes. */
  public int valueLength() {
    return value.length;
  }

  /** The version the writer gave the record. */
  public long version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendRecord r
        && version == r.version
        && Arrays.equals(partitionKey, r.partitionKey)
        && Arrays.equals(sortKey, r.sortKey)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(partitionKey), Arrays.hashCode(sortKey), Arrays.hashCode(value), version);
  }

  /** Keys in hex, the value's length only. */
  @Override
  public String toString() {
    return "BackendRecord["
        + HexFormat.of().formatHex(partitionKey)
        + "/"
        + HexFormat.of().formatHex(sortKey)
        + ", "
        + value.length
        + " bytes, version "
        + version
        + "]";
  }
}
