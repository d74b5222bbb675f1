package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.fails;
import static dev.coffer.internal.expression.Fixtures.map;
import static dev.coffer.internal.expression.Fixtures.path;
import static dev.coffer.internal.expression.Fixtures.projection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule of the projection grammar, and every error DynamoDB reports for projections. */
class ProjectionParserTest {
  @Test
  void paths() {
    assertThat(projection("a")).containsExactly(path("a"));
    assertThat(projection(" a  ,   b  ")).containsExactly(path("a"), path("b"));
    assertThat(projection("a.b[0], #a.#b[2].c, x[1][2]"))
        .containsExactly(path("a", "b", 0), path("a", "b", 2, "c"), path("x", 1, 2));
    assertThat(projection("#c")).containsExactly(path("c"));
    assertThat(projection("andy, x.inside")).containsExactly(path("andy"), path("x", "inside"));
    assertThat(ExpressionParser.projection("#n", Placeholders.of(map("#n", "a.b"), null)))
        .containsExactly(path("a.b"));
  }

  @Test
  void syntaxErrors() {
    fails(
        () -> projection("a,"),
        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    fails(
        () -> projection(",a"),
        "Invalid ProjectionExpression: Syntax error; token: \",\", near: \",a\"");
    fails(
        () -> projection("a,,b"),
        "Invalid ProjectionExpression: Syntax error; token: \",\", near: \",,b\"");
    fails(
        () -> projection("a b"),
        "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"");
    fails(
        () -> projection("l[a]"),
        "Invalid ProjectionExpression: Syntax error; token: \"a\", near: \"[a]\"");
    fails(
        () -> projection("l[]"),
        "Invalid ProjectionExpression: Syntax error; token: \"]\", near: \"[]\"");
    fails(
        () -> projection("(a)"),
        "Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"(a\"");
    fails(
        () -> projection("a = b"),
        "Invalid ProjectionExpression: Syntax error; token: \"=\", near: \"a = b\"");
    fails(() -> projection(""), "Invalid ProjectionExpression: The expression can not be empty;");
    String big = "a" + "z".repeat(4096);
    fails(
        () -> projection(big),
        "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;");
    projection("a" + "z".repeat(4095));
  }

  @Test
  void reservedAndPlaceholders() {
    fails(
        () -> projection("a, Comment"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment");
    fails(
        () -> projection("and"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved"
            + " keyword: and");
    fails(
        () -> projection("#zz"),
        "Invalid ProjectionExpression: An expression attribute name used in the document"
            + " path is not defined; attribute name: #zz");
    fails(
        () -> projection("#zz, name"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
    Placeholders p = Placeholders.of(map("#a", "a", "#unused", "b"), null);
    ExpressionParser.projection("#a", p);
    fails(
        p::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
  }

  @Test
  void overlapsAndConflicts() {
    for (String e :
        List.of(
            "a, a",
            "a.b, a.b",
            "a[1], a[1]",
            "a, a.b",
            "a.b, a",
            "a.b, a.b[2]",
            "a.b, a.b.c",
            "a, a.b[2].c",
            "a.b.d, a.b",
            "a.b.d.e, a.b",
            "a.b, a.b.d",
            "a.b, a.b.d.e")) {
      assertThat(catchThrowable(() -> projection(e)))
          .as(e)
          .hasMessageContaining(
              "Invalid ProjectionExpression: Two document paths overlap with each other; must remove"
                  + " or rewrite one of these paths; path one: ");
    }
    fails(
        () -> projection("a.b[0],a.b[0]"),
        "Invalid ProjectionExpression: Two document paths overlap with each"
            + " other; must remove or rewrite one of these paths; path one: [a, b, [0]], path two: [a, b, [0]]");
    fails(
        () -> projection("a.b, a[1]"),
        "Invalid ProjectionExpression: Two document paths conflict with each other;"
            + " must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
    for (String e : List.of("a, b", "a.b, a.c", "a.b.d, a.b.e", "a[1], a[2]", "a.b, a.c[2]")) {
      projection(e);
    }
  }
}
