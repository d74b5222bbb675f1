package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Applying update expressions as DynamoDB's UpdateItem does. */
class UpdateApplierTest {
  private static final KeySchema SCHEMA = KeySchema.of("pk", AttributeType.S);
  private static final Key KEY = Key.of("k");

  private static UpdateResult apply(Item old, String expression, Object... values) {
    Map<String, AttributeValue> v = map(values);
    UpdateAst ast =
        ExpressionParser.update(expression, Placeholders.of(null, v.isEmpty() ? null : v));
    return UpdateApplier.apply(ast, old, KEY, SCHEMA);
  }

  private static Item item(Object... kv) {
    Map<String, AttributeValue> m = map(kv);
    return Item.builder().string("pk", "k").putAll(m).build();
  }

  private static AttributeValue list(AttributeValue... v) {
    return AttributeValue.l(v);
  }

  @Test
  void setCreatesTheItemFromItsKey() {
    UpdateResult r = apply(null, "SET a = :v", ":v", n(4));
    assertThat(r.item()).isEqualTo(item("a", n(4)));
    assertThat(r.updatedOld()).isEqualTo(Item.empty());
    assertThat(r.updatedNew()).isEqualTo(Item.of(Map.of("a", n(4))));
    assertThat(apply(null, "SET b = if_not_exists(b, pk)").updatedNew())
        .isEqualTo(Item.of(Map.of("b", s("k"))));
  }

  /**
   * DynamoDB's UpdateItem is an upsert, except that an update which only takes data away (REMOVE,
   * DELETE) from an item that does not exist creates nothing: ScyllaDB's DynamoDB-compatibility
   * tests, run against DynamoDB, check it (test_item.py test_update_item_non_existent: {@code
   * REMOVE a}; test_update_item_delete: DELETE from a set; test_update_expression.py
   * test_nested_attribute_remove_from_missing_item: {@code REMOVE x.y} and {@code REMOVE x[0]} are
   * silently ignored). A SET of a nested path on it is refused.
   */
  @Test
  void onAnItemThatDoesNotExistOnlyRemovingCreatesNothing() {
    for (String e :
        List.of(
            "REMOVE a",
            "REMOVE a, b",
            "REMOVE l[0]",
            "REMOVE x.y",
            "DELETE s :v",
            "DELETE x.s :v",
            "REMOVE a DELETE s :v")) {
      Map<String, AttributeValue> v =
          e.contains(":v") ? Map.of(":v", AttributeValue.ss("cat")) : Map.of();
      UpdateAst ast = ExpressionParser.update(e, Placeholders.of(null, v.isEmpty() ? null : v));
      UpdateResult r = UpdateApplier.apply(ast, null, KEY, SCHEMA);
      assertThat(r.item()).as(e).isNull();
      assertThat(r.updatedOld()).as(e).isEqualTo(Item.empty());
      assertThat(r.updatedNew()).as(e).isEqualTo(Item.empty());
      assertThat(UpdateApplier.apply(ast, null, KEY, SCHEMA, false).item()).as(e).isNull();
    }
    // anything that adds data creates the item from its key
    assertThat(apply(null, "REMOVE a ADD n :v", ":v", n(1)).item()).isEqualTo(item("n", n(1)));
    assertThat(apply(null, "SET a = if_not_exists(a, pk) REMOVE b").item())
        .isEqualTo(item("a", s("k")));
    fails(
        () -> apply(null, "SET a.b = :v", ":v", n(1)),
        "The document path provided in the update expression is invalid for update");
    fails(
        () -> apply(null, "REMOVE a SET l[0].b = :v", ":v", n(1)),
        "The document path provided in the update expression is invalid for update");
    // on an item that exists, the same updates still write (the item keeps its other attributes)
    assertThat(apply(item("a", n(1), "b", n(2)), "REMOVE a").item()).isEqualTo(item("b", n(2)));
    assertThat(apply(item(), "REMOVE a").item()).isEqualTo(item());
  }

