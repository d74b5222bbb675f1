package dev.coffer.internal.query;

import dev.coffer.CorruptionException;
import dev.coffer.Item;
import dev.coffer.KeySchema;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.ItemCodec;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.record.Entry;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Set;

/**
 * Decodes the items of leaf entries for the caller, and says where a malformed one is stored: a
 * stored item that cannot be decoded (nested too deep, a bad number, no type...) raises {@link
 * CorruptionException} naming the table, the partition and the item's sort key. Only the entries a
 * read returns are decoded, so the other items of the same leaf stay readable. Stateless.
 */
public final class StoredItems {
  private StoredItems() {}

  /** The item of {@code entry}, read from partition {@code token} of {@code t}. */
  public static Item decode(TableContext t, byte[] token, Entry entry) {
    return decode(t, token, entry, "");
  }

  /**
   * The item an operation just replaced or deleted, for ReturnValues=ALL_OLD. The write has
   * happened; when the old item cannot be decoded the exception says so.
   */
  static Item decodeOld(TableContext t, byte[] token, Entry old, String change) {
    return decode(
        t, token, old, "; the item was " + change + ", but the old item cannot be returned");
  }

  private static Item decode(TableContext t, byte[] token, Entry entry, String suffix) {
    try {
      return ItemCodec.fromProto(entry.item());
    } catch (CorruptionException e) {
      throw located(t, token, entry, suffix, e);
    }
  }

  /**
   * The item of {@code entry} with the stored bytes of each attribute ({@link EncodedItems}), for a
   * change that re-encodes it; the same checks and errors as {@link #decode(TableContext, byte[],
   * Entry)}.
   */
  static EncodedItems.Decoded decodeKeepingEncoding(TableContext t, byte[] token, Entry entry) {
    try {
      return EncodedItems.decode(entry);
    } catch (CorruptionException e) {
      throw located(t, token, entry, "", e);
    }
  }

  /** Whether {@code entry}'s item has each of {@code names} at its top level (nothing decoded). */
  static Set<String> presentNames(
      TableContext t, byte[] token, Entry entry, Collection<String> names) {
    try {
      return EncodedItems.present(entry, names);
    } catch (CorruptionException e) {
      throw located(t, token, entry, "", e);
    }
  }

  private static CorruptionException located(
      TableContext t, byte[] token, Entry entry, String suffix, CorruptionException e) {
    if (e.tableName() != null) {
      return e;
    }
    String why = e.getMessage();
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      why += ": " + e.getCause().getMessage();
    }
    return new CorruptionException(why + suffix, t.name(), location(t.schema(), token, entry), e);
  }

  /** {@code partition <token hex> item <sort key>}, the sort key in DynamoDB JSON. */
  static String location(KeySchema schema, byte[] token, Entry entry) {
    String where = "partition " + HexFormat.of().formatHex(token);
    if (!schema.hasSortKey()) {
      return where + " (its only item)";
    }
    byte[] sortKey = entry.sortKey().toByteArray();
    try {
      return where + " item with sort key " + KeyCodec.decodeSortKey(schema.sortKeyType(), sortKey);
    } catch (RuntimeException e) {
      return where + " item with encoded sort key " + HexFormat.of().formatHex(sortKey);
    }
  }
}
