package dev.coffer.internal.expression;

import java.util.List;

/** A condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
public sealed interface Cond {
  /** {@code left op right}. */
  record Compare(Comparator op, Expr left, Expr right) implements Cond {}

  /** {@code subject BETWEEN low AND high}. */
  record Between(Expr subject, Expr low, Expr high) implements Cond {}

  /** {@code subject IN (candidates...)}. */
  record In(Expr subject, List<Expr> candidates) implements Cond {
    public In {
      candidates = List.copyOf(candidates);
    }
  }

  /** A function call used as a condition, e.g. {@code attribute_exists(a)}. */
  record Function(Expr.Call call) implements Cond {}

  /** {@code left AND right}. */
  record And(Cond left, Cond right) implements Cond {}

  /** {@code left OR right}. */
  record Or(Cond left, Cond right) implements Cond {}

  /** {@code NOT operand}. */
  record Not(Cond operand) implements Cond {}

  /** The comparators. */
  enum Comparator {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }

    /** The comparator as written in an expression. */
    public String symbol() {
      return symbol;
    }

    /** The comparator of {@code symbol}, or null. */
    static Comparator of(String symbol) {
      for (Comparator c : values()) {
        if (c.symbol.equals(symbol)) {
          return c;
        }
      }
      return null;
    }

    /** Whether this is one of {@code < <= > >=}. */
    public boolean isOrdering() {
      return this != EQ && this != NE;
    }

    /** The comparator with its operands swapped: {@code a < b} is {@code b > a}. */
    public Comparator flip() {
      switch (this) {
        case LT:
          return GT;
        case LE:
          return GE;
        case GT:
          return LT;
        case GE:
          return LE;
        default:
          return this;
      }
    }
  }
}
