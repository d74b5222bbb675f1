package dev.coffer;

import java.util.List;
import java.util.stream.Stream;

/**
 * What {@link Coffer#verify()} found, table by table (sorted by name), and in the store's own
 * records. Immutable and thread-safe.
 *
 * @param tables one verification per table
 * @param storeFindings what was found wrong with the store's own records, in no table: with
 *     freshness on ({@link CofferOptions#freshness()}), each difference between the
 *     ClientRequestToken records and their freshness map ({@link
 *     VerifyFinding.Kind#FRESHNESS_MISMATCH}, located {@code ClientRequestToken record <digest
 *     hex>} or at the map node)
 */
public record StoreVerification(List<TableVerification> tables, List<VerifyFinding> storeFindings) {

  public StoreVerification {
    tables = List.copyOf(tables);
    storeFindings = List.copyOf(storeFindings);
  }

  /** The tables' verifications, with no finding in the store's own records. */
  public StoreVerification(List<TableVerification> tables) {
    this(tables, List.of());
  }

  /** Every finding of every table, then the store's own. */
  public List<VerifyFinding> findings() {
    return Stream.concat(
            tables.stream().flatMap(t -> t.findings().stream()), storeFindings.stream())
        .toList();
  }

  /** Whether nothing was found wrong in any table or in the store's own records. */
  public boolean clean() {
    return storeFindings.isEmpty() && tables.stream().allMatch(TableVerification::clean);
  }
}
