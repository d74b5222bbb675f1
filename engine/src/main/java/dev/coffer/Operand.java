package dev.coffer;

import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.Expr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One side of a comparison in a {@link Condition}: a document {@link Path}, a value ({@link
 * #value}), or the size of a path ({@link Path#size()}). Comparing operands makes a condition:
 *
 * <pre>{@code
 * Condition adult = Path.of("age").ge(AttributeValue.n(18));
 * Condition shortName = Path.of("name").size().lt(AttributeValue.n(4));
 * Condition sameCity = Path.of("home").attribute("city").eq(Path.of("work").attribute("city"));
 * }</pre>
 *
 * <p>DynamoDB's typing rules apply when the condition is evaluated: values of different types are
 * never equal and never ordered, so such comparisons are false, not errors. Some mistakes are
 * visible in the condition itself and are refused at once with DynamoDB's {@link
 * ValidationException}, e.g. ordering a BOOL value ({@code Incorrect operand type for operator or
 * function; operator or function: <, operand type: BOOL}) or comparing a path with itself.
 *
 * <p>Immutable and thread-safe. Only this package makes operands.
 */
public abstract class Operand {
  Operand() {}

  /** The operand as the expression tree holds it. */
  abstract Expr expr();

  /** A value, for comparisons that put the value first or compare two values. */
  public static Operand value(AttributeValue value) {
    Expr.Value v = Expr.Value.of(Objects.requireNonNull(value, "value"));
    return new Operand() {
      @Override
      Expr expr() {
        return v;
      }

      @Override
      public String toString() {
        return value.toString();
      }
    };
  }

  /** {@code this = other}. */
  public Condition eq(Operand other) {
    return compare(Cond.Comparator.EQ, other);
  }

  /** {@code this = value}. */
  public Condition eq(AttributeValue value) {
    return eq(value(value));
  }

  /** {@code this <> other}: also true when either side does not exist. */
  public Condition ne(Operand other) {
    return compare(Cond.Comparator.NE, other);
  }

  /** {@code this <> value}: also true when this does not exist. */
  public Condition ne(AttributeValue value) {
    return ne(value(value));
  }

  /** {@code this < other} (S, N and B only). */
  public Condition lt(Operand other) {
    return compare(Cond.Comparator.LT, other);
  }

  /** {@code this < value} (S, N and B only). */
  public Condition lt(AttributeValue value) {
    return lt(value(value));
  }

  /** {@code this <= other} (S, N and B only). */
  public Condition le(Operand other) {
    return compare(Cond.Comparator.LE, other);
  }

  /** {@code this <= value} (S, N and B only). */
  public Condition le(AttributeValue value) {
    return le(value(value));
  }

  /** {@code this > other} (S, N and B only). */
  public Condition gt(Operand other) {
    return compare(Cond.Comparator.GT, other);
  }

  /** {@code this > value} (S, N and B only). */
  public Condition gt(AttributeValue value) {
    return gt(value(value));
  }

  /** {@code this >= other} (S, N and B only). */
  public Condition ge(Operand other) {
    return compare(Cond.Comparator.GE, other);
  }

  /** {@code this >= value} (S, N and B only). */
  public Condition ge(AttributeValue value) {
    return ge(value(value));
  }

  /**
   * {@code this BETWEEN low AND high}: {@code low <= this <= high}. Two values of different types,
   * or a low above the high, are refused as in DynamoDB.
   */
  public Condition between(AttributeValue low, AttributeValue high) {
    return between(value(low), value(high));
  }

  /** {@code this BETWEEN low AND high}. */
  public Condition between(Operand low, Operand high) {
    return Condition.checked(new Cond.Between(expr(), require(low).expr(), require(high).expr()));
  }

  /** {@code this IN (values...)}: equal to one of them; up to 99 values (100 operands). */
  public Condition in(AttributeValue... values) {
    List<Operand> operands = new ArrayList<>();
    for (AttributeValue v : values) {
      operands.add(value(v));
    }
    return in(operands);
  }

  /** {@code this IN (candidates...)}. */
  public Condition in(Collection<? extends Operand> candidates) {
    if (candidates.isEmpty()) {
      throw new ValidationException("Invalid ConditionExpression: IN takes at least one operand");
    }
    List<Expr> list = new ArrayList<>();
    for (Operand o : candidates) {
      list.add(require(o).expr());
    }
    return Condition.checked(new Cond.In(expr(), list));
  }

  private Condition compare(Cond.Comparator op, Operand other) {
    return Condition.checked(new Cond.Compare(op, expr(), require(other).expr()));
  }

  static <T> T require(T value) {
    return Objects.requireNonNull(value, "operand");
  }
}
