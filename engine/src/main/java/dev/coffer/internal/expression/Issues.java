package dev.coffer.internal.expression;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The semantic errors found in one expression, by category, the first of each category kept.
 * DynamoDB reports one error per request, choosing by category in a fixed order that differs per
 * expression kind ({@link #first(List)}); the parsers and checkers record errors in source order.
 * Not thread-safe.
 */
final class Issues {
  /** Error categories; each grammar reports them in its own order. */
  enum Category {
    PARENS,
    UNKNOWN_FUNCTION,
    MISUSED_FUNCTION,
    RESERVED,
    SECTION,
    ATTR_NAME,
    ATTR_VALUE,
    PATH_OVERLAP,
    PATH_CONFLICT,
    OPERAND,
    DISTINCT,
    FUNCTION,
    /**
     * Conditions: the first leaf condition's error among names/values, operands, distinctness,
     * types.
     */
    CONDITION
  }

  private final Map<Category, String> errors = new EnumMap<>(Category.class);

  /** Records {@code message} unless the category already has an error. */
  void add(Category category, String message) {
    errors.putIfAbsent(category, message);
  }

  boolean has(Category category) {
    return errors.containsKey(category);
  }

  String get(Category category) {
    return errors.get(category);
  }

  /** The error of the first category in {@code order} that has one, or null. */
  String first(List<Category> order) {
    for (Category c : order) {
      String e = errors.get(c);
      if (e != null) {
        return e;
      }
    }
    return null;
  }
}
