package dev.coffer;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One thing {@link Table#verify()} found wrong with a table's stored records, or {@link
 * Coffer#verify()} with the store's own (its ClientRequestToken records: {@link
 * StoreVerification#storeFindings()}), with where it is. Immutable and thread-safe.
 */
public final class VerifyFinding {
  /** What kind of damage. */
  public enum Kind {
    /**
     * A record that does not authenticate or parse: modified, damaged, moved, or sealed under an
     * unknown key.
     */
    CORRUPT_RECORD,
    /** A node that opens but breaks the B+tree's rules (order of keys, separators, heights). */
    MALFORMED_NODE,
    /** A node the partition's tree points at that is not stored. */
    MISSING_NODE,
    /** A stored node no tree reaches (for example after its partition's root was removed). */
    UNREACHABLE_NODE,
    /**
     * Records the storage engine could not read at all (a damaged block); a range of partitions.
     */
    UNREADABLE_RANGE,
    /**
     * With freshness on ({@link CofferOptions#freshness()}): a record that is not what the table's
     * freshness map lists (an older version put back, its newest delta records removed, a deleted
     * record put back, a record or a whole partition removed), or a node of the map missing or not
     * the one its parent lists; or, among a store's findings, the same of a ClientRequestToken
     * record and the map of those (location {@code ClientRequestToken record <digest hex>}).
     */
    FRESHNESS_MISMATCH
  }

  private final Kind kind;
  private final String tableName;
  private final String partitionToken;
  private final String lastPartitionToken;
  private final Long nodeId;
  private final String location;
  private final String message;

  private VerifyFinding(
      Kind kind,
      String tableName,
      String partitionToken,
      String lastPartitionToken,
      Long nodeId,
      String location,
      String message) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
    this.partitionToken = partitionToken;
    this.lastPartitionToken = lastPartitionToken;
    this.nodeId = nodeId;
    this.location = Objects.requireNonNull(location, "location");
    this.message = Objects.requireNonNull(message, "message");
  }

  /** A finding about one node (or record) of one partition. */
  public static VerifyFinding ofNode(
      Kind kind,
      String tableName,
      String partitionToken,
      long nodeId,
      String location,
      String message) {
    return new VerifyFinding(kind, tableName, partitionToken, null, nodeId, location, message);
  }

  /** A finding about a record with no node (a stray key). */
  public static VerifyFinding ofRecord(
      Kind kind, String tableName, String location, String message) {
    return new VerifyFinding(kind, tableName, null, null, null, location, message);
  }

  /**
   * A finding about one of the store's own records, in no table (a ClientRequestToken record, or a
   * node of their freshness map): its {@link #tableName()} is empty.
   */
  public static VerifyFinding ofStoreRecord(Kind kind, String location, String message) {
    return new VerifyFinding(kind, "", null, null, null, location, message);
  }

  /** A finding about the partitions from {@code firstToken} to {@code lastToken}, inclusive. */
  public static VerifyFinding ofRange(
      Kind kind,
      String tableName,
      String firstToken,
      String lastToken,
      String location,
      String message) {
    return new VerifyFinding(kind, tableName, firstToken, lastToken, null, location, message);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The table the finding is in; empty for one of the store's own records ({@link #ofStoreRecord}).
   */
  public String tableName() {
    return tableName;
  }

  /** The partition token in hex (the first of a range), when the finding is about partitions. */
  public Optional<String> partitionToken() {
    return Optional.ofNullable(partitionToken);
  }

  /** The last partition token of a range (inclusive), for {@link Kind#UNREADABLE_RANGE}. */
  public Optional<String> lastPartitionToken() {
    return Optional.ofNullable(lastPartitionToken);
  }

  /** The node id, when the finding is about one node. */
  public OptionalLong nodeId() {
    return nodeId == null ? OptionalLong.empty() : OptionalLong.of(nodeId);
  }

  /**
   * Where, as text: e.g. {@code partition 3fa2... node 7} or {@code partition 3fa2... node 7 delta
   * 12}.
   */
  public String location() {
    return location;
  }

  /** What is wrong. */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifyFinding f
        && kind == f.kind
        && tableName.equals(f.tableName)
        && Objects.equals(partitionToken, f.partitionToken)
        && Objects.equals(lastPartitionToken, f.lastPartitionToken)
        && Objects.equals(nodeId, f.nodeId)
        && location.equals(f.location)
        && message.equals(f.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind, tableName, partitionToken, lastPartitionToken, nodeId, location, message);
  }

  @Override
  public String toString() {
    return kind
        + (tableName.isEmpty() ? " in the store's own records" : " in table " + tableName)
        + ", "
        + location
        + ": "
        + message;
  }
}
