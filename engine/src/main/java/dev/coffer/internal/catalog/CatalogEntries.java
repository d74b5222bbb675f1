package dev.coffer.internal.catalog;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.coffer.AttributeType;
import dev.coffer.CorruptionException;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.keys.DataKeys;
import dev.coffer.proto.CatalogEntry;
import dev.coffer.proto.KeyAttribute;
import dev.coffer.proto.KeyType;
import dev.coffer.proto.TableOptions;
import dev.coffer.proto.TableStatus;
import java.util.HexFormat;

/**
 * What a catalog entry says ({@code CatalogEntry}, format 1, or 2 when it holds capacity settings:
 * {@link TableCapacity}): made for a new table, checked when read. Stateless.
 */
final class CatalogEntries {
  /** The entry format version of an entry without capacity settings (written and read). */
  static final int FORMAT = 1;

  /**
   * The entry format version of an entry with capacity settings ({@code TableOptions.capacity}),
   * written and read; older builds refuse it rather than drop the settings.
   */
  static final int FORMAT_CAPACITY = 2;

  private CatalogEntries() {}

  /**
   * The entry of a new table: ACTIVE, data-key version 1 PRIMARY, its index key, records of
   * envelope format 1 refused.
   */
  static CatalogEntry create(
      byte[] tableId,
      String name,
      KeySchema schema,
      TableOptions options,
      DataKeys.Generated keys,
      long nowMillis) {
    CatalogEntry.Builder entry =
        CatalogEntry.newBuilder()
            .setFormatVersion(options.hasCapacity() ? FORMAT_CAPACITY : FORMAT)
            .setTableId(ByteString.copyFrom(tableId))
            .setName(name)
            .setPartitionKey(attribute(schema.partitionKeyName(), schema.partitionKeyType()))
            .setOptions(options)
            .addDataKeys(keys.version1())
            .setIndexKey(keys.indexKey())
            .setCreatedMillis(nowMillis)
            .setStatus(TableStatus.TABLE_STATUS_ACTIVE)
            // this code seals envelope format 2 only: a record of format 1 was put there by hand
            .setOlderEnvelopesRefused(true);
    if (schema.hasSortKey()) {
      entry.setSortKey(attribute(schema.sortKeyName(), schema.sortKeyType()));
    }
    return entry.build();
  }

  /**
   * The entry whose plaintext the catalog record of table {@code tableId} holds.
   *
   * @throws CorruptionException when it is malformed, of an unknown format, or of another table
   */
  static CatalogEntry parse(byte[] tableId, byte[] plaintext) {
    String where = "catalog entry " + HexFormat.of().formatHex(tableId);
    try {
      CatalogEntry entry = CatalogEntry.parseFrom(plaintext);
      boolean known =
          entry.getFormatVersion() == FORMAT_CAPACITY
              || (entry.getFormatVersion() == FORMAT && !entry.getOptions().hasCapacity());
      if (!known || !entry.getTableId().equals(ByteString.copyFrom(tableId))) {
        throw new CorruptionException(
            "A catalog entry has an unknown format or the wrong table id (" + where + ")",
            null,
            where);
      }
      return entry;
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptionException("A catalog entry is malformed (" + where + ")", null, where, e);
    }
  }

  /**
   * The key schema an entry records.
   *
   * @throws CorruptionException when it is not a valid key schema (an empty or duplicate key name,
   *     an unknown key type)
   */
  static KeySchema schema(CatalogEntry entry) {
    try {
      return entry.hasSortKey()
          ? KeySchema.of(
              entry.getPartitionKey().getName(),
              type(entry.getPartitionKey().getType()),
              entry.getSortKey().getName(),
              type(entry.getSortKey().getType()))
          : KeySchema.of(
              entry.getPartitionKey().getName(), type(entry.getPartitionKey().getType()));
    } catch (ValidationException e) {
      String where = "catalog entry " + HexFormat.of().formatHex(entry.getTableId().toByteArray());
      throw new CorruptionException(
          "A catalog entry has an invalid key schema (" + where + "): " + e.getMessage(),
          null,
          where,
          e);
    }
  }

  private static KeyAttribute attribute(String name, AttributeType type) {
    KeyType t =
        type == AttributeType.S
            ? KeyType.KEY_TYPE_S
            : type == AttributeType.N ? KeyType.KEY_TYPE_N : KeyType.KEY_TYPE_B;
    return KeyAttribute.newBuilder().setName(name).setType(t).build();
  }

  private static AttributeType type(KeyType t) {
    switch (t) {
      case KEY_TYPE_S:
        return AttributeType.S;
      case KEY_TYPE_N:
        return AttributeType.N;
      case KEY_TYPE_B:
        return AttributeType.B;
      default:
        throw new CorruptionException(
            "A catalog entry has an unknown key type " + t, null, "catalog");
    }
  }
}
