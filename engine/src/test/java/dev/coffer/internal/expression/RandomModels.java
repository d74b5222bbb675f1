package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.internal.expression.ConditionModel.And;
import dev.coffer.internal.expression.ConditionModel.Btw;
import dev.coffer.internal.expression.ConditionModel.C;
import dev.coffer.internal.expression.ConditionModel.Cmp;
import dev.coffer.internal.expression.ConditionModel.Fn;
import dev.coffer.internal.expression.ConditionModel.InList;
import dev.coffer.internal.expression.ConditionModel.Not;
import dev.coffer.internal.expression.ConditionModel.O;
import dev.coffer.internal.expression.ConditionModel.Or;
import dev.coffer.internal.expression.ConditionModel.P;
import dev.coffer.internal.expression.ConditionModel.Size;
import dev.coffer.internal.expression.ConditionModel.V;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Random items and random well-formed conditions over a small vocabulary, so that conditions often
 * hit attributes the items have. Names include a reserved word ({@code status}) and a name with a
 * dot ({@code x.y}), which must be written through placeholders.
 */
final class RandomModels {
  static final List<String> NAMES = List.of("a", "b", "c", "d", "status", "x.y", "n1");
  private static final List<String> ALL_STRINGS =
      List.of("", "a", "ab", "abc", "b", "ba", "é", "éa", "Z", "a b");
  private static final List<String> ASCII_STRINGS =
      List.of("a", "ab", "abc", "b", "ba", "Z", "a b");
  private static final List<String> NUMBERS =
      List.of("0", "1", "2", "-1", "1.5", "10", "100", "-0.25", "3");
  private static final String[] TYPES = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

  private final Random rnd;
  private final boolean forDynalite;
  private final List<String> strings;

  RandomModels(long seed) {
    this(seed, false);
  }

  /**
   * @param forDynalite keep to what dynalite evaluates as DynamoDB does: ASCII, non-empty strings
   *     and binaries (dynalite treats "" as absent in IN, BETWEEN and size), no BOOL false, no list
   *     or map literals (dynalite compares those by reference), {@code contains} with S, N or B
   *     operands, IN with value candidates, BETWEEN with value bounds, begins_with with a value
   *     second (dynalite fails on two missing operands), no NOT directly inside NOT (dynalite's
   *     grammar refuses {@code NOT NOT a})
   */
  RandomModels(long seed, boolean forDynalite) {
    this.rnd = new Random(seed);
    this.forDynalite = forDynalite;
    this.strings = forDynalite ? ASCII_STRINGS : ALL_STRINGS;
  }

  Random random() {
    return rnd;
  }

  Item item() {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    for (String n : NAMES) {
      if (rnd.nextInt(3) > 0) {
        m.put(n, value(2));
      }
    }
    return Item.of(m);
  }

  AttributeValue value(int depth) {
    int kind = rnd.nextInt(depth > 0 ? 10 : 8);
    switch (kind) {
      case 0:
      case 1:
        return AttributeValue.s(pick(strings));
      case 2:
      case 3:
        return AttributeValue.n(pick(NUMBERS));
      case 4:
        return AttributeValue.b(bytes());
      case 5:
        return rnd.nextBoolean()
            ? AttributeValue.bool(forDynalite || rnd.nextBoolean())
            : AttributeValue.nul();
      case 6:
        {
          int t = rnd.nextInt(3);
          if (t == 0) {
            return AttributeValue.ss(new TreeSet<>(List.of(pick(strings), pick(strings))));
          }
          if (t == 1) {
            return AttributeValue.ns(new TreeSet<>(List.of(pick(NUMBERS), pick(NUMBERS))));
          }
          List<byte[]> bs = new ArrayList<>();
          bs.add(new byte[] {(byte) rnd.nextInt(3)});
          bs.add(new byte[] {(byte) (3 + rnd.nextInt(3)), 1});
          return AttributeValue.bs(bs);
        }
      case 7:
        return AttributeValue.s(pick(strings));
      case 8:
        {
          List<AttributeValue> l = new ArrayList<>();
          for (int i = rnd.nextInt(4); i > 0; i--) {
            l.add(value(depth - 1));
          }
          return AttributeValue.l(l);
        }
      default:
        {
          Map<String, AttributeValue> m = new LinkedHashMap<>();
          for (int i = rnd.nextInt(4); i > 0; i--) {
            m.put(pick(NAMES), value(depth - 1));
          }
          return AttributeValue.m(m);
        }
    }
  }

  private byte[] bytes() {
    byte[] b = new byte[forDynalite ? 1 + rnd.nextInt(2) : rnd.nextInt(3)];
    for (int i = 0; i < b.length; i++) {
      b[i] =
          (byte)
              (forDynalite
                  ? 'a' + rnd.nextInt(3)
                  : rnd.nextBoolean() ? rnd.nextInt(3) : 0x80 + rnd.nextInt(3));
    }
    return b;
  }

  <T> T pick(List<T> list) {
    return list.get(rnd.nextInt(list.size()));
  }

