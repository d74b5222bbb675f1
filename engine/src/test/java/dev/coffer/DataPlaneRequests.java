package dev.coffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random DynamoDB requests for {@link DynaliteDataPlaneDifferentialTest}, in DynamoDB's text form
 * (expressions with {@code #name} and {@code :value} placeholders) so that the same request goes to
 * dynalite through the SDK and to Coffer through {@link Expressions}. Items have the keys {@code
 * pk} (S) and, in the sorted table, {@code sk} (N), and non-key attributes from a small vocabulary
 * so that conditions both hold and fail: {@code a} (N), {@code b} (S), {@code c} (SS), {@code d} (M
 * of {@code x}: N and {@code y}: S), {@code e} (L of N), {@code f} (BOOL).
 *
 * <p>Kept out, as known dynalite differences from DynamoDB (docs/expressions.md): comparisons of
 * two paths (dynalite holds {@code missing <= missing}), IN, BETWEEN, size and attribute_type on ""
 * or BOOL false, size of non-ASCII strings, contains on lists, removal of several list elements,
 * and an update that copies an attribute another action of it changes. Updates on an item that does
 * not exist which only remove, or remove a nested path, are generated: dynalite differs from
 * DynamoDB on them, and {@link DynaliteDataPlaneDifferentialTest} checks the known difference. Not
 * thread-safe.
 */
final class DataPlaneRequests {
  static final List<String> ATTRIBUTES = List.of("a", "b", "c", "d", "e", "f");
  private static final List<String> WORDS = List.of("apple", "apricot", "banana", "cherry", "date");
  private static final List<String> MEMBERS = List.of("x", "y", "z", "w");

  private final Random rnd;

  DataPlaneRequests(Random rnd) {
    this.rnd = rnd;
  }

  /** The expression parameters of one request: the texts and the placeholders they use. */
  static final class Exprs {
    String condition;
    String update;
    String filter;
    String projection;
    String keyCondition;

    /** Whether {@link #update} has a SET or an ADD (else it only removes: REMOVE, DELETE). */
    boolean updateAddsData;

    /** Whether {@link #update} removes a nested path or a list element. */
    boolean updateRemovesNested;

    final Map<String, String> names = new LinkedHashMap<>();
    final Map<String, AttributeValue> values = new LinkedHashMap<>();

    /** {@code #n} for attribute {@code n}, defined on first use. */
    String name(String attribute) {
      names.put("#" + attribute, attribute);
      return "#" + attribute;
    }

    /** A fresh {@code :vN} for {@code v}. */
    String value(AttributeValue v) {
      String p = ":v" + values.size();
      values.put(p, v);
      return p;
    }

    /**
     * The parsed request, as Coffer's {@link Expressions} parses it (DynamoDB's order of checks).
     */
    Expressions parse() {
      return Expressions.builder()
          .conditionExpression(condition)
          .updateExpression(update)
          .filterExpression(filter)
          .projectionExpression(projection)
          .keyConditionExpression(keyCondition)
          .expressionAttributeNames(names.isEmpty() ? null : names)
          .expressionAttributeValues(values.isEmpty() ? null : values)
          .build();
    }
  }

  int nextInt(int bound) {
    return rnd.nextInt(bound);
  }

  boolean chance(int percent) {
    return rnd.nextInt(100) < percent;
  }

  AttributeValue word() {
    return AttributeValue.s(WORDS.get(rnd.nextInt(WORDS.size())));
  }

  AttributeValue smallNumber() {
    return AttributeValue.n(rnd.nextInt(26) - 5);
  }

  AttributeValue members() {
    List<String> m = new ArrayList<>();
    for (String s : MEMBERS) {
      if (rnd.nextInt(3) == 0) {
        m.add(s);
      }
    }
    if (m.isEmpty()) {
      m.add(MEMBERS.get(rnd.nextInt(MEMBERS.size())));
    }
    return AttributeValue.ss(m);
  }

  /** A random item with key {@code key} of a table of {@code schema}. */
  Item item(Key key, KeySchema schema) {
    Item.Builder b = Item.builder().put(schema.partitionKeyName(), key.partition());
    if (schema.hasSortKey()) {
      b.put(schema.sortKeyName(), key.sort());
    }
    for (String attr : ATTRIBUTES) {
      if (rnd.nextInt(3) == 0) {
        continue;
      }
      b.put(
          attr,
          switch (attr) {
            case "a" -> smallNumber();
            case "b" -> word();
            case "c" -> members();
            case "d" -> AttributeValue.m(Map.of("x", smallNumber(), "y", word()));
            case "e" -> AttributeValue.l(smallNumber(), smallNumber());
            default -> AttributeValue.bool(rnd.nextBoolean());
          });
    }
    return b.build();
  }

  /**
   * A random condition or filter over the non-key attributes (and {@code pk} when {@code keys}).
   */
  String condition(Exprs e, boolean keys, int depth) {
    int r = rnd.nextInt(depth > 0 ? 15 : 12);
    switch (r) {
      case 12:
        return condition(e, keys, depth - 1) + " AND " + condition(e, keys, depth - 1);
      case 13:
        return condition(e, keys, depth - 1) + " OR " + condition(e, keys, depth - 1);
      case 14:
        return "NOT (" + condition(e, keys, depth - 1) + ")";
      default:
        return leaf(e, keys, r);
    }
  }

  private String leaf(Exprs e, boolean keys, int kind) {
    List<String> pool = new ArrayList<>(ATTRIBUTES);
    if (keys) {
      pool.add("pk");
    }
    switch (kind) {
      case 0:
        return "attribute_exists(" + e.name(pool.get(rnd.nextInt(pool.size()))) + ")";
      case 1:
        return "attribute_not_exists(" + e.name(pool.get(rnd.nextInt(pool.size()))) + ")";
      case 2:
        {
          String op = List.of("=", "<>", "<", "<=", ">", ">=").get(rnd.nextInt(6));
          return e.name("a") + " " + op + " " + e.value(smallNumber());
        }
      case 3:
        {
          int lo = rnd.nextInt(20) - 5;
          return e.name("a")
              + " BETWEEN "
              + e.value(AttributeValue.n(lo))
              + " AND "
              + e.value(AttributeValue.n(lo + rnd.nextInt(10)));
        }
      case 4:
        return "begins_with("
            + e.name("b")
            + ", "
            + e.value(AttributeValue.s(List.of("a", "ap", "b", "c", "z").get(rnd.nextInt(5))))
            + ")";
      case 5:
        return "contains("
            + e.name("c")
            + ", "
            + e.value(AttributeValue.s(MEMBERS.get(rnd.nextInt(4))))
            + ")";
      case 6:
        return "contains("
            + e.name("b")
            + ", "
            + e.value(AttributeValue.s(List.of("an", "pp", "e", "q").get(rnd.nextInt(4))))
            + ")";
      case 7:
        {
          String op = List.of("=", "<", ">=").get(rnd.nextInt(3));
          return "size("
              + e.name("c")
              + ") "
              + op
              + " "
              + e.value(AttributeValue.n(rnd.nextInt(5)));
        }
      case 8:
        return e.name("d") + "." + e.name("x") + " = " + e.value(smallNumber());
      case 9:
        return e.name("b") + " IN (" + e.value(word()) + ", " + e.value(word()) + ")";
      case 10:
        return e.name("f") + " = " + e.value(AttributeValue.bool(rnd.nextBoolean()));
      default:
        return "attribute_type("
            + e.name("a")
            + ", "
            + e.value(AttributeValue.s(rnd.nextBoolean() ? "N" : "S"))
            + ")";
    }
  }

  /**
   * A random update of 1 to 3 distinct attributes; on an item that does not exist ({@code
   * !itemExists}) half the REMOVEs of {@code d} and {@code e} are of the whole attribute instead of
   * a nested path or element. About one in twenty-five is invalid on purpose (two actions on one
   * path). Sets {@link Exprs#updateAddsData} and {@link Exprs#updateRemovesNested}.
   */
  String update(Exprs e, boolean itemExists) {
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    List<String> adds = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    List<String> attrs = new ArrayList<>(List.of("a", "b", "c", "d", "e"));
    Collections.shuffle(attrs, rnd);
    for (String attr : attrs.subList(0, 1 + rnd.nextInt(3))) {
      String n = e.name(attr);
      int k = rnd.nextInt(5);
      switch (attr) {
        case "a":
          switch (k) {
            case 0 -> sets.add(n + " = " + e.value(smallNumber()));
            case 1 ->
                sets.add(
                    n
                        + " = if_not_exists("
                        + n
                        + ", "
                        + e.value(AttributeValue.n(0))
                        + ") + "
                        + e.value(smallNumber()));
            case 2 -> sets.add(n + " = " + n + " - " + e.value(smallNumber()));
            case 3 -> adds.add(n + " " + e.value(smallNumber()));
            default -> removes.add(n);
          }
          break;
        case "b":
          switch (k) {
            case 0, 1 -> sets.add(n + " = " + e.value(word()));
            case 2 -> adds.add(n + " " + e.value(smallNumber()));
            default -> removes.add(n);
          }
          break;
        case "c":
          switch (k) {
            case 0, 1 -> adds.add(n + " " + e.value(members()));
            case 2, 3 -> deletes.add(n + " " + e.value(members()));
            default -> removes.add(n);
          }
          break;
        case "d":
          switch (k) {
            case 0 ->
                sets.add(
                    n + " = " + e.value(AttributeValue.m(Map.of("x", smallNumber(), "y", word()))));
            case 1, 2 -> sets.add(n + "." + e.name("x") + " = " + e.value(smallNumber()));
            default -> {
              if (itemExists || rnd.nextBoolean()) {
                removes.add(n + "." + e.name("y"));
              } else {
                removes.add(n);
              }
            }
          }
          break;
        default:
          switch (k) {
            case 0, 1 ->
                sets.add(
                    n
                        + " = list_append(if_not_exists("
                        + n
                        + ", "
                        + e.value(AttributeValue.l(List.of()))
                        + "), "
                        + e.value(AttributeValue.l(smallNumber()))
                        + ")");
            case 2 -> sets.add(n + "[0] = " + e.value(smallNumber()));
            case 3 -> removes.add(itemExists || rnd.nextBoolean() ? n + "[0]" : n);
            default -> sets.add(n + " = " + e.value(AttributeValue.l(smallNumber())));
          }
      }
    }
    if (rnd.nextInt(25) == 0 && !sets.isEmpty()) {
      String first = sets.get(0);
      removes.add(
          first.substring(0, first.indexOf(' '))); // the same path twice: refused when parsed
    }
    e.updateAddsData = !sets.isEmpty() || !adds.isEmpty();
    e.updateRemovesNested = removes.stream().anyMatch(r -> r.contains(".") || r.contains("["));
    StringBuilder sb = new StringBuilder();
    clause(sb, "SET", sets);
    clause(sb, "REMOVE", removes);
    clause(sb, "ADD", adds);
    clause(sb, "DELETE", deletes);
    return sb.toString().trim();
  }

  private static void clause(StringBuilder sb, String keyword, List<String> actions) {
    if (!actions.isEmpty()) {
      sb.append(keyword).append(' ').append(String.join(", ", actions)).append(' ');
    }
  }

  /** A random projection of 1 to 3 paths (none overlapping). */
  String projection(Exprs e, boolean keys) {
    List<String> candidates = new ArrayList<>(List.of("a", "b", "c", "d.x", "e[0]", "f", "e[1]"));
    if (keys) {
      candidates.add("pk");
    }
    Collections.shuffle(candidates, rnd);
    List<String> chosen = new ArrayList<>();
    for (String c : candidates) {
      String head = c.replaceAll("[.\\[].*", "");
      if (chosen.stream().noneMatch(x -> x.replaceAll("[.\\[].*", "").equals(head))) {
        chosen.add(c);
      }
      if (chosen.size() == 1 + rnd.nextInt(3)) {
        break;
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : chosen) {
      if (c.contains(".")) {
        out.add(e.name("d") + "." + e.name("x"));
      } else if (c.contains("[")) {
        out.add(e.name("e") + c.substring(1));
      } else {
        out.add(e.name(c));
      }
    }
    return String.join(", ", out);
  }
}
