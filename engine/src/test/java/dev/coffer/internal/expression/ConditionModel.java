package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import java.util.List;

/**
 * A test-side model of DynamoDB conditions, independent of the production tree: the property tests
 * generate these, print them as expression text with {@link ModelPrinter}, and evaluate them with
 * {@link ReferenceEvaluator}.
 */
final class ConditionModel {
  private ConditionModel() {}

  /** A condition. */
  sealed interface C permits Cmp, Btw, InList, Fn, And, Or, Not {}

  /** {@code l op r}; op is one of = <> < <= > >=. */
  record Cmp(String op, O l, O r) implements C {}

  /** {@code x BETWEEN lo AND hi}. */
  record Btw(O x, O lo, O hi) implements C {}

  /** {@code x IN (candidates)}. */
  record InList(O x, List<O> candidates) implements C {}

  /** attribute_exists, attribute_not_exists, attribute_type, begins_with or contains. */
  record Fn(String name, List<O> args) implements C {}

  record And(C l, C r) implements C {}

  record Or(C l, C r) implements C {}

  record Not(C c) implements C {}

  /** An operand. */
  sealed interface O permits P, V, Size {}

  /** A document path: String names and Integer indexes, a name first. */
  record P(List<Object> elements) implements O {}

  /** A literal value. */
  record V(AttributeValue value) implements O {}

  /** {@code size(arg)}. */
  record Size(O arg) implements O {}
}