  /** A path, often one the item has. */
  P path(Item item) {
    List<Object> elements = new ArrayList<>();
    String head = pick(NAMES);
    elements.add(head);
    AttributeValue v = item.get(head);
    while (rnd.nextInt(3) == 0
        || (v != null
            && (v.type() == AttributeType.M || v.type() == AttributeType.L)
            && rnd.nextBoolean())) {
      if (elements.size() > 4) {
        break;
      }
      if (v != null && v.type() == AttributeType.L && !v.l().isEmpty() && rnd.nextInt(4) > 0) {
        int i = rnd.nextInt(v.l().size());
        elements.add(i);
        v = v.l().get(i);
      } else if (v != null
          && v.type() == AttributeType.M
          && !v.m().isEmpty()
          && rnd.nextInt(4) > 0) {
        String k = pick(new ArrayList<>(v.m().keySet()));
        elements.add(k);
        v = v.m().get(k);
      } else if (rnd.nextBoolean()) {
        elements.add(rnd.nextInt(3));
        v = null;
      } else {
        elements.add(pick(NAMES));
        v = null;
      }
    }
    return new P(elements);
  }

  private AttributeValue orderable() {
    switch (rnd.nextInt(3)) {
      case 0:
        return AttributeValue.s(pick(strings));
      case 1:
        return AttributeValue.n(pick(NUMBERS));
      default:
        return AttributeValue.b(bytes());
    }
  }

  /** An operand; literals are orderable when {@code ordering}. */
  private O operand(Item item, boolean ordering) {
    int k = rnd.nextInt(10);
    if (k < 5) {
      return path(item);
    }
    if (k < 8) {
      return new V(ordering ? orderable() : value(forDynalite ? 0 : 1));
    }
    return new Size(rnd.nextInt(4) == 0 ? new V(AttributeValue.s(pick(strings))) : path(item));
  }

  /** A well-formed condition of at most {@code depth} levels of AND, OR and NOT. */
  C condition(Item item, int depth) {
    int k = rnd.nextInt(depth > 0 ? 10 : 6);
    switch (k) {
      case 6:
        return new And(condition(item, depth - 1), condition(item, depth - 1));
      case 7:
        return new Or(condition(item, depth - 1), condition(item, depth - 1));
      case 8:
        {
          C inner = condition(item, depth - 1);
          return forDynalite && inner instanceof Not ? inner : new Not(inner);
        }
      case 9:
        return new And(
            condition(item, depth - 1),
            new Or(condition(item, depth - 1), condition(item, depth - 1)));
      default:
        return leaf(item);
    }
  }

  private C leaf(Item item) {
    switch (rnd.nextInt(7)) {
      case 0:
      case 1:
        {
          String op = pick(List.of("=", "<>", "<", "<=", ">", ">="));
          boolean ordering = !op.equals("=") && !op.equals("<>");
          O l = operand(item, ordering);
          O r = operand(item, ordering);
          return new Cmp(op, l, distinct(l, r, ordering));
        }
      case 2:
        {
          O x = operand(item, true);
          O lo;
          O hi;
          if (forDynalite || rnd.nextBoolean()) {
            AttributeValue a = orderable();
            AttributeValue b = sameType(a);
            boolean swap = compare(a, b) > 0;
            lo = new V(swap ? b : a);
            hi = new V(swap ? a : b);
          } else {
            lo = distinct(x, operand(item, true), true);
            hi = distinct(x, operand(item, true), true);
            if (lo instanceof V && hi instanceof V) {
              AttributeValue a = ((V) lo).value();
              AttributeValue b = sameType(a);
              boolean swap = compare(a, b) > 0;
              lo = new V(swap ? b : a);
              hi = new V(swap ? a : b);
            }
          }
          return new Btw(x, lo, hi);
        }
      case 3:
        {
          O x = operand(item, false);
          List<O> candidates = new ArrayList<>();
          for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
            candidates.add(
                forDynalite ? new V(value(0)) : distinct(x, operand(item, false), false));
          }
          return new InList(x, candidates);
        }
      case 4:
        return new Fn(
            rnd.nextBoolean() ? "attribute_exists" : "attribute_not_exists", List.of(path(item)));
      case 5:
        return new Fn(
            "attribute_type",
            List.of(path(item), new V(AttributeValue.s(TYPES[rnd.nextInt(TYPES.length)]))));
      default:
        {
          if (rnd.nextBoolean()) {
            O a = rnd.nextInt(4) == 0 ? new V(AttributeValue.s(pick(strings))) : path(item);
            O b =
                !forDynalite && rnd.nextInt(3) == 0
                    ? path(item)
                    : new V(
                        rnd.nextBoolean()
                            ? AttributeValue.s(pick(strings))
                            : AttributeValue.b(bytes()));
            if (a.equals(b)) {
              b = new V(AttributeValue.s(pick(strings)));
            }
            return new Fn("begins_with", List.of(a, b));
          }
          O a = path(item);
          O b =
              forDynalite ? new V(orderable()) : rnd.nextInt(3) == 0 ? path(item) : new V(value(1));
          return new Fn("contains", List.of(a, distinct(a, b, false)));
        }
    }
  }

  /** {@code r}, or a literal when it is the same path as {@code l} (DynamoDB refuses that). */
  private O distinct(O l, O r, boolean ordering) {
    if (l instanceof P && l.equals(r)) {
      return new V(ordering ? orderable() : value(1));
    }
    return r;
  }

  private AttributeValue sameType(AttributeValue a) {
    while (true) {
      AttributeValue b = orderable();
      if (b.type() == a.type()) {
        return b;
      }
    }
  }

  private static int compare(AttributeValue a, AttributeValue b) {
    return Values.compare(a, b);
  }
}
