package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** DynamoDB's comparisons and functions on attribute values. Stateless. */
final class Values {
  private Values() {}

  /** Whether values of {@code t} have an order (S by UTF-8 bytes, N numerically, B unsigned). */
  static boolean isOrderable(AttributeType t) {
    return t == AttributeType.S || t == AttributeType.N || t == AttributeType.B;
  }

  /** Compares two values of the same orderable type. */
  static int compare(AttributeValue a, AttributeValue b) {
    switch (a.type()) {
      case S:
        return AttributeValue.UTF8_ORDER.compare(a.s(), b.s());
      case N:
        return a.numberValue().compareTo(b.numberValue());
      case B:
        return Arrays.compareUnsigned(a.b(), b.b());
      default:
        throw new IllegalArgumentException("not orderable: " + a.type());
    }
  }

  /** {@code begins_with}: S prefix of S, or B prefix of B; anything else is false. */
  static boolean beginsWith(AttributeValue subject, AttributeValue prefix) {
    if (subject.type() != prefix.type()) {
      return false;
    }
    if (subject.type() == AttributeType.S) {
      return subject.s().startsWith(prefix.s());
    }
    if (subject.type() == AttributeType.B) {
      byte[] s = subject.b();
      byte[] p = prefix.b();
      return p.length <= s.length && Arrays.equals(s, 0, p.length, p, 0, p.length);
    }
    return false;
  }

  /**
   * {@code contains}: a substring of an S, a byte sequence within a B, a member of a set of the
   * operand's type, or an element of a list equal to the operand (of any type).
   */
  static boolean contains(AttributeValue subject, AttributeValue operand) {
    switch (subject.type()) {
      case S:
        return operand.type() == AttributeType.S && subject.s().contains(operand.s());
      case B:
        return operand.type() == AttributeType.B && indexOf(subject.b(), operand.b()) >= 0;
      case SS:
        return operand.type() == AttributeType.S && subject.ss().contains(operand.s());
      case NS:
        return operand.type() == AttributeType.N && subject.ns().contains(operand.n());
      case BS:
        if (operand.type() != AttributeType.B) {
          return false;
        }
        byte[] wanted = operand.b();
        for (byte[] member : subject.bs()) {
          if (Arrays.equals(member, wanted)) {
            return true;
          }
        }
        return false;
      case L:
        return subject.l().contains(operand);
      default:
        return false;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * {@code size}: UTF-8 bytes of an S, bytes of a B, members of a set, elements of a list or map;
   * null (no value) for N, BOOL and NULL.
   */
  static AttributeValue size(AttributeValue v) {
    switch (v.type()) {
      case S:
        return AttributeValue.n(v.s().getBytes(StandardCharsets.UTF_8).length);
      case B:
        return AttributeValue.n(v.b().length);
      case SS:
        return AttributeValue.n(v.ss().size());
      case NS:
        return AttributeValue.n(v.ns().size());
      case BS:
        return AttributeValue.n(v.bs().size());
      case L:
        return AttributeValue.n(v.l().size());
      case M:
        return AttributeValue.n(v.m().size());
      default:
        return null;
    }
  }

  /** A value as DynamoDB shows it in BETWEEN errors: {@code N:5}, {@code S:x}. */
  static String brief(AttributeValue v) {
    switch (v.type()) {
      case S:
        return "S:" + v.s();
      case N:
        return "N:" + v.n();
      case B:
        return "B:" + Base64.getEncoder().encodeToString(v.b());
      default:
        {
          String json = v.toString();
          return v.type().name() + ":" + json.substring(json.indexOf(':') + 1, json.length() - 1);
        }
    }
  }

  /** The value at {@code path} in {@code attributes}, or null. */
  static AttributeValue resolve(Map<String, AttributeValue> attributes, DocPath path) {
    AttributeValue v = attributes.get(path.head());
    for (int i = 1; i < path.length() && v != null; i++) {
      if (path.isIndex(i)) {
        if (v.type() != AttributeType.L) {
          return null;
        }
        List<AttributeValue> list = v.l();
        int index = path.index(i);
        v = index < list.size() ? list.get(index) : null;
      } else {
        v = v.type() == AttributeType.M ? v.m().get(path.name(i)) : null;
      }
    }
    return v;
  }
}
