package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DynamoDB's typing rules when a condition is evaluated. */
class ConditionEvaluatorTest {
  private static final AttributeValue BYTES =
      AttributeValue.b("hi there".getBytes(StandardCharsets.UTF_8));
  private static final Item ITEM =
      Item.builder()
          .string("s", "hello")
          .number("n", 5)
          .number("num", 9)
          .bool("flag", true)
          .put("nu", AttributeValue.nul())
          .put("b", BYTES)
          .put("ss", AttributeValue.ss("a", "b"))
          .put("ns", AttributeValue.ns("2", "4", "7"))
          .put("bs", AttributeValue.bs(List.of(new byte[] {1}, new byte[] {2})))
          .put("l", AttributeValue.l(n(2), s("dog"), n(7), AttributeValue.ss("x")))
          .put("m", AttributeValue.m(Map.of("x", n(1), "y", AttributeValue.l(n(-1), n(2), n(0)))))
          .string("u", "é")
          .build();

  private static boolean eval(String expression, Object... values) {
    Map<String, AttributeValue> v = map(values);
    Placeholders p = Placeholders.of(null, v.isEmpty() ? null : v);
    return ConditionEvaluator.matches(
        ExpressionParser.condition(expression, ExpressionKind.CONDITION, p), ITEM);
  }

  @Test
  void equalityNeedsTheSameTypeAndValue() {
    assertThat(eval("n = :v", ":v", n(5))).isTrue();
    assertThat(eval("n = :v", ":v", n("5.0"))).isTrue();
    assertThat(eval("n = :v", ":v", s("5"))).isFalse();
    assertThat(eval("ss = :v", ":v", AttributeValue.ss("b", "a"))).isTrue();
    assertThat(eval("m.y = :v", ":v", AttributeValue.l(n(-1), n(2), n(0)))).isTrue();
    assertThat(eval("flag = :v", ":v", AttributeValue.bool(true))).isTrue();
    assertThat(eval("nu = :v", ":v", AttributeValue.nul())).isTrue();
    assertThat(eval("n <> :v", ":v", s("5"))).isTrue();
    assertThat(eval("n <> :v", ":v", n(5))).isFalse();
  }

  @Test
  void missingOperands() {
    assertThat(eval("q = :v", ":v", n(1))).isFalse();
    assertThat(eval("q <> :v", ":v", n(1))).isTrue();
    assertThat(eval("q = z")).isFalse();
    assertThat(eval("q <> z")).isTrue();
    for (String op : new String[] {"<", "<=", ">", ">="}) {
      assertThat(eval("q " + op + " :v", ":v", n(1))).isFalse();
      assertThat(eval(":v " + op + " q", ":v", n(1))).isFalse();
      assertThat(eval("q " + op + " z")).isFalse();
    }
    assertThat(eval("q BETWEEN z AND x")).isFalse();
    assertThat(eval("q IN (:v)", ":v", n(1))).isFalse();
    assertThat(eval("m.z < m.y[100]")).isFalse();
  }

  @Test
  void ordering() {
    assertThat(eval("n < :v", ":v", n(6))).isTrue();
    assertThat(eval("n < :v", ":v", n(5))).isFalse();
    assertThat(eval("n <= :v", ":v", n(5))).isTrue();
    assertThat(eval("s > :v", ":v", s("Hello"))).isTrue();
    assertThat(eval("u > :v", ":v", s("z"))).isTrue();
    assertThat(eval("b < :v", ":v", AttributeValue.b(new byte[] {(byte) 0x80}))).isTrue();
    assertThat(eval("n < :v", ":v", s("17"))).isFalse();
    assertThat(eval("l < :v", ":v", n(1))).isFalse();
    assertThat(eval("flag > n")).isFalse();
    assertThat(eval("ss > n")).isFalse();
    assertThat(eval("m.x < m.y[1]")).isTrue();
    assertThat(eval("m.x < m.y[0]")).isFalse();
    assertThat(eval("n BETWEEN :a AND :b", ":a", n(5), ":b", n(5))).isTrue();
    assertThat(eval("n BETWEEN :a AND :b", ":a", n(6), ":b", n(9))).isFalse();
    assertThat(eval("n BETWEEN num AND :b", ":b", n(1))).isFalse();
    assertThat(eval("s BETWEEN :a AND :b", ":a", s("a"), ":b", s("i"))).isTrue();
  }

  @Test
  void in() {
    assertThat(eval("n IN (:a, :b)", ":a", s("dog"), ":b", n(5))).isTrue();
    assertThat(eval("n IN (:a, :b)", ":a", s("dog"), ":b", n(6))).isFalse();
    assertThat(eval("n IN (num, n)".replace("n)", "m.x)"))).isFalse();
    assertThat(eval("ss IN (:a)", ":a", AttributeValue.ss("a", "b"))).isTrue();
  }

