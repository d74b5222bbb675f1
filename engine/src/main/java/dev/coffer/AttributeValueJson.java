package dev.coffer;

import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders values and items as DynamoDB JSON ({@code {"S":"alice"}}, maps with their names sorted)
 * for {@link AttributeValue#toString()} and {@link Item#toString()}. Walks a value with an explicit
 * stack of pending values and literal text, so the rendering never recurses. Stateless.
 */
final class AttributeValueJson {
  private AttributeValueJson() {}

  /** Appends {@code value} as DynamoDB JSON. */
  static void append(StringBuilder sb, AttributeValue value) {
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(value);
    drain(sb, pending);
  }

  /** Appends an attribute map (an item), names sorted. */
  static void appendMap(StringBuilder sb, Map<String, AttributeValue> map) {
    Deque<Object> pending = new ArrayDeque<>();
    sb.append('{');
    pushEntries(pending, new TreeMap<>(map), "}");
    drain(sb, pending);
  }

  /** Pops and renders until nothing is pending: a String is literal text, a value is rendered. */
  private static void drain(StringBuilder sb, Deque<Object> pending) {
    while (!pending.isEmpty()) {
      Object next = pending.pop();
      if (next instanceof String) {
        sb.append((String) next);
        continue;
      }
      AttributeValue v = (AttributeValue) next;
      sb.append("{\"").append(v.type().name()).append("\":");
      switch (v.type()) {
        case S:
          quote(sb, v.s());
          sb.append('}');
          break;
        case N:
          quote(sb, v.n());
          sb.append('}');
          break;
        case B:
          quote(sb, Base64.getEncoder().encodeToString(v.b()));
          sb.append('}');
          break;
        case BOOL:
          sb.append(v.bool()).append('}');
          break;
        case NULL:
          sb.append("true}");
          break;
        case SS:
        case NS:
          {
            List<String> members = v.type() == AttributeType.SS ? v.ss() : v.ns();
            sb.append('[');
            for (int i = 0; i < members.size(); i++) {
              if (i > 0) {
                sb.append(',');
              }
              quote(sb, members.get(i));
            }
            sb.append("]}");
            break;
          }
        case BS:
          {
            List<byte[]> members = v.bs();
            sb.append('[');
            for (int i = 0; i < members.size(); i++) {
              if (i > 0) {
                sb.append(',');
              }
              quote(sb, Base64.getEncoder().encodeToString(members.get(i)));
            }
            sb.append("]}");
            break;
          }
        case L:
          {
            List<AttributeValue> list = v.l();
            sb.append('[');
            pending.push("]}");
            for (int i = list.size() - 1; i >= 0; i--) {
              pending.push(list.get(i));
              if (i > 0) {
                pending.push(",");
              }
            }
            break;
          }
        case M:
          sb.append('{');
          pushEntries(pending, v.m(), "}}");
          break;
        default:
          throw new AssertionError(v.type());
      }
    }
  }

  /**
   * Pushes a map's entries (already sorted by name) so that they pop in order, then {@code close}.
   */
  private static void pushEntries(
      Deque<Object> pending, Map<String, AttributeValue> sorted, String close) {
    pending.push(close);
    Object[] entries = sorted.entrySet().toArray();
    for (int i = entries.length - 1; i >= 0; i--) {
      @SuppressWarnings("unchecked")
      Map.Entry<String, AttributeValue> e = (Map.Entry<String, AttributeValue>) entries[i];
      pending.push(e.getValue());
      StringBuilder name = new StringBuilder();
      if (i > 0) {
        name.append(',');
      }
      quote(name, e.getKey());
      pending.push(name.append(':').toString());
    }
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
