package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of applying updates, checked against plain arithmetic and simple models. */
class UpdatePropertiesTest {
  private static final KeySchema SCHEMA = KeySchema.of("pk", AttributeType.S);
  private static final Key KEY = Key.of("k");

  private static UpdateResult apply(
      Item old, String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    Placeholders p =
        Placeholders.of(names.isEmpty() ? null : names, values.isEmpty() ? null : values);
    UpdateAst ast = ExpressionParser.update(expression, p);
    p.checkAllUsed();
    return UpdateApplier.apply(ast, old, KEY, SCHEMA);
  }

  private static Item withKey(Item item) {
    return item.toBuilder().string("pk", "k").build();
  }

  /**
   * A path the item can take a new value at: a new top-level name or a new key in an existing map.
   */
  private static List<Object> freshPath(Item item, Random rnd) {
    List<List<Object>> maps = new ArrayList<>();
    collectMaps(item.attributes(), new ArrayList<>(), maps, 0);
    if (!maps.isEmpty() && rnd.nextBoolean()) {
      List<Object> parent = maps.get(rnd.nextInt(maps.size()));
      List<Object> path = new ArrayList<>(parent);
      path.add("fresh");
      return path;
    }
    return new ArrayList<>(List.of("fresh"));
  }

  private static void collectMaps(
      Map<String, AttributeValue> m, List<Object> prefix, List<List<Object>> out, int depth) {
    for (Map.Entry<String, AttributeValue> e : m.entrySet()) {
      List<Object> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      if (e.getValue().type() == AttributeType.M && !e.getValue().m().containsKey("fresh")) {
        out.add(p);
        if (depth < 3) {
          collectMaps(e.getValue().m(), p, out, depth + 1);
        }
      }
    }
  }

  /** The path as expression text with placeholders for every name. */
  private static String text(List<Object> path, Map<String, String> names) {
    StringBuilder sb = new StringBuilder();
    for (Object e : path) {
      if (e instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        String placeholder = "#p" + names.size();
        names.put(placeholder, (String) e);
        sb.append(sb.length() == 0 ? "" : ".").append(placeholder);
      }
    }
    return sb.toString();
  }

  @Property(tries = 1000)
  void setThenRemoveRestoresTheItem(@ForAll long seed) {
    RandomModels gen = new RandomModels(seed);
    Item item = withKey(gen.item());
    List<Object> path = freshPath(item, gen.random());
    AttributeValue value = gen.value(2);
    Map<String, String> names = new LinkedHashMap<>();
    String p = text(path, names);
    Item set = apply(item, "SET " + p + " = :v", names, Map.of(":v", value)).item();
    assertThat(ReferenceEvaluator.value(new ConditionModel.P(path), set)).isEqualTo(value);
    Map<String, String> names2 = new LinkedHashMap<>();
    UpdateResult removed = apply(set, "REMOVE " + text(path, names2), names2, Map.of());
    assertThat(removed.item()).isEqualTo(item);
    assertThat(removed.updatedNew()).isEqualTo(Item.empty());
  }

  @Provide
  Arbitrary<BigDecimal> numbers() {
    Arbitrary<BigInteger> unscaled =
        Arbitraries.strings()
            .withChars("0123456789")
            .ofMinLength(1)
            .ofMaxLength(38)
            .map(BigInteger::new);
    return Combinators.combine(
            unscaled, Arbitraries.integers().between(-140, 140), Arbitraries.of(true, false))
        .as((u, scale, neg) -> neg ? new BigDecimal(u, scale).negate() : new BigDecimal(u, scale))
        .filter(
            d -> {
              try {
                AttributeValue.n(d);
                return true;
              } catch (ValidationException e) {
                return false;
              }
            });
  }

  @Property(tries = 2000)
  void addOnNumbersIsExactAddition(
      @ForAll("numbers") BigDecimal existing, @ForAll("numbers") BigDecimal added) {
    Item item = Item.builder().string("pk", "k").put("n", AttributeValue.n(existing)).build();
    BigDecimal sum = existing.add(added);
    boolean representable;
    try {
      AttributeValue.n(sum);
      representable = true;
    } catch (ValidationException e) {
      representable = false;
    }
    if (representable) {
      assertThat(
              apply(item, "ADD n :v", Map.of(), Map.of(":v", AttributeValue.n(added)))
                  .item()
                  .get("n"))
          .isEqualTo(AttributeValue.n(sum));
      assertThat(
              apply(item, "SET n = n + :v", Map.of(), Map.of(":v", AttributeValue.n(added)))
                  .item()
                  .get("n"))
          .isEqualTo(AttributeValue.n(sum));
      assertThat(
              apply(
                      item,
                      "SET n = n - :v",
                      Map.of(),
                      Map.of(":v", AttributeValue.n(added.negate())))
                  .item()
                  .get("n"))
          .isEqualTo(AttributeValue.n(sum));
    } else {
      assertThatThrownBy(
              () -> apply(item, "ADD n :v", Map.of(), Map.of(":v", AttributeValue.n(added))))
          .isInstanceOf(ValidationException.class)
          .hasMessageStartingWith("Number ");
    }
    assertThat(
            apply(
                    Item.builder().string("pk", "k").build(),
                    "ADD n :v",
                    Map.of(),
                    Map.of(":v", AttributeValue.n(added)))
                .item()
                .get("n"))
        .isEqualTo(AttributeValue.n(added));
  }