  @Test
  void functions() {
    assertThat(eval("attribute_exists(m.y[2])")).isTrue();
    assertThat(eval("attribute_exists(m.y[3])")).isFalse();
    assertThat(eval("attribute_not_exists(zz)")).isTrue();
    assertThat(eval("attribute_type(s, :t)", ":t", s("S"))).isTrue();
    assertThat(eval("attribute_type(s, :t)", ":t", s("N"))).isFalse();
    assertThat(eval("attribute_type(nu, :t)", ":t", s("NULL"))).isTrue();
    assertThat(eval("attribute_type(zz, :t)", ":t", s("NULL"))).isFalse();
    assertThat(eval("attribute_type(:v, :t)", ":v", n(0), ":t", s("N"))).isTrue();
    assertThat(eval("begins_with(s, :p)", ":p", s("hell"))).isTrue();
    assertThat(eval("begins_with(s, :p)", ":p", s("dog"))).isFalse();
    assertThat(
            eval(
                "begins_with(b, :p)",
                ":p",
                AttributeValue.b("hi".getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(eval("begins_with(zz, :p)", ":p", s("h"))).isFalse();
    assertThat(eval("begins_with(:str, s)", ":str", s("hellohi"))).isTrue();
    assertThat(eval("begins_with(l, :p)", ":p", s("h"))).isFalse();
    assertThat(eval("contains(s, :v)", ":v", s("ell"))).isTrue();
    assertThat(eval("contains(ns, :v)", ":v", n(4))).isTrue();
    assertThat(eval("contains(ns, :v)", ":v", s("4"))).isFalse();
    assertThat(eval("contains(l, :v)", ":v", n(7))).isTrue();
    assertThat(eval("contains(l, :v)", ":v", AttributeValue.ss("x"))).isTrue();
    assertThat(
            eval(
                "contains(b, :v)", ":v", AttributeValue.b("here".getBytes(StandardCharsets.UTF_8))))
        .isTrue();
    assertThat(
            eval("contains(b, :v)", ":v", AttributeValue.b("dog".getBytes(StandardCharsets.UTF_8))))
        .isFalse();
    assertThat(eval("contains(b, :v)", ":v", AttributeValue.ss("x"))).isFalse();
    assertThat(eval("contains(ss, :v)", ":v", s("a"))).isTrue();
    assertThat(eval("contains(bs, :v)", ":v", AttributeValue.b(new byte[] {2}))).isTrue();
    assertThat(eval("contains(zz, :v)", ":v", s("a"))).isFalse();
    assertThat(eval("contains(s, zz)")).isFalse();
  }

  @Test
  void size() {
    assertThat(eval("size(s) = :v", ":v", n(5))).isTrue();
    assertThat(eval("size(u) = :v", ":v", n(2))).isTrue();
    assertThat(eval("size(ns) = :v", ":v", n(3))).isTrue();
    assertThat(eval("size(l) = :v", ":v", n(4))).isTrue();
    assertThat(eval("size(b) = :v", ":v", n(8))).isTrue();
    assertThat(eval("size(m) = :v", ":v", n(2))).isTrue();
    assertThat(eval("size(bs) = :v", ":v", n(2))).isTrue();
    assertThat(eval("size(:v) = :w", ":v", s("abc"), ":w", n(3))).isTrue();
    for (String a : new String[] {"num", "flag", "nu", "zz"}) {
      assertThat(eval("size(" + a + ") > :z", ":z", n(0))).as(a).isFalse();
      assertThat(eval("size(" + a + ") <> :z", ":z", n(0))).as(a).isTrue();
    }
    assertThat(eval("size(s) = :v", ":v", s("dog"))).isFalse();
    assertThat(eval("size(s) = num".replace("num", "n"))).isTrue();
    assertThat(eval("size(s) < :v", ":v", n(7))).isTrue();
  }

  @Test
  void logic() {
    assertThat(eval("n < num AND num < :v", ":v", n(10))).isTrue();
    assertThat(eval("n < num AND :v < num", ":v", n(10))).isFalse();
    assertThat(eval("num < n OR n < num")).isTrue();
    assertThat(eval("NOT num < n")).isTrue();
    assertThat(eval("NOT NOT NOT NOT n < num")).isTrue();
    assertThat(eval("n < num OR num < n AND num < n")).isTrue();
    assertThat(eval("NOT n < num AND num < n")).isFalse();
  }

  @Test
  void noItem() {
    Cond c =
        ExpressionParser.condition(
            "attribute_not_exists(pk)", ExpressionKind.CONDITION, Placeholders.none());
    assertThat(ConditionEvaluator.matches(c, null)).isTrue();
    assertThat(ConditionEvaluator.matches(c, Item.empty())).isTrue();
    assertThat(ConditionEvaluator.matches(c, ITEM)).isTrue();
    Cond e =
        ExpressionParser.condition(
            "attribute_exists(s)", ExpressionKind.CONDITION, Placeholders.none());
    assertThat(ConditionEvaluator.matches(e, null)).isFalse();
  }
}
