package dev.coffer;

import java.util.List;

/**
 * What {@link Table#verify()} found: how much it read, and every finding. A table verifies clean
 * when there is no finding. Immutable and thread-safe.
 *
 * @param tableName the table
 * @param partitions partitions that have at least one stored node
 * @param nodes stored nodes (pages), reachable or not
 * @param deltaRecords delta records appended to them
 * @param items items in the leaves their trees reach, delta records applied
 * @param findings what is wrong, in key order
 */
public record TableVerification(
    String tableName,
    long partitions,
    long nodes,
    long deltaRecords,
    long items,
    List<VerifyFinding> findings) {

  public TableVerification {
    findings = List.copyOf(findings);
  }

  /** Whether nothing was found wrong. */
  public boolean clean() {
    return findings.isEmpty();
  }
}
