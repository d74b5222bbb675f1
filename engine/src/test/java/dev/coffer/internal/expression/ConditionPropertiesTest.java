package dev.coffer.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Item;
import dev.coffer.internal.expression.ConditionModel.C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random well-formed conditions, printed with random placeholder use, whitespace, keyword case and
 * parentheses, evaluate on random items exactly as the independent {@link ReferenceEvaluator} says;
 * and the production printer writes every parsed condition back to text that parses to the same
 * tree.
 */
class ConditionPropertiesTest {

  @Property(tries = 3000)
  void parsedConditionsEvaluateAsTheReference(@ForAll long seed) {
    RandomModels gen = new RandomModels(seed);
    Item item = gen.item();
    C model = gen.condition(item, 3);
    ModelPrinter printer = new ModelPrinter(gen.random());
    String text = printer.print(model);
    Placeholders p =
        Placeholders.of(
            printer.names.isEmpty() ? null : printer.names,
            printer.values.isEmpty() ? null : printer.values);
    Cond parsed = ExpressionParser.condition(text, ExpressionKind.FILTER, p);
    p.checkAllUsed();
    boolean expected = ReferenceEvaluator.eval(model, item);
    Statistics.label("condition holds").collect(expected);
    assertThat(ConditionEvaluator.matches(parsed, item))
        .as("%s on %s", text, item)
        .isEqualTo(expected);
    Item other = gen.item();
    assertThat(ConditionEvaluator.matches(parsed, other))
        .as("%s on %s", text, other)
        .isEqualTo(ReferenceEvaluator.eval(model, other));
  }

  @Property(tries = 2000)
  void printedConditionsParseBackToTheSameTree(@ForAll long seed) {
    RandomModels gen = new RandomModels(seed);
    C model = gen.condition(gen.item(), 3);
    ModelPrinter printer = new ModelPrinter(gen.random());
    Cond parsed =
        ExpressionParser.condition(
            printer.print(model),
            ExpressionKind.CONDITION,
            Placeholders.of(
                printer.names.isEmpty() ? null : printer.names,
                printer.values.isEmpty() ? null : printer.values));
    Printer.Printed again = Printer.condition(parsed, name -> gen.random().nextBoolean());
    Placeholders p =
        Placeholders.of(
            again.names().isEmpty() ? null : again.names(),
            again.values().isEmpty() ? null : again.values());
    assertThat(ExpressionParser.condition(again.expression(), ExpressionKind.CONDITION, p))
        .as(again.expression())
        .isEqualTo(parsed);
    p.checkAllUsed();
  }
}
