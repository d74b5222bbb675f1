package dev.coffer;

import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.ConditionEvaluator;
import dev.coffer.internal.expression.ExpressionKind;
import dev.coffer.internal.expression.ExpressionParser;
import dev.coffer.internal.expression.Placeholders;
import dev.coffer.internal.expression.Printer;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB condition: a ConditionExpression (on PutItem, UpdateItem, DeleteItem) or a
 * FilterExpression (on Query and Scan). Build one in code, with no expression syntax:
 *
 * <pre>{@code
 * Condition emailFree = Condition.attributeNotExists("email");
 * Condition active = Condition.path("status").eq(AttributeValue.s("active"))
 *     .and(Condition.path("a").attribute("b").index(3).gt(AttributeValue.n(0)));
 * }</pre>
 *
 * or from DynamoDB expression text, with its ExpressionAttributeNames and
 * ExpressionAttributeValues:
 *
 * <pre>{@code
 * Condition c = Condition.expression("attribute_not_exists(#e) OR #n < :max",
 *     Map.of("#e", "email", "#n", "logins"), Map.of(":max", AttributeValue.n(10)));
 * }</pre>
 *
 * Both forms make the same condition. The grammar, reserved words, placeholder rules and error
 * messages are DynamoDB's ({@code docs/expressions.md} lists them): every problem in the condition
 * itself is refused when it is made, with a {@link ValidationException} worded as DynamoDB words
 * it; evaluating never fails. To parse several expressions of one request with shared placeholders,
 * use {@link Expressions}.
 *
 * <p>Conditions built in code may nest AND, OR and NOT at most 1000 levels deep (a
 * ValidationException beyond); parsed ones are bounded by DynamoDB's 4 KB expression limit.
 *
 * <p>Immutable and thread-safe. Conditions with the same tree are equal.
 */
public final class Condition {
  /** The deepest nesting of AND, OR and NOT that conditions built in code may have. */
  static final int MAX_TREE_DEPTH = 1000;

  private final Cond cond;
  private final int depth;

  private Condition(Cond cond) {
    this(cond, 1);
  }

  private Condition(Cond cond, int depth) {
    if (depth > MAX_TREE_DEPTH) {
      throw new ValidationException(
          "Invalid ConditionExpression: The expression is nested too deeply; maximum depth: "
              + MAX_TREE_DEPTH);
    }
    this.cond = cond;
    this.depth = depth;
  }

  /** A condition tree that was checked already. */
  static Condition of(Cond cond) {
    return new Condition(cond);
  }

  /** Checks a tree made by the typed builders. */
  static Condition checked(Cond cond) {
    ExpressionParser.check(cond, ExpressionKind.CONDITION);
    return new Condition(cond);
  }

  /** The path to the top-level attribute {@code name}, to compare or to extend. */
  public static Path path(String name) {
    return Path.of(name);
  }

  /** {@code attribute_exists(name)}. */
  public static Condition attributeExists(String name) {
    return Path.of(name).exists();
  }

  /** {@code attribute_exists(path)}. */
  public static Condition attributeExists(Path path) {
    return Objects.requireNonNull(path, "path").exists();
  }

  /** {@code attribute_not_exists(name)}: e.g. "create only if no item has this key". */
  public static Condition attributeNotExists(String name) {
    return Path.of(name).notExists();
  }

  /** {@code attribute_not_exists(path)}. */
  public static Condition attributeNotExists(Path path) {
    return Objects.requireNonNull(path, "path").notExists();
  }

  /** {@code NOT condition}. */
  public static Condition not(Condition condition) {
    Objects.requireNonNull(condition, "condition");
    return new Condition(new Cond.Not(condition.cond), condition.depth + 1);
  }

  /** {@code this AND other}. */
  public Condition and(Condition other) {
    Objects.requireNonNull(other, "other");
    return new Condition(new Cond.And(cond, other.cond), Math.max(depth, other.depth) + 1);
  }

  /** {@code this OR other}. */
  public Condition or(Condition other) {
    Objects.requireNonNull(other, "other");
    return new Condition(new Cond.Or(cond, other.cond), Math.max(depth, other.depth) + 1);
  }

  /**
   * A ConditionExpression without placeholders, e.g. {@code attribute_not_exists(email)}.
   *
   * @throws ValidationException with DynamoDB's message ({@code Invalid ConditionExpression: ...})
   */
  public static Condition expression(String expression) {
    return parse(expression, null, null, ExpressionKind.CONDITION);
  }

  /**
   * A ConditionExpression with its placeholders. Every name and value given must be used, and every
   * placeholder used must be given.
   *
   * @param names ExpressionAttributeNames ({@code #name} to attribute name), or null
   * @param values ExpressionAttributeValues ({@code :value} to value), or null
   * @throws ValidationException with DynamoDB's message
   */
  public static Condition expression(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    return parse(expression, names, values, ExpressionKind.CONDITION);
  }

  /**
   * A FilterExpression without placeholders: the same grammar, errors worded {@code Invalid
   * FilterExpression: ...}.
   */
  public static Condition filterExpression(String expression) {
    return parse(expression, null, null, ExpressionKind.FILTER);
  }

  /** A FilterExpression with its placeholders (see {@link #expression(String, Map, Map)}). */
  public static Condition filterExpression(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    return parse(expression, names, values, ExpressionKind.FILTER);
  }

  private static Condition parse(
      String expression,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      ExpressionKind kind) {
    Objects.requireNonNull(expression, "expression");
    Placeholders p = Placeholders.of(emptyToNull(names), emptyToNull(values));
    Condition c = new Condition(ExpressionParser.condition(expression, kind, p));
    p.checkAllUsed();
    return c;
  }

  static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }

  /**
   * Whether the condition holds for {@code item}; pass null or {@link Item#empty()} for "no item"
   * (then only conditions like {@code attribute_not_exists} hold).
   */
  public boolean matches(Item item) {
    return ConditionEvaluator.matches(cond, item);
  }

  /** The tree, for the engine's operations. */
  Cond tree() {
    return cond;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition && ((Condition) o).cond.equals(cond);
  }

  @Override
  public int hashCode() {
    return cond.hashCode();
  }

  /** The condition as DynamoDB expression text, with the placeholders it needs. */
  @Override
  public String toString() {
    Printer.Printed p = Printer.condition(cond, name -> true);
    return Expressions.describe(p);
  }
}
