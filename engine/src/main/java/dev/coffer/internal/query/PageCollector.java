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
 * Gathers the items of one result page and knows when it is full: at the limit, or once 1 MB of
 * items (by DynamoDB's size rules) was read, as DynamoDB stops. Not thread-safe.
 */
final class PageCollector {
  /** DynamoDB's 1 MB page size. */
  static final long MAX_PAGE_BYTES = 1 << 20;

  private final TableContext table;
  private final KeySchema schema;
  private final int limit;
  private final List<Item> items = new ArrayList<>();
  private long bytes;

  PageCollector(TableContext table, int limit) {
    this.table = table;
    this.schema = table.schema();
    this.limit = limit;
  }

  /** Adds the item of an entry of partition {@code token}. */
  void add(byte[] token, Entry entry) {
    Item item = StoredItems.decode(table, token, entry);
    items.add(item);
    bytes += ItemSizes.sizeOf(item);
  }

  /** Whether the page is full. */
  boolean full() {
    return (limit > 0 && items.size() >= limit) || bytes >= MAX_PAGE_BYTES;
  }

  /** The page; {@code more} says whether more items follow the last one. */
  Page page(boolean more) {
    Key last = more && !items.isEmpty() ? schema.keyOf(items.get(items.size() - 1)) : null;
    return new Page(items, items.size(), last);
  }
}
