package dev.coffer.internal.query;

import dev.coffer.Item;
import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.ConditionEvaluator;
import java.util.function.UnaryOperator;

/**
 * What a Query or Scan page keeps of the items it reads: those the filter (a checked
 * FilterExpression, or null) matches, each projected (or whole when {@code projection} is null), or
 * none at all but their count ({@code countOnly}, DynamoDB's Select COUNT). Immutable.
 */
public record PageShape(Cond filter, UnaryOperator<Item> projection, boolean countOnly) {
  /** Every item read, whole. */
  public static final PageShape WHOLE = new PageShape(null, null, false);

  /** Whether {@code item} passes the filter. */
  boolean matches(Item item) {
    return filter == null || ConditionEvaluator.matches(filter, item);
  }

  /** {@code item} as the page returns it. */
  Item shape(Item item) {
    return projection == null ? item : projection.apply(item);
  }
}