  @Test
  void setValuesAreReadBeforeAnyWrite() {
    Item old = item("a", s("hello"));
    assertThat(apply(old, "REMOVE a SET b = a").item()).isEqualTo(item("b", s("hello")));
    assertThat(apply(old, "SET c = a REMOVE a").item()).isEqualTo(item("c", s("hello")));
    fails(
        () -> apply(old, "SET x = :v, y = x", ":v", n(4)),
        "The provided expression refers to an attribute that does not exist in the item");
    fails(
        () -> apply(null, "SET c = z"),
        "The provided expression refers to an attribute that does not exist in the" + " item");
    assertThat(apply(old, "SET a = a").item()).isEqualTo(old);
  }

  @Test
  void arithmeticAndFunctions() {
    Item old = item("a", n(2), "l", list(s("hi"), n(2)));
    assertThat(apply(old, "SET a = a + :v", ":v", n(3)).item().get("a")).isEqualTo(n(5));
    assertThat(apply(old, "SET b = :v - a", ":v", n(7)).item().get("b")).isEqualTo(n(5));
    assertThat(apply(old, "SET l = list_append(l, :v)", ":v", list(n(4))).item().get("l"))
        .isEqualTo(list(s("hi"), n(2), n(4)));
    assertThat(apply(old, "SET l = list_append(:v, l)", ":v", list(s("dog"))).item().get("l"))
        .isEqualTo(list(s("dog"), s("hi"), n(2)));
    assertThat(apply(old, "SET z = if_not_exists(q, :v)", ":v", n(9)).item().get("z"))
        .isEqualTo(n(9));
    assertThat(
            apply(old, "SET z = if_not_exists(a, :v) + :w", ":v", n(9), ":w", n(1)).item().get("z"))
        .isEqualTo(n(3));
    assertThat(
            apply(
                    old,
                    "SET z = list_append(if_not_exists(q, :v), :w)",
                    ":v",
                    list(),
                    ":w",
                    list(n(1)))
                .item()
                .get("z"))
        .isEqualTo(list(n(1)));
    assertThat(apply(item("x", n("1E-130")), "SET x = x + x").item().get("x"))
        .isEqualTo(n("2E-130"));
  }

  @Test
  void wrongTypesAtRunTime() {
    String bad = "An operand in the update expression has an incorrect data type";
    Item old =
        item(
            "s",
            s("x"),
            "n",
            n(1),
            "ss",
            AttributeValue.ss("a"),
            "ns",
            AttributeValue.ns("1"),
            "l",
            list(n(1)),
            "m",
            AttributeValue.m(Map.of("ss", AttributeValue.ss("1"))));
    fails(() -> apply(old, "SET e = s + :v", ":v", n(1)), bad);
    fails(() -> apply(old, "SET e = :v - s", ":v", n(1)), bad);
    fails(() -> apply(old, "SET e = list_append(n, :v)", ":v", list()), bad);
    fails(() -> apply(old, "SET e = list_append(ns, if_not_exists(f, :v))", ":v", list()), bad);
    fails(() -> apply(old, "DELETE ns :v", ":v", AttributeValue.ss("1")), bad);
    fails(() -> apply(old, "DELETE m :v", ":v", AttributeValue.ns("1")), bad);
    fails(() -> apply(old, "DELETE m.ss :v", ":v", AttributeValue.ns("1")), bad);
    fails(() -> apply(old, "DELETE n :v", ":v", AttributeValue.ns("1")), bad);
    fails(() -> apply(old, "ADD ss :v", ":v", AttributeValue.ns("1")), bad);
    fails(() -> apply(old, "ADD ns :v", ":v", n(1)), bad);
    fails(() -> apply(old, "ADD s :v", ":v", n(1)), bad);
    fails(() -> apply(old, "ADD l :v", ":v", AttributeValue.ns("3")), bad);
    fails(
        () -> apply(old, "SET e = list_append(b, c)"),
        "The provided expression refers to an attribute that does" + " not exist in the item");
  }

