package dev.coffer.spi;

import java.util.List;

/**
 * One page of {@link RecordBackend#scan}: the records, and the key to continue after (null when the
 * segment is done). Immutable.
 *
 * @param records the records, in the backend's own order
 * @param lastKey the key to pass as {@code exclusiveStartKey} for the next page, or null at the end
 */
public record ScanPage(List<BackendRecord> records, BackendKey lastKey) {
  public ScanPage {
    records = List.copyOf(records);
  }
}
