package dev.coffer.internal.query;

import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.Page;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.record.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the items of one result page as DynamoDB does: every item read counts towards Limit
 * (ScannedCount) and the 1 MB page size (by DynamoDB's size rules), whether or not the filter keeps
 * it; the filter then decides what counts in Count, and the projection (or Select COUNT) what is
 * returned. A page that stopped full carries the key of the last item read as its LastEvaluatedKey,
 * even when nothing follows (DynamoDB does; the next page is then empty). Not thread-safe.
 */
final class PageCollector {
  /** DynamoDB's 1 MB page size. */
  static final long MAX_PAGE_BYTES = 1 << 20;

  private final TableContext table;
  private final KeySchema schema;
  private final int limit;
  private final PageShape shape;
  private final List<Item> items = new ArrayList<>();
  private int count;
  private int scanned;
  private long bytes;
  private Item last;

  PageCollector(TableContext table, int limit, PageShape shape) {
    this.table = table;
    this.schema = table.schema();
    this.limit = limit;
    this.shape = shape;
  }

  /** Reads the item of an entry of partition {@code token}. */
  void add(byte[] token, Entry entry) {
    Item item = StoredItems.decode(table, token, entry);
    scanned++;
    bytes += ItemSizes.sizeOf(item);
    last = item;
    if (shape.matches(item)) {
      count++;
      if (!shape.countOnly()) {
        items.add(shape.shape(item));
      }
    }
  }

  /** Whether the page is full: Limit items read, or 1 MB of them. */
  boolean full() {
    return (limit > 0 && scanned >= limit) || bytes >= MAX_PAGE_BYTES;
  }

  /** The page: with the last key read when it stopped full. */
  Page page() {
    Key lastKey = full() && last != null ? schema.keyOf(last) : null;
    return new Page(items, count, scanned, lastKey);
  }
}
