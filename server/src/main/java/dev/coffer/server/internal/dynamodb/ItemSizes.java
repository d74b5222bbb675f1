package dev.coffer.server.internal.dynamodb;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Item sizes as DynamoDB counts them for capacity units: attribute names and strings by their UTF-8
 * bytes, binaries by their length, a number by its significant digits (one byte per two digits plus
 * one, as dynalite measured DynamoDB), BOOL and NULL one byte, lists and maps three bytes plus one
 * per element plus their contents, sets the sum of their members. Stateless.
 */
final class ItemSizes {
  private ItemSizes() {}

  static long size(Item item) {
    return size(item.attributes());
  }

  static long size(Map<String, AttributeValue> attributes) {
    long sum = 0;
    for (Map.Entry<String, AttributeValue> e : attributes.entrySet()) {
      sum += utf8(e.getKey()) + size(e.getValue());
    }
    return sum;
  }

  static long size(AttributeValue v) {
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

  /** Write units of one item write: its size rounded up to 1 KB, at least 1. */
  static double writeUnits(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  /**
   * Read units of reading {@code bytes}: rounded up to 4 KB, halved for an eventually consistent
   * read.
   */
  static double readUnits(long bytes, boolean consistent) {
    double units = (bytes + 4095) / 4096;
    return consistent ? units : units / 2;
  }
}
