package dev.coffer;

import java.util.List;

/**
 * What {@link Coffer#verify()} found, table by table (sorted by name). Immutable and thread-safe.
 *
 * @param tables one verification per table
 */
public record StoreVerification(List<TableVerification> tables) {

  public StoreVerification {
    tables = List.copyOf(tables);
  }

  /** Every finding of every table. */
  public List<VerifyFinding> findings() {
    return tables.stream().flatMap(t -> t.findings().stream()).toList();
  }

  /** Whether nothing was found wrong in any table. */
  public boolean clean() {
    return tables.stream().allMatch(TableVerification::clean);
  }
}
