package dev.coffer.internal.expression;

import static dev.coffer.internal.expression.Fixtures.n;
import static dev.coffer.internal.expression.Fixtures.projection;
import static dev.coffer.internal.expression.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape of projected items, as DynamoDB returns them. */
class ProjectorTest {
  private static final AttributeValue XY = AttributeValue.m(Map.of("x", s("hi"), "y", s("yo")));
  private static final Item ITEM =
      Item.builder()
          .string("p", "k")
          .put("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2), n(4), XY), "c", n(5))))
          .string("b", "hello")
          .build();

  private static Item project(String expression) {
    return Projector.project(ITEM, projection(expression));
  }

  @Test
  void nestedShapes() {
    assertThat(project("a")).isEqualTo(ITEM.project(List.of("a")));
    assertThat(project("a.b"))
        .isEqualTo(
            Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2), n(4), XY))))));
    assertThat(project("a.b[0]"))
        .isEqualTo(Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2)))))));
    assertThat(project("a.b[2]"))
        .isEqualTo(Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(XY))))));
    assertThat(project("a.b[2].y"))
        .isEqualTo(
            Item.of(
                Map.of(
                    "a",
                    AttributeValue.m(
                        Map.of("b", AttributeValue.l(AttributeValue.m(Map.of("y", s("yo")))))))));
    assertThat(project("a.b[0],a.b[1]"))
        .isEqualTo(
            Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2), n(4)))))));
    assertThat(project("a.b[2], a.b[0]"))
        .isEqualTo(Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2), XY))))));
    assertThat(project("a.b[0],a.c"))
        .isEqualTo(
            Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2)), "c", n(5))))));
    assertThat(project("a.c,b"))
        .isEqualTo(Item.of(Map.of("a", AttributeValue.m(Map.of("c", n(5))), "b", s("hello"))));
    assertThat(project("a.x, a.b[0], x, a.b[3].x"))
        .isEqualTo(Item.of(Map.of("a", AttributeValue.m(Map.of("b", AttributeValue.l(n(2)))))));
  }

  @Test
  void missingPathsGiveNothing() {
    for (String e :
        new String[] {
          "x", "a.b[3]", "a.x", "a.x.y", "a.b[3].x", "a.b.x", "a[0]", "a.b[0].x", "a.b[0][0]"
        }) {
      assertThat(project(e)).as(e).isEqualTo(Item.empty());
    }
    assertThat(Projector.project(null, projection("a"))).isEqualTo(Item.empty());
  }
}