  @Property(tries = 1000)
  void addAndDeleteOnSetsAreUnionAndDifference(@ForAll long seed) {
    Random rnd = new Random(seed);
    List<String> universe = List.of("a", "b", "c", "d", "e", "f");
    List<String> start = sample(universe, rnd);
    List<String> added = sample(universe, rnd);
    Item item = Item.builder().string("pk", "k").put("s", AttributeValue.ss(start)).build();
    Set<String> union = new TreeSet<>(start);
    union.addAll(added);
    assertThat(
            apply(item, "ADD s :v", Map.of(), Map.of(":v", AttributeValue.ss(added)))
                .item()
                .get("s"))
        .isEqualTo(AttributeValue.ss(union));
    Set<String> difference = new TreeSet<>(start);
    difference.removeAll(added);
    Item deleted =
        apply(item, "DELETE s :v", Map.of(), Map.of(":v", AttributeValue.ss(added))).item();
    if (difference.isEmpty()) {
      assertThat(deleted.has("s")).isFalse();
    } else {
      assertThat(deleted.get("s")).isEqualTo(AttributeValue.ss(difference));
    }
  }

  private static List<String> sample(List<String> universe, Random rnd) {
    List<String> out = new ArrayList<>();
    for (String s : universe) {
      if (rnd.nextBoolean()) {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      out.add(universe.get(rnd.nextInt(universe.size())));
    }
    return out;
  }

  @Property(tries = 1000)
  void listRemovalsAndAppendsFollowTheOldIndexes(@ForAll long seed) {
    Random rnd = new Random(seed);
    int size = rnd.nextInt(6);
    List<AttributeValue> list = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      list.add(AttributeValue.n(i));
    }
    Item item = Item.builder().string("pk", "k").put("l", AttributeValue.l(list)).build();
    TreeSet<Integer> removed = new TreeSet<>();
    TreeMap<Integer, AttributeValue> set = new TreeMap<>();
    for (int i = 0; i < 8; i++) {
      if (rnd.nextInt(3) == 0) {
        removed.add(i);
      } else if (rnd.nextInt(3) == 0) {
        set.put(i, AttributeValue.s("v" + i));
      }
    }
    List<String> actions = new ArrayList<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    StringBuilder expression = new StringBuilder();
    if (!set.isEmpty()) {
      set.forEach(
          (i, v) -> {
            actions.add("l[" + i + "] = :v" + i);
            values.put(":v" + i, v);
          });
      expression.append("SET ").append(String.join(", ", actions));
    }
    if (!removed.isEmpty()) {
      List<String> r = new ArrayList<>();
      removed.forEach(i -> r.add("l[" + i + "]"));
      expression
          .append(expression.length() == 0 ? "" : " ")
          .append("REMOVE ")
          .append(String.join(", ", r));
    }
    if (expression.length() == 0) {
      return;
    }
    List<AttributeValue> expected = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (!removed.contains(i)) {
        expected.add(set.getOrDefault(i, list.get(i)));
      }
    }
    set.tailMap(size).values().forEach(expected::add);
    assertThat(apply(item, expression.toString(), Map.of(), values).item().get("l"))
        .as(expression.toString())
        .isEqualTo(AttributeValue.l(expected));
  }

  @Property(tries = 1000)
  void printedUpdatesParseBackToTheSameTree(@ForAll long seed) {
    RandomModels gen = new RandomModels(seed);
    Random rnd = gen.random();
    List<String> free = new ArrayList<>(RandomModels.NAMES);
    Collections.shuffle(free, rnd);
    List<UpdateAst.Action> actions = new ArrayList<>();
    for (String section : List.of("SET", "REMOVE", "ADD", "DELETE")) {
      for (int i = rnd.nextInt(3); i > 0 && !free.isEmpty(); i--) {
        Expr.PathRef path =
            Expr.PathRef.of(DocPath.of(free.remove(0)).child(rnd.nextBoolean() ? "x" : "y"));
        switch (section) {
          case "SET":
            {
              Expr a =
                  rnd.nextBoolean()
                      ? Expr.Value.of(AttributeValue.n(rnd.nextInt(9)))
                      : Expr.PathRef.of(DocPath.of(gen.pick(RandomModels.NAMES)));
              Expr b =
                  new Expr.Call(
                      "if_not_exists",
                      List.of(
                          Expr.PathRef.of(DocPath.of("q").child(1)),
                          Expr.Value.of(AttributeValue.n(1))));
              actions.add(
                  new UpdateAst.Set(
                      path,
                      rnd.nextBoolean()
                          ? UpdateAst.SetValue.of(a)
                          : new UpdateAst.SetValue(a, rnd.nextBoolean() ? '+' : '-', b)));
              break;
            }
          case "REMOVE":
            actions.add(new UpdateAst.Remove(path));
            break;
          case "ADD":
            actions.add(new UpdateAst.Add(path, Expr.Value.of(AttributeValue.n(rnd.nextInt(9)))));
            break;
          default:
            actions.add(new UpdateAst.Delete(path, Expr.Value.of(AttributeValue.ss("a", "b"))));
        }
      }
    }
    if (actions.isEmpty()) {
      return;
    }
    UpdateAst ast = new UpdateAst(actions);
    ExpressionParser.check(ast);
    Printer.Printed printed = Printer.update(ast, name -> rnd.nextBoolean());
    Placeholders p =
        Placeholders.of(
            printed.names().isEmpty() ? null : printed.names(),
            printed.values().isEmpty() ? null : printed.values());
    assertThat(ExpressionParser.update(printed.expression(), p))
        .as(printed.expression())
        .isEqualTo(ast);
    p.checkAllUsed();
  }
}
