package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.AttributeValue;
import dev.coffer.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shorthands for the expression tests. */
final class Fixtures {
  private Fixtures() {}

  static AttributeValue s(String s) {
    return AttributeValue.s(s);
  }

  static AttributeValue n(String n) {
    return AttributeValue.n(n);
  }

  static AttributeValue n(long n) {
    return AttributeValue.n(n);
  }

  /** A map from alternating keys and values. */
  @SuppressWarnings("unchecked")
  static <V> Map<String, V> map(Object... kv) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (V) kv[i + 1]);
    }
    return m;
  }

  /** Values {@code :a ... } used by most tests: S, N, B, BOOL, NULL, SS, NS, L, M. */
  static Map<String, AttributeValue> values() {
    return map(
        ":s",
        s("x"),
        ":t",
        s("y"),
        ":n",
        n(1),
        ":m",
        n(2),
        ":b",
        AttributeValue.b(new byte[] {1}),
        ":bool",
        AttributeValue.bool(true),
        ":null",
        AttributeValue.nul(),
        ":ss",
        AttributeValue.ss("a"),
        ":ns",
        AttributeValue.ns("1"),
        ":l",
        AttributeValue.l(n(1)),
        ":map",
        AttributeValue.m(Map.of("k", s("v"))),
        ":type",
        s("S"));
  }

  /**
   * Parses a condition with all of {@link #values()} and names {@code #a -> a}, {@code #b -> b}.
   */
  static Cond cond(String text) {
    return cond(text, ExpressionKind.CONDITION);
  }

  static Cond cond(String text, ExpressionKind kind) {
    Placeholders p = Placeholders.of(map("#a", "a", "#b", "b", "#dot", "x.y"), values());
    return ExpressionParser.condition(text, kind, p);
  }

  static UpdateAst update(String text) {
    Placeholders p = Placeholders.of(map("#a", "a", "#b", "b", "#c", "c"), values());
    return ExpressionParser.update(text, p);
  }

  static List<DocPath> projection(String text) {
    return ExpressionParser.projection(
        text, Placeholders.of(map("#a", "a", "#b", "b", "#c", "c"), null));
  }

  static void fails(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(ValidationException.class).hasMessage(message);
  }

  static DocPath path(Object... elements) {
    DocPath p = DocPath.of((String) elements[0]);
    for (int i = 1; i < elements.length; i++) {
      p =
          elements[i] instanceof Integer
              ? p.child((Integer) elements[i])
              : p.child((String) elements[i]);
    }
    return p;
  }

  static Expr.PathRef ref(Object... elements) {
    return Expr.PathRef.of(path(elements));
  }

  static Expr.Value val(AttributeValue v) {
    return Expr.Value.of(v);
  }
}