  @Test
  void addAndDelete() {
    Item old =
        item(
            "n",
            n(3),
            "ss",
            AttributeValue.ss("dog", "cat", "mouse"),
            "ns",
            AttributeValue.ns("1", "2"));
    assertThat(apply(old, "ADD n :v", ":v", n(4)).item().get("n")).isEqualTo(n(7));
    assertThat(apply(old, "ADD z :v", ":v", n(8)).item().get("z")).isEqualTo(n(8));
    assertThat(apply(null, "ADD z :v", ":v", AttributeValue.ss("cat")).item())
        .isEqualTo(item("z", AttributeValue.ss("cat")));
    assertThat(apply(old, "ADD ss :v", ":v", AttributeValue.ss("pig", "cat")).item().get("ss"))
        .isEqualTo(AttributeValue.ss("dog", "cat", "mouse", "pig"));
    assertThat(apply(old, "ADD ns :v", ":v", AttributeValue.ns("2", "3", "4")).item().get("ns"))
        .isEqualTo(AttributeValue.ns("1", "2", "3", "4"));
    assertThat(apply(old, "DELETE ss :v", ":v", AttributeValue.ss("cat", "mouse")).item().get("ss"))
        .isEqualTo(AttributeValue.ss("dog"));
    assertThat(apply(old, "DELETE ss :v", ":v", AttributeValue.ss("pig")).item()).isEqualTo(old);
    assertThat(
            apply(old, "DELETE ss :v", ":v", AttributeValue.ss("dog", "cat", "mouse"))
                .item()
                .has("ss"))
        .isFalse();
    assertThat(apply(old, "DELETE zz :v", ":v", AttributeValue.ss("dog")).item()).isEqualTo(old);
    Item bs = item("bs", AttributeValue.bs(List.of(new byte[] {1, 2}, new byte[] {2})));
    assertThat(
            apply(bs, "ADD bs :v", ":v", AttributeValue.bs(List.of(new byte[] {2}, new byte[] {1})))
                .item()
                .get("bs"))
        .isEqualTo(AttributeValue.bs(List.of(new byte[] {1}, new byte[] {1, 2}, new byte[] {2})));
    assertThat(
            apply(bs, "DELETE bs :v", ":v", AttributeValue.bs(List.of(new byte[] {2})))
                .item()
                .get("bs"))
        .isEqualTo(AttributeValue.bs(List.of(new byte[] {1, 2})));
  }

