package dev.coffer.cli.store;

import dev.coffer.CorruptionException;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every page of one table through the engine and collects the pages that fail. The engine
 * has no page iterator, so this is a full scan; a scan stops at the first bad page, so a segment
 * that fails is split in two and each half scanned again, down to {@link #MAX_SEGMENTS} slices of
 * the token space: every bad page on the way is found, and only the partitions that share the
 * smallest failing slice with a bad page stay unread (counted in {@link Result#unreadSegments()}).
 * Not thread-safe.
 */
final class TableVerifier {
  /** The finest split of the token space. */
  static final int MAX_SEGMENTS = 4096;

  /**
   * What a verification found.
   *
   * @param itemsRead items read from pages that authenticated
   * @param corruptPages the failing pages, one per location
   * @param unreadSegments smallest segments (of {@link #MAX_SEGMENTS}) not fully read because of a
   *     bad page
   */
  record Result(long itemsRead, List<CorruptPage> corruptPages, int unreadSegments) {}

  private final Table table;
  private final Map<String, CorruptPage> corrupt = new LinkedHashMap<>();
  private long items;
  private int unread;

  private TableVerifier(Table table) {
    this.table = table;
  }

  /** Verifies {@code table}. */
  static Result verify(Table table) {
    TableVerifier v = new TableVerifier(table);
    v.segment(0, 1);
    return new Result(v.items, new ArrayList<>(v.corrupt.values()), v.unread);
  }

  private void segment(int segment, int total) {
    Scan scan = Scan.all().segment(segment, total);
    long read = 0;
    try {
      Key after = null;
      do {
        Page page = table.scan(after == null ? scan : scan.exclusiveStartKey(after));
        read += page.count();
        after = page.lastEvaluatedKey().orElse(null);
      } while (after != null);
      items += read;
    } catch (CorruptionException e) {
      CorruptPage p = CorruptPage.of(table.name(), e);
      corrupt.putIfAbsent(p.location() + " " + p.message(), p);
      if (total >= MAX_SEGMENTS) {
        unread++;
        return;
      }
      segment(2 * segment, 2 * total);
      segment(2 * segment + 1, 2 * total);
    }
  }
}
