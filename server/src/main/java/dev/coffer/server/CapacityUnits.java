package dev.coffer.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB's capacity arithmetic, in ONE place for {@code coffer serve}'s {@code
 * ReturnConsumedCapacity} and the command line's {@code --return-consumed-capacity}. Coffer has no
 * capacity limits; the figures say what the same request would consume in DynamoDB.
 *
 * <ul>
 *   <li>Item size: attribute names and strings by their UTF-8 bytes, binaries by their length, a
 *       number by its significant digits (one byte per two digits plus one, as dynalite measured
 *       DynamoDB), BOOL and NULL one byte, lists and maps three bytes plus one per element plus
 *       their contents, sets the sum of their members.
 *   <li>A write (PutItem, UpdateItem, DeleteItem, each item of BatchWriteItem): the larger of the
 *       item before and after, in 1 KB units, at least 1.
 *   <li>A read (GetItem, each item of BatchGetItem, a Query or Scan page): the bytes read in 4 KB
 *       units, halved for an eventually consistent read; a Query or Scan counts the items read
 *       before the filter and projection; a GetItem of no item costs 1 (0.5 eventually consistent).
 *   <li>Transactions: twice the same work (TransactWriteItems per action as a write;
 *       TransactGetItems per item as a strongly consistent read of at least 1 unit).
 * </ul>
 *
 * The {@code ConsumedCapacity} structure is DynamoDB's: {@code TableName}, {@code CapacityUnits}
 * and, for {@code INDEXES}, {@code Table.CapacityUnits}. Stateless and thread-safe.
 */
public final class CapacityUnits {
  /** The values of {@code ReturnConsumedCapacity}. */
  public static final List<String> MODES = List.of("INDEXES", "TOTAL", "NONE");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CapacityUnits() {}

  /** Whether {@code mode} (INDEXES, TOTAL, NONE or null) asks for consumed capacity. */
  public static boolean wanted(String mode) {
    return mode != null && !mode.equals("NONE");
  }

  /** The size of {@code item} as DynamoDB counts it for capacity. */
  public static long itemSize(Item item) {
    return size(item.attributes());
  }

  /** The size of an optional item: 0 when absent. */
  public static long itemSize(Optional<Item> item) {
    return item.map(CapacityUnits::itemSize).orElse(0L);
  }

  private static long size(Map<String, AttributeValue> attributes) {
    long sum = 0;
    for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
      sum += utf8(e.getKey()) + size(e.getValue());
    }
    return sum;
  }

  private static long size(AttributeValue v) {
    switch (v.type()) {
      case S:
        return utf8(v.s());
      case B:
        return v.b().length;
      case N:
        return numberSize(v.n());
      case BOOL:
      case NULL:
        return 1;
      case SS:
        {
          long sum = 0;
          for (String s : v.ss()) {
            sum += utf8(s);
          }
          return sum;
        }
      case NS:
        {
          long sum = 0;
          for (String n : v.ns()) {
            sum += numberSize(n);
          }
          return sum;
        }
      case BS:
        {
          long sum = 0;
          for (byte[] b : v.bs()) {
            sum += b.length;
          }
          return sum;
        }
      case L:
        {
          long sum = 3;
          for (AttributeValue e : v.l()) {
            sum += 1 + size(e);
          }
          return sum;
        }
      case M:
        return 3 + v.m().size() + size(v.m());
      default:
        throw new AssertionError(v.type());
    }
  }

  private static long numberSize(String canonical) {
    BigDecimal d = new BigDecimal(canonical);
    if (d.signum() == 0) {
      return 1;
    }
    BigDecimal stripped = d.stripTrailingZeros();
    String digits = stripped.unscaledValue().abs().toString();
    int n = digits.length();
    // the decimal exponent of the first digit, as big.js keeps it
    long exponent = (long) n - 1 - stripped.scale();
    return 1 + (n + 1) / 2 + ((n % 2 != 0 || exponent % 2 != 0) ? 0 : 1) + (d.signum() < 0 ? 1 : 0);
  }

  private static long utf8(String s) {
    int n = s.length();
    long bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // 4 bytes for 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /** Write units of one item write of {@code bytes} (the larger item): 1 KB units, at least 1. */
  public static double writeUnits(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  /**
   * Read units of reading {@code bytes}: rounded up to 4 KB, halved for an eventually consistent
   * read.
   */
  public static double readUnits(long bytes, boolean consistent) {
    double units = (bytes + 4095) / 4096;
    return consistent ? units : units / 2;
  }

  /** GetItem (and one key of BatchGetItem): the whole item read, or 1 (0.5) when there is none. */
  public static double getItemUnits(Optional<Item> item, boolean consistent) {
    return item.isPresent() ? readUnits(itemSize(item.get()), consistent) : (consistent ? 1 : 0.5);
  }

  /** A write whose item had {@code before} bytes and has {@code after} bytes. */
  public static double writeUnits(long before, long after) {
    return writeUnits(Math.max(before, after));
  }

  /** A Query or Scan page that read {@code items} (whole, before any filter or projection). */
  public static double pageUnits(List<Item> items, boolean consistent) {
    long bytes = 0;
    for (Item i : items) {
      bytes += itemSize(i);
    }
    return readUnits(bytes, consistent);
  }

  /**
   * One action of TransactWriteItems whose item had {@code before} and has {@code after} bytes (a
   * ConditionCheck: the item's bytes, twice).
   */
  public static double transactWriteUnits(long before, long after) {
    return 2 * writeUnits(before, after);
  }

  /** One item of TransactGetItems of {@code bytes} (0 when absent), read whole. */
  public static double transactGetUnits(long bytes) {
    return 2 * Math.max(1, readUnits(bytes, true));
  }

  /**
   * The {@code ConsumedCapacity} structure for {@code mode} (TOTAL or INDEXES), or null for NONE
   * (or absent).
   */
  public static ObjectNode json(String mode, String table, double units) {
    if (!wanted(mode)) {
      return null;
    }
    ObjectNode c = NODES.objectNode();
    c.put("TableName", table);
    c.put("CapacityUnits", units);
    if (mode.equals("INDEXES")) {
      c.putObject("Table").put("CapacityUnits", units);
    }
    return c;
  }
}
