package dev.coffer.internal.model;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * DynamoDB's item-size rules and limits. Sizes: attribute names and strings count their UTF-8
 * bytes, binaries their length, numbers about one byte per two significant digits plus one, BOOL
 * and NULL one byte, lists and maps three bytes plus one per element plus their elements, sets the
 * sum of their members.
 */
public final class ItemSizes {
  /** Largest item, in bytes. */
  public static final int MAX_ITEM_BYTES = 400 * 1024;

  /** DynamoDB's message for an item over {@link #MAX_ITEM_BYTES}. */
  public static final String ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size";

  /** Largest partition key value, in bytes. */
  public static final int MAX_PARTITION_KEY_BYTES = 2048;

  /** Largest sort key value, in bytes. */
  public static final int MAX_SORT_KEY_BYTES = 1024;

  private ItemSizes() {}

  /** The size of {@code item} by DynamoDB's rules. */
  public static long sizeOf(Item item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
      size += KeyCodec.utf8Length(e.getKey()) + sizeOf(e.getValue());
    }
    return size;
  }

  /** The size of one value (walked with an explicit stack, not by recursion). */
  public static long sizeOf(AttributeValue v) {
    long size = 0;
    Deque<AttributeValue> pending = new ArrayDeque<>();
    pending.push(v);
    while (!pending.isEmpty()) {
      AttributeValue next = pending.pop();
      switch (next.type()) {
        case S:
          size += KeyCodec.utf8Length(next.s());
          break;
        case N:
          size += numberSize(next.n());
          break;
        case B:
          size += next.b().length;
          break;
        case BOOL:
        case NULL:
          size += 1;
          break;
        case L:
          size += 3 + next.l().size();
          next.l().forEach(pending::push);
          break;
        case M:
          size += 3;
          for (Map.Entry<String, AttributeValue> e : next.m().entrySet()) {
            size += 1 + KeyCodec.utf8Length(e.getKey());
            pending.push(e.getValue());
          }
          break;
        case SS:
          size += next.ss().stream().mapToLong(KeyCodec::utf8Length).sum();
          break;
        case NS:
          size += next.ns().stream().mapToLong(ItemSizes::numberSize).sum();
          break;
        case BS:
          size += next.bs().stream().mapToLong(b -> b.length).sum();
          break;
        default:
          throw new AssertionError(next.type());
      }
    }
    return size;
  }

  /** DynamoDB's size of a number: one byte per two significant digits, plus one. */
  static int numberSize(String canonical) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < canonical.length(); i++) {
      char c = canonical.charAt(i);
      if (c >= '1' && c <= '9') {
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    int digits = 1;
    if (first >= 0) {
      digits = 0;
      for (int i = first; i <= last; i++) {
        if (canonical.charAt(i) != '.') {
          digits++;
        }
      }
    }
    return (digits + 1) / 2 + 1;
  }

  /**
   * Checks an item to be written: key attributes present with their declared types, non-empty,
   * within the key size limits, and the item within 400 KB.
   */
  public static void validateItem(Item item, KeySchema schema) {
    checkKeyAttribute(
        item.get(schema.partitionKeyName()),
        schema.partitionKeyName(),
        schema.partitionKeyType(),
        true,
        "item");
    if (schema.hasSortKey()) {
      checkKeyAttribute(
          item.get(schema.sortKeyName()),
          schema.sortKeyName(),
          schema.sortKeyType(),
          false,
          "item");
    }
    if (sizeOf(item) > MAX_ITEM_BYTES) {
      throw new ValidationException(ITEM_TOO_LARGE);
    }
  }

  /** Checks a primary key given to get or delete: the right parts, types and sizes. */
  public static void validateKey(Key key, KeySchema schema) {
    checkKeyAttribute(
        key.partition(), schema.partitionKeyName(), schema.partitionKeyType(), true, "key");
    if (schema.hasSortKey()) {
      checkKeyAttribute(key.sort(), schema.sortKeyName(), schema.sortKeyType(), false, "key");
    } else if (key.sort() != null) {
      throw new ValidationException(
          "The provided key element does not match the schema: the table has no sort key");
    }
  }

  /**
   * Checks an operand of a Query's key condition, already known to have the key's type, as DynamoDB
   * checks a key value: not empty, within the key size limit.
   *
   * @param partition whether the operand is compared with the partition key (else the sort key)
   */
  public static void validateKeyOperand(
      AttributeValue v, String name, AttributeType type, boolean partition) {
    checkKeyAttribute(v, name, type, partition, "condition");
  }

  private static void checkKeyAttribute(
      AttributeValue v, String name, AttributeType type, boolean partition, String where) {
    if (v == null) {
      throw new ValidationException(
          "item".equals(where)
              ? "One or more parameter values were invalid: Missing the key "
                  + name
                  + " in the item"
              : "The provided key element does not match the schema: missing " + name);
    }
    if (v.type() != type) {
      throw new ValidationException(
          "One or more parameter values were invalid: Type mismatch for key "
              + name
              + " expected: "
              + type
              + " actual: "
              + v.type());
    }
    if ((type == AttributeType.S && v.s().isEmpty())
        || (type == AttributeType.B && v.b().length == 0)) {
      throw new ValidationException(
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an"
              + " empty "
              + (type == AttributeType.S ? "string" : "binary")
              + " value. Key: "
              + name);
    }
    int size = KeyCodec.keySizeBytes(v);
    if (partition && size > MAX_PARTITION_KEY_BYTES) {
      throw new ValidationException(
          "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of"
              + MAX_PARTITION_KEY_BYTES
              + " bytes"); // sic: DynamoDB's message has no space before the number
    }
    if (!partition && size > MAX_SORT_KEY_BYTES) {
      throw new ValidationException(
          "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of "
              + MAX_SORT_KEY_BYTES
              + " bytes");
    }
  }
}
