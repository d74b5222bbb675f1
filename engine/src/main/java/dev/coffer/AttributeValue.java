package dev.coffer;

import dev.coffer.internal.model.Numbers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One DynamoDB attribute value of any type. Immutable and thread-safe; made by the static
 * factories, which validate their input and throw {@link ValidationException} as DynamoDB would
 * (a malformed or out-of-range number, an empty or duplicated set).
 *
 * <p>Numbers are kept in canonical text ({@link #n()}): {@code n("1.50")} equals {@code n("1.5")}.
 * Sets are kept sorted (strings by UTF-8 bytes, numbers numerically, binaries unsigned), so two
 * sets with the same members are equal.
 */
public final class AttributeValue {
  private static final AttributeValue TRUE = new AttributeValue(AttributeType.BOOL, Boolean.TRUE);
  private static final AttributeValue FALSE = new AttributeValue(AttributeType.BOOL, Boolean.FALSE);
  private static final AttributeValue NULL = new AttributeValue(AttributeType.NULL, Boolean.TRUE);

  /** Unsigned lexicographic order of byte arrays. */
  public static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;
  /** DynamoDB order of strings: by UTF-8 bytes. */
  public static final Comparator<String> UTF8_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final AttributeType type;
  private final Object value;

  private AttributeValue(AttributeType type, Object value) {
    this.type = type;
    this.value = value;
  }

  /** An S value. */
  public static AttributeValue s(String s) {
    return new AttributeValue(AttributeType.S, Objects.requireNonNull(s, "s"));
  }

  /** An N value from its decimal text. */
  public static AttributeValue n(String number) {
    return new AttributeValue(AttributeType.N, Numbers.canonical(Numbers.parse(number)));
  }

  /** An N value. */
  public static AttributeValue n(long number) {
    return n(BigDecimal.valueOf(number));
  }

  /** An N value. */
  public static AttributeValue n(BigDecimal number) {
    return new AttributeValue(AttributeType.N, Numbers.canonical(Numbers.check(number)));
  }

  /** A B value (the array is copied). */
  public static AttributeValue b(byte[] bytes) {
    return new AttributeValue(AttributeType.B, bytes.clone());
  }

  /** A BOOL value. */
  public static AttributeValue bool(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** The NULL value. */
  public static AttributeValue nul() {
    return NULL;
  }

  /** An L value. */
  public static AttributeValue l(List<AttributeValue> values) {
    for (AttributeValue v : values) {
      Objects.requireNonNull(v, "list element");
    }
    return new AttributeValue(AttributeType.L, List.copyOf(values));
  }

  /** An L value. */
  public static AttributeValue l(AttributeValue... values) {
    return l(Arrays.asList(values));
  }

  /** An M value; names are kept in sorted order. */
  public static AttributeValue m(Map<String, AttributeValue> fields) {
    TreeMap<String, AttributeValue> copy = new TreeMap<>();
    fields.forEach(
        (k, v) -> {
          if (k == null || k.isEmpty()) {
            throw new ValidationException("Map attribute names must not be empty");
          }
          copy.put(k, Objects.requireNonNull(v, "map value of " + k));
        });
    return new AttributeValue(AttributeType.M, Collections.unmodifiableMap(copy));
  }

  /** An SS value: non-empty, no duplicates. */
  public static AttributeValue ss(Collection<String> strings) {
    List<String> sorted = new ArrayList<>(strings);
    sorted.sort(UTF8_ORDER);
    checkSet(sorted, UTF8_ORDER, "string");
    return new AttributeValue(AttributeType.SS, List.copyOf(sorted));
  }

  /** An SS value: non-empty, no duplicates. */
  public static AttributeValue ss(String... strings) {
    return ss(Arrays.asList(strings));
  }

  /** An NS value from decimal texts: non-empty, no duplicates (numerically). */
  public static AttributeValue ns(Collection<String> numbers) {
    List<BigDecimal> parsed = new ArrayList<>();
    for (String n : numbers) {
      parsed.add(Numbers.parse(n));
    }
    parsed.sort(Comparator.naturalOrder());
    checkSet(parsed, Comparator.naturalOrder(), "number");
    List<String> canonical = new ArrayList<>();
    for (BigDecimal d : parsed) {
      canonical.add(Numbers.canonical(d));
    }
    return new AttributeValue(AttributeType.NS, List.copyOf(canonical));
  }

  /** An NS value from decimal texts. */
  public static AttributeValue ns(String... numbers) {
    return ns(Arrays.asList(numbers));
  }

  /** A BS value: non-empty, no duplicates (arrays are copied). */
  public static AttributeValue bs(Collection<byte[]> binaries) {
    List<byte[]> sorted = new ArrayList<>();
    for (byte[] b : binaries) {
      sorted.add(b.clone());
    }
    sorted.sort(UNSIGNED);
    checkSet(sorted, UNSIGNED, "binary");
    return new AttributeValue(AttributeType.BS, Collections.unmodifiableList(sorted));
  }

  private static <T> void checkSet(List<T> sorted, Comparator<? super T> order, String kind) {
    if (sorted.isEmpty()) {
      throw new ValidationException("One or more parameter values were invalid: An " + kind + " set may not be empty");
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (order.compare(sorted.get(i - 1), sorted.get(i)) == 0) {
        throw new ValidationException("Input collection contains duplicates.");
      }
    }
  }

  /** The type. */
  public AttributeType type() {
    return type;
  }

  /** The S value. @throws IllegalStateException when the type is not S */
  public String s() {
    return (String) as(AttributeType.S);
  }

  /** The N value in canonical decimal text. */
  public String n() {
    return (String) as(AttributeType.N);
  }

  /** The N value as a BigDecimal. */
  public BigDecimal numberValue() {
    return new BigDecimal(n());
  }

  /** A copy of the B value. */
  public byte[] b() {
    return ((byte[]) as(AttributeType.B)).clone();
  }

  /** The BOOL value. */
  public boolean bool() {
    return (Boolean) as(AttributeType.BOOL);
  }

  /** Whether this is the NULL value. */
  public boolean isNull() {
    return type == AttributeType.NULL;
  }

  /** The L value (unmodifiable). */
  @SuppressWarnings("unchecked")
  public List<AttributeValue> l() {
    return (List<AttributeValue>) as(AttributeType.L);
  }

  /** The M value (unmodifiable, sorted by name). */
  @SuppressWarnings("unchecked")
  public Map<String, AttributeValue> m() {
    return (Map<String, AttributeValue>) as(AttributeType.M);
  }

  /** The SS members, sorted by UTF-8 bytes (unmodifiable). */
  @SuppressWarnings("unchecked")
  public List<String> ss() {
    return (List<String>) as(AttributeType.SS);
  }

  /** The NS members in canonical text, sorted numerically (unmodifiable). */
  @SuppressWarnings("unchecked")
  public List<String> ns() {
    return (List<String>) as(AttributeType.NS);
  }

  /** Copies of the BS members, sorted unsigned. */
  @SuppressWarnings("unchecked")
  public List<byte[]> bs() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] b : (List<byte[]>) as(AttributeType.BS)) {
      out.add(b.clone());
    }
    return out;
  }

  private Object as(AttributeType expected) {
    if (type != expected) {
      throw new IllegalStateException("attribute value is " + type + ", not " + expected);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AttributeValue)) {
      return false;
    }
    AttributeValue v = (AttributeValue) o;
    if (type != v.type) {
      return false;
    }
    switch (type) {
      case B:
        return Arrays.equals((byte[]) value, (byte[]) v.value);
      case BS:
        {
          @SuppressWarnings("unchecked")
          List<byte[]> a = (List<byte[]>) value;
          @SuppressWarnings("unchecked")
          List<byte[]> b = (List<byte[]>) v.value;
          if (a.size() != b.size()) {
            return false;
          }
          for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
              return false;
            }
          }
          return true;
        }
      default:
        return value.equals(v.value);
    }
  }

  @Override
  public int hashCode() {
    switch (type) {
      case B:
        return Arrays.hashCode((byte[]) value);
      case BS:
        {
          int h = 7;
          @SuppressWarnings("unchecked")
          List<byte[]> a = (List<byte[]>) value;
          for (byte[] b : a) {
            h = h * 31 + Arrays.hashCode(b);
          }
          return h;
        }
      default:
        return type.hashCode() * 31 + value.hashCode();
    }
  }

  /** DynamoDB JSON, e.g. {@code {"S":"alice"}} or {@code {"N":"42"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendJson(sb);
    return sb.toString();
  }

  void appendJson(StringBuilder sb) {
    sb.append("{\"").append(type.name()).append("\":");
    switch (type) {
      case S:
      case N:
        quote(sb, (String) value);
        break;
      case B:
        quote(sb, Base64.getEncoder().encodeToString((byte[]) value));
        break;
      case BOOL:
      case NULL:
        sb.append(value);
        break;
      case L:
        {
          sb.append('[');
          String sep = "";
          for (AttributeValue v : l()) {
            sb.append(sep);
            v.appendJson(sb);
            sep = ",";
          }
          sb.append(']');
          break;
        }
      case M:
        appendMap(sb, m());
        break;
      case SS:
      case NS:
        {
          sb.append('[');
          String sep = "";
          @SuppressWarnings("unchecked")
          List<String> list = (List<String>) value;
          for (String s : list) {
            sb.append(sep);
            quote(sb, s);
            sep = ",";
          }
          sb.append(']');
          break;
        }
      case BS:
        {
          sb.append('[');
          String sep = "";
          @SuppressWarnings("unchecked")
          List<byte[]> list = (List<byte[]>) value;
          for (byte[] b : list) {
            sb.append(sep);
            quote(sb, Base64.getEncoder().encodeToString(b));
            sep = ",";
          }
          sb.append(']');
          break;
        }
      default:
        throw new AssertionError(type);
    }
    sb.append('}');
  }

  static void appendMap(StringBuilder sb, Map<String, AttributeValue> map) {
    sb.append('{');
    String sep = "";
    for (Map.Entry<String, AttributeValue> e : new TreeMap<>(map).entrySet()) {
      sb.append(sep);
      quote(sb, e.getKey());
      sb.append(':');
      e.getValue().appendJson(sb);
      sep = ",";
    }
    sb.append('}');
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

  /** A mutable map builder preserving insertion order, for {@link Item} and tests. */
  static Map<String, AttributeValue> newMap() {
    return new LinkedHashMap<>();
  }
}
