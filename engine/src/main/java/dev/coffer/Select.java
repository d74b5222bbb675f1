package dev.coffer;

/**
 * DynamoDB's {@code Select} of Query and Scan: what a page returns. Without a Select, a request
 * with a projection returns {@link #SPECIFIC_ATTRIBUTES} and one without returns {@link
 * #ALL_ATTRIBUTES}. ({@code ALL_PROJECTED_ATTRIBUTES} is for secondary indexes, which Coffer does
 * not have.)
 */
public enum Select {
  /** Whole items. A request with a projection may not name it. */
  ALL_ATTRIBUTES,
  /** The projection of each item; the request must have a projection. */
  SPECIFIC_ATTRIBUTES,
  /**
   * No items: only {@link Page#count()} and {@link Page#scannedCount()}. A request with a
   * projection may not name it.
   */
  COUNT
}
