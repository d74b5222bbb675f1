package dev.coffer.internal.expression;

import java.util.List;

/**
 * An update expression: its actions in source order (each clause keyword appears once, so actions
 * of one clause are contiguous).
 */
public record UpdateAst(List<Action> actions) {
  public UpdateAst {
    actions = List.copyOf(actions);
  }

  /**
   * Whether every action only takes data away (REMOVE or DELETE): on an item that does not exist,
   * such an update changes nothing and, as in DynamoDB, does not create the item.
   */
  public boolean onlyRemoves() {
    return actions.stream()
        .allMatch(a -> a.section() == Section.REMOVE || a.section() == Section.DELETE);
  }

  /** The four clauses. */
  public enum Section {
    SET,
    REMOVE,
    ADD,
    DELETE
  }

  /** One action of a clause. */
  public sealed interface Action {
    /** The path the action writes. */
    Expr.PathRef path();

    /** The clause. */
    Section section();
  }

  /** {@code SET path = value}. */
  public record Set(Expr.PathRef path, SetValue value) implements Action {
    @Override
    public Section section() {
      return Section.SET;
    }
  }

  /** {@code REMOVE path}. */
  public record Remove(Expr.PathRef path) implements Action {
    @Override
    public Section section() {
      return Section.REMOVE;
    }
  }

  /** {@code ADD path :value}. */
  public record Add(Expr.PathRef path, Expr.Value value) implements Action {
    @Override
    public Section section() {
      return Section.ADD;
    }
  }

  /** {@code DELETE path :value}. */
  public record Delete(Expr.PathRef path, Expr.Value value) implements Action {
    @Override
    public Section section() {
      return Section.DELETE;
    }
  }

  /**
   * The right-hand side of a SET: an operand, or {@code left + right} / {@code left - right}
   * ({@code op} is {@code '+'} or {@code '-'}; 0 and a null {@code right} for a plain operand).
   */
  public record SetValue(Expr left, char op, Expr right) {
    /** A plain operand. */
    public static SetValue of(Expr operand) {
      return new SetValue(operand, (char) 0, null);
    }

    /** Whether this is {@code left + right} or {@code left - right}. */
    public boolean isArithmetic() {
      return op != 0;
    }
  }
}
