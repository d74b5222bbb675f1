// Over 400 lines: one value type of eleven kinds, each with its factory and checks, and equality
// that walks nested values without recursion; the JSON rendering lives in AttributeValueJson.
package dev.coffer;

import dev.coffer.internal.model.Numbers;
import dev.coffer.internal.model.Strings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One DynamoDB attribute value of any type. Immutable and thread-safe; made by the static
 * factories, which validate their input and throw {@link ValidationException} as DynamoDB would (a
 * malformed or out-of-range number, an empty or duplicated set, a string that is not valid Unicode,
 * an empty or too long map key, a value nested deeper than 32 levels).
 *
 * <p>Numbers are kept in canonical text ({@link #n()}): {@code n("1.50")} equals {@code n("1.5")}.
 * Sets are kept sorted (strings by UTF-8 bytes, numbers numerically, binaries unsigned), so two
 * sets with the same members are equal.
 *
 * <p><b>Nesting.</b> A value occupies one level, and a list or map one more than its deepest
 * element: {@code s("x")} is 1 level, {@code m(Map.of("a", s("x")))} is 2. As in DynamoDB, no value
 * is deeper than 32 levels (an attribute of an item is at level 1, so nothing in an item is below
 * level 32): {@link #l} and {@link #m} refuse a deeper one with DynamoDB's {@code
 * ValidationException} ("Nesting Levels have exceeded supported limits"). The depth is computed
 * when a value is made, from its elements' (which have theirs already); {@link #equals}, {@link
 * #hashCode} and {@link #toString} walk a value with an explicit stack: no method recurses into a
 * value.
 */
public final class AttributeValue {
  /** The deepest nesting DynamoDB stores: 32 levels. */
  public static final int MAX_NESTING_LEVELS = 32;

  private static final AttributeValue TRUE =
      new AttributeValue(AttributeType.BOOL, Boolean.TRUE, 1);
  private static final AttributeValue FALSE =
      new AttributeValue(AttributeType.BOOL, Boolean.FALSE, 1);
  private static final AttributeValue NULL =
      new AttributeValue(AttributeType.NULL, Boolean.TRUE, 1);

  /** Unsigned lexicographic order of byte arrays. */
  public static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  /** DynamoDB order of strings: by UTF-8 bytes. */
  public static final Comparator<String> UTF8_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private final AttributeType type;
  private final Object value;
  private final int levels;

  /** 0 until {@link #hashCode()} computed it; then the hash code with bit 32 set. */
  private volatile long hash;

  private AttributeValue(AttributeType type, Object value, int levels) {
    this.type = type;
    this.value = value;
    this.levels = levels;
  }

  private AttributeValue(AttributeType type, Object value) {
    this(type, value, 1);
  }

  /**
   * An S value.
   *
   * @throws ValidationException when {@code s} is not valid Unicode (an unpaired UTF-16 surrogate)
   */
  public static AttributeValue s(String s) {
    return new AttributeValue(
        AttributeType.S, Strings.checkWellFormed(Objects.requireNonNull(s, "s"), "A string value"));
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

  /**
   * An L value.
   *
   * @throws ValidationException when it would be deeper than 32 levels
   */
  public static AttributeValue l(List<AttributeValue> values) {
    int deepest = 0;
    for (AttributeValue v : values) {
      deepest = Math.max(deepest, Objects.requireNonNull(v, "list element").levels);
    }
    return new AttributeValue(AttributeType.L, List.copyOf(values), checkLevels(deepest + 1));
  }

  /** An L value. */
  public static AttributeValue l(AttributeValue... values) {
    return l(Arrays.asList(values));
  }

  /**
   * An M value; names are kept in sorted order.
   *
   * @throws ValidationException when a name is empty, not valid Unicode or 64 KiB or longer in
   *     UTF-8, or when the value would be deeper than 32 levels
   */
  public static AttributeValue m(Map<String, AttributeValue> fields) {
    TreeMap<String, AttributeValue> copy = new TreeMap<>();
    int deepest = 0;
    for (Map.Entry<String, AttributeValue> e : fields.entrySet()) {
      String k = Strings.checkAttributeName(e.getKey());
      AttributeValue v = Objects.requireNonNull(e.getValue(), () -> "map value of " + k);
      deepest = Math.max(deepest, v.levels);
      copy.put(k, v);
    }
    return new AttributeValue(
        AttributeType.M, Collections.unmodifiableMap(copy), checkLevels(deepest + 1));
  }

  private static int checkLevels(int levels) {
    if (levels > MAX_NESTING_LEVELS) {
      throw new ValidationException(
          "Nesting Levels have exceeded supported limits: Attributes in the item have"
              + " nested levels beyond supported limit");
    }
    return levels;
  }

  /**
   * An SS value: non-empty, no duplicates.
   *
   * @throws ValidationException when empty, with duplicates, or with a member that is not valid
   *     Unicode
   */
  public static AttributeValue ss(Collection<String> strings) {
    List<String> sorted = new ArrayList<>(strings.size());
    for (String s : strings) {
      sorted.add(
          Strings.checkWellFormed(
              Objects.requireNonNull(s, "string set member"), "A string set member"));
    }
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
      throw new ValidationException(
          "One or more parameter values were invalid: An " + kind + " set may not be empty");
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

  /**
   * How many levels the value occupies: 1 for a scalar, a set, an empty list or map; for a list or
   * map one more than its deepest element. At most {@link #MAX_NESTING_LEVELS}.
   */
  public int nestingLevels() {
    return levels;
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
    if (this == o) {
      return true;
    }
    if (!(o instanceof AttributeValue)) {
      return false;
    }
    // Iterative: the values to compare next wait on two stacks (a value is at most 32 levels deep
    // anyway, but equality should not depend on that).
    Deque<AttributeValue> left = null;
    Deque<AttributeValue> right = null;
    AttributeValue a = this;
    AttributeValue b = (AttributeValue) o;
    while (true) {
      if (a != b) {
        if (a.type != b.type
            || a.levels != b.levels
            || (a.hash != 0 && b.hash != 0 && a.hash != b.hash)) {
          return false;
        }
        switch (a.type) {
          case L:
            {
              List<AttributeValue> x = a.l();
              List<AttributeValue> y = b.l();
              if (x.size() != y.size()) {
                return false;
              }
              if (left == null) {
                left = new ArrayDeque<>();
                right = new ArrayDeque<>();
              }
              for (int i = 0; i < x.size(); i++) {
                left.push(x.get(i));
                right.push(y.get(i));
              }
              break;
            }
          case M:
            {
              Map<String, AttributeValue> x = a.m();
              Map<String, AttributeValue> y = b.m();
              if (x.size() != y.size()) {
                return false;
              }
              if (left == null) {
                left = new ArrayDeque<>();
                right = new ArrayDeque<>();
              }
              // both are sorted by name, so equal maps list their names in the same order
              Iterator<Map.Entry<String, AttributeValue>> i = x.entrySet().iterator();
              Iterator<Map.Entry<String, AttributeValue>> j = y.entrySet().iterator();
              while (i.hasNext()) {
                Map.Entry<String, AttributeValue> e = i.next();
                Map.Entry<String, AttributeValue> f = j.next();
                if (!e.getKey().equals(f.getKey())) {
                  return false;
                }
                left.push(e.getValue());
                right.push(f.getValue());
              }
              break;
            }
          case B:
            if (!Arrays.equals((byte[]) a.value, (byte[]) b.value)) {
              return false;
            }
            break;
          case BS:
            {
              @SuppressWarnings("unchecked")
              List<byte[]> x = (List<byte[]>) a.value;
              @SuppressWarnings("unchecked")
              List<byte[]> y = (List<byte[]>) b.value;
              if (x.size() != y.size()) {
                return false;
              }
              for (int i = 0; i < x.size(); i++) {
                if (!Arrays.equals(x.get(i), y.get(i))) {
                  return false;
                }
              }
              break;
            }
          default:
            if (!a.value.equals(b.value)) {
              return false;
            }
        }
      }
      if (left == null || left.isEmpty()) {
        return true;
      }
      a = left.pop();
      b = right.pop();
    }
  }

  /**
   * The hash code, computed on first use and kept: a list's or map's from its elements' (which are
   * computed first, with an explicit stack, not by recursion).
   */
  @Override
  public int hashCode() {
    long h = hash;
    if (h == 0) {
      Deque<AttributeValue> pending = new ArrayDeque<>();
      pending.push(this);
      while (!pending.isEmpty()) {
        AttributeValue v = pending.peek();
        if (v.hash != 0) {
          pending.pop();
          continue;
        }
        boolean elementsDone = true;
        if (v.type == AttributeType.L || v.type == AttributeType.M) {
          for (AttributeValue e : v.type == AttributeType.L ? v.l() : v.m().values()) {
            if (e.hash == 0) {
              pending.push(e);
              elementsDone = false;
            }
          }
        }
        if (elementsDone) {
          v.hash = (1L << 32) | (ownHash(v.type, v.value) & 0xffffffffL);
          pending.pop();
        }
      }
      h = hash;
    }
    return (int) h;
  }

  /** The hash of a value whose elements have theirs already. */
  private static int ownHash(AttributeType type, Object value) {
    int h;
    switch (type) {
      case B:
        h = Arrays.hashCode((byte[]) value);
        break;
      case BS:
        {
          h = 7;
          @SuppressWarnings("unchecked")
          List<byte[]> list = (List<byte[]>) value;
          for (byte[] b : list) {
            h = h * 31 + Arrays.hashCode(b);
          }
          break;
        }
      case L:
        {
          h = 1;
          @SuppressWarnings("unchecked")
          List<AttributeValue> list = (List<AttributeValue>) value;
          for (AttributeValue v : list) {
            h = h * 31 + (int) v.hash;
          }
          break;
        }
      case M:
        {
          h = 0;
          @SuppressWarnings("unchecked")
          Map<String, AttributeValue> map = (Map<String, AttributeValue>) value;
          for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            h += e.getKey().hashCode() ^ (int) e.getValue().hash;
          }
          break;
        }
      default:
        h = value.hashCode();
    }
    return type.ordinal() * 31 + h;
  }

  /** DynamoDB JSON, e.g. {@code {"S":"alice"}} or {@code {"N":"42"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    AttributeValueJson.append(sb, this);
    return sb.toString();
  }
}