  @Test
  void numbersKeepDynamoDbsPrecisionAndRange() {
    String overflow =
        "Number overflow. Attempting to store a number with magnitude larger than supported range";
    fails(() -> apply(null, "SET b = :a - :b", ":a", n("1e50"), ":b", n(1)), overflow);
    fails(() -> apply(null, "SET b = :a + :b", ":a", n("1e50"), ":b", n(1)), overflow);
    fails(() -> apply(null, "SET b = :a + :a", ":a", n("9e125")), overflow);
    fails(() -> apply(item("n", n("9.9e125")), "ADD n :v", ":v", n("1e125")), overflow);
    fails(
        () -> apply(null, "SET b = :a - :b", ":a", n("2e-130"), ":b", n("1.5e-130")),
        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    assertThat(
            apply(null, "SET b = :a + :b", ":a", n(1), ":b", n("10000000000000000000000"))
                .item()
                .get("b"))
        .isEqualTo(n("10000000000000000000001"));
    assertThat(apply(null, "SET b = :a - :a", ":a", n("1e125")).item().get("b")).isEqualTo(n(0));
    assertThat(
            apply(null, "SET b = :a + :b", ":a", n("9.9e125"), ":b", n("-9.9e125")).item().get("b"))
        .isEqualTo(n(0));
  }

  @Test
  void nestedPaths() {
    Item old =
        item(
            "a",
            AttributeValue.m(
                Map.of("x", n(3), "y", n(4), "c", AttributeValue.m(Map.of("y", n(3))))),
            "b",
            AttributeValue.m(Map.of("x", n(1), "y", n(2))));
    Item expected =
        item(
            "a",
            AttributeValue.m(
                Map.of(
                    "y",
                    n(4),
                    "b",
                    n(10),
                    "c",
                    AttributeValue.m(Map.of("y", n(3), "d", s("dog"))))),
            "b",
            AttributeValue.m(Map.of("x", n(17))));
    assertThat(
            apply(
                    old,
                    "SET a.b = :v1, a.c.d = :v2, b.x = :v3 REMOVE a.x, b.y",
                    ":v1",
                    n(10),
                    ":v2",
                    s("dog"),
                    ":v3",
                    n(17))
                .item())
        .isEqualTo(expected);
    Item deep =
        item(
            "a",
            AttributeValue.m(
                Map.of(
                    "b",
                    n(3),
                    "c",
                    list(
                        s("hi"),
                        AttributeValue.m(
                            Map.of(
                                "x",
                                AttributeValue.m(Map.of("y", list(n(3), n(5), n(7)))),
                                "q",
                                n(2)))))));
    assertThat(apply(deep, "REMOVE a.c[1].x.y[1], a.c[1].q").item().get("a"))
        .isEqualTo(
            AttributeValue.m(
                Map.of(
                    "b",
                    n(3),
                    "c",
                    list(
                        s("hi"),
                        AttributeValue.m(
                            Map.of("x", AttributeValue.m(Map.of("y", list(n(3), n(7))))))))));
    assertThat(apply(item("a", AttributeValue.m(Map.of("b", n(1)))), "REMOVE a.b").item().get("a"))
        .isEqualTo(AttributeValue.m(Map.of()));
    assertThat(apply(item("a", list(n(1))), "REMOVE a[0]").item().get("a")).isEqualTo(list());
    assertThat(
            apply(
                    item("a", AttributeValue.m(Map.of("b", n(3)))),
                    "SET a.b = :v",
                    ":v",
                    AttributeValue.m(Map.of()))
                .item()
                .get("a"))
        .isEqualTo(AttributeValue.m(Map.of("b", AttributeValue.m(Map.of()))));
  }

  @Test
  void listIndexesReferToTheOldList() {
    Item old = item("a", list(n(2), n(3), n(4), n(5), n(6), n(7)));
    assertThat(apply(old, "REMOVE a[1] SET a[3] = :v", ":v", n(17)).item().get("a"))
        .isEqualTo(list(n(2), n(4), n(17), n(6), n(7)));
    assertThat(apply(old, "SET a[3] = :v REMOVE a[1]", ":v", n(17)).item().get("a"))
        .isEqualTo(list(n(2), n(4), n(17), n(6), n(7)));
    assertThat(apply(old, "REMOVE a[1], a[2]").item().get("a"))
        .isEqualTo(list(n(2), n(5), n(6), n(7)));
    assertThat(apply(old, "REMOVE a[17]").item()).isEqualTo(old);
    Item three = item("a", list(s("one"), s("two"), s("three")));
    assertThat(apply(three, "SET a[7] = :v", ":v", s("hello")).item().get("a"))
        .isEqualTo(list(s("one"), s("two"), s("three"), s("hello")));
    assertThat(
            apply(
                    three,
                    "SET a[84] = :a, a[37] = :b, a[17] = :c, a[50] = :d",
                    ":a",
                    s("a1"),
                    ":b",
                    s("a2"),
                    ":c",
                    s("a3"),
                    ":d",
                    s("a4"))
                .item()
                .get("a"))
        .isEqualTo(list(s("one"), s("two"), s("three"), s("a3"), s("a2"), s("a4"), s("a1")));
  }

  @Test
  void dynamoDbsNestedUpdateExample() {
    Item old =
        item("b", AttributeValue.m(Map.of("a", n(1), "b", n(2), "c", n(3))), "c", list(n(1), n(3)));
    UpdateResult r =
        apply(
            old,
            "set b.c=((c[1])+(b.a)),b.a = pk,c[1] = pk, c[4] = b.a - b.b, c[2] = b.c"
                + " add c[8] :b, c[6] :a",
            ":a",
            n(2),
            ":b",
            AttributeValue.ss("a"));
    assertThat(r.updatedNew())
        .isEqualTo(
            Item.of(
                Map.of(
                    "b",
                    AttributeValue.m(Map.of("a", s("k"), "c", n(4))),
                    "c",
                    list(s("k"), n(3), n(2)))));
    assertThat(r.item())
        .isEqualTo(
            item(
                "b",
                AttributeValue.m(Map.of("a", s("k"), "b", n(2), "c", n(4))),
                "c",
                list(n(1), s("k"), n(3), n(-1), n(2), AttributeValue.ss("a"))));
    assertThat(r.updatedOld())
        .isEqualTo(
            Item.of(Map.of("b", AttributeValue.m(Map.of("a", n(1), "c", n(3))), "c", list(n(3)))));
  }

  @Test
  void pathsWhoseParentDoesNotExist() {
    String bad = "The document path provided in the update expression is invalid for update";
    fails(() -> apply(null, "SET b.a = pk"), bad);
    fails(() -> apply(null, "SET b[1] = pk"), bad);
    Item old =
        item("b", s("a"), "c", AttributeValue.m(Map.of("1", s("a"))), "d", list(s("a"), s("b")));
    for (String e :
        List.of(
            "set b.a = :a",
            "set b[1] = :a",
            "set y.a = :a",
            "set y[1] = :a",
            "set c[1] = :a",
            "set d.#1 = :a",
            "remove b.a",
            "remove b[1]",
            "remove y.a",
            "remove y[1]",
            "remove c[1]",
            "remove d.#1",
            "delete b.a :a",
            "delete y[1] :a",
            "delete c[1] :a",
            "delete d.#1 :a",
            "add b.a :a",
            "add y[1] :a",
            "add c[1] :a",
            "add d.#1 :a",
            "set d[5].x = :a")) {
      Map<String, String> names = e.contains("#1") ? Map.of("#1", "1") : null;
      UpdateAst ast =
          ExpressionParser.update(e, Placeholders.of(names, Map.of(":a", AttributeValue.ss("a"))));
      fails(() -> UpdateApplier.apply(ast, old, KEY, SCHEMA), bad);
    }
    // DynamoDB ignores a REMOVE of a nested path when the item does not exist at all (and creates
    // no item: onAnItemThatDoesNotExistOnlyRemovingCreatesNothing)
    assertThat(apply(null, "REMOVE x.y, z[0]").item()).isNull();
    assertThat(apply(null, "REMOVE x.y SET a = :v", ":v", n(1)).item()).isEqualTo(item("a", n(1)));
    Item present = item("a", AttributeValue.m(Map.of("x", n(3))), "b", list(s("hi")));
    assertThat(apply(present, "REMOVE a.y, b[7], c").item()).isEqualTo(present);
  }

  @Test
  void keyAttributesCannotBeUpdated() {
    KeySchema both = KeySchema.of("a", AttributeType.S, "b", AttributeType.S);
    for (String e :
        List.of(
            "add a.b :v",
            "delete a :s",
            "remove d set b = :v, a = :v",
            "set a = a.b + a[1]",
            "REMOVE a")) {
      UpdateAst ast = ExpressionParser.update(e, placeholdersFor(e));
      fails(
          () -> UpdateApplier.apply(ast, null, Key.of("x", "y"), both),
          "One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key");
    }
    UpdateAst sk = ExpressionParser.update("set d[1] = :v add b.b :v", placeholdersFor(":v"));
    fails(
        () -> UpdateApplier.apply(sk, null, Key.of("x", "y"), both),
        "One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key");
  }

  private static Placeholders placeholdersFor(String expression) {
    Map<String, AttributeValue> v = new LinkedHashMap<>();
    if (expression.contains(":v")) {
      v.put(":v", n(1));
    }
    if (expression.contains(":s")) {
      v.put(":s", AttributeValue.ns("1"));
    }
    return Placeholders.of(null, v.isEmpty() ? null : v);
  }

  @Test
  void resultTooLarge() {
    String big = "x".repeat(300 * 1024);
    fails(
        () -> apply(item("a", s(big)), "SET b = a"),
        "Item size to update has exceeded the maximum allowed size");
  }

  @Test
  void returnValues() {
    Item old =
        item(
            "a",
            s("a"),
            "b",
            s("b"),
            "c",
            n(1),
            "m",
            AttributeValue.m(Map.of("a", s("a"), "b", list())));
    UpdateResult r =
        apply(old, "SET b = :b, m.a = :b REMOVE a ADD c :one, d :one", ":b", s("x"), ":one", n(1));
    assertThat(r.updatedOld())
        .isEqualTo(
            Item.of(
                Map.of(
                    "b",
                    s("b"),
                    "m",
                    AttributeValue.m(Map.of("a", s("a"))),
                    "a",
                    s("a"),
                    "c",
                    n(1))));
    assertThat(r.updatedNew())
        .isEqualTo(
            Item.of(
                Map.of(
                    "b",
                    s("x"),
                    "m",
                    AttributeValue.m(Map.of("a", s("x"))),
                    "c",
                    n(2),
                    "d",
                    n(1))));
  }
}
