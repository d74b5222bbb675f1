package dev.coffer;

import dev.coffer.internal.expression.Expr;
import dev.coffer.internal.expression.ExpressionParser;
import dev.coffer.internal.expression.Placeholders;
import dev.coffer.internal.expression.Printer;
import dev.coffer.internal.expression.UpdateApplier;
import dev.coffer.internal.expression.UpdateAst;
import dev.coffer.internal.expression.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB UpdateExpression: SET, REMOVE, ADD and DELETE actions on one item. Build one in code:
 *
 * <pre>{@code
 * Update u = Update.builder()
 *     .set("name", AttributeValue.s("Ada"))
 *     .set(Path.of("visits"), Update.Value.path("visits").plus(Update.Value.of(AttributeValue.n(1))))
 *     .remove(Path.of("tags").index(0))
 *     .add("logins", AttributeValue.n(1))
 *     .delete("roles", AttributeValue.ss("guest"))
 *     .build();
 * }</pre>
 *
 * or from expression text with its placeholders:
 *
 * <pre>{@code
 * Update u = Update.expression("SET #n = :n ADD logins :one", Map.of("#n", "name"),
 *     Map.of(":n", AttributeValue.s("Ada"), ":one", AttributeValue.n(1)));
 * }</pre>
 *
 * The rules are DynamoDB's: each clause once, no two actions on overlapping paths ({@code a} and
 * {@code a.b}) or conflicting ones ({@code a.b} and {@code a[1]}), ADD only numbers and sets,
 * DELETE only sets, {@code +} and {@code -} only numbers, {@code list_append} only lists. What the
 * update itself gets wrong is refused when it is made ({@link ValidationException}, DynamoDB's
 * wording); what depends on the item (a SET from a missing attribute, ADD to a list, a path whose
 * parent does not exist, a result over 400 KB or nested too deeply) is refused when the update is
 * applied, and nothing is written.
 *
 * <p>Immutable and thread-safe. Updates with the same actions in the same order are equal.
 */
public final class Update {
  private final UpdateAst ast;

  private Update(UpdateAst ast) {
    this.ast = ast;
  }

  /** A checked update tree. */
  static Update of(UpdateAst ast) {
    return new Update(ast);
  }

  /** A builder for an update in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this update's actions, to add more. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (UpdateAst.Action a : ast.actions()) {
      switch (a.section()) {
        case SET:
          b.sets.add(a);
          break;
        case REMOVE:
          b.removes.add(a);
          break;
        case ADD:
          b.adds.add(a);
          break;
        default:
          b.deletes.add(a);
      }
    }
    return b;
  }

  /**
   * An UpdateExpression without placeholders, e.g. {@code REMOVE draft}.
   *
   * @throws ValidationException with DynamoDB's message ({@code Invalid UpdateExpression: ...})
   */
  public static Update expression(String expression) {
    return expression(expression, null, null);
  }

  /**
   * An UpdateExpression with its placeholders; every name and value given must be used.
   *
   * @param names ExpressionAttributeNames, or null
   * @param values ExpressionAttributeValues, or null
   * @throws ValidationException with DynamoDB's message
   */
  public static Update expression(
      String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    Objects.requireNonNull(expression, "expression");
    Placeholders p = Placeholders.of(Condition.emptyToNull(names), Condition.emptyToNull(values));
    Update u = new Update(ExpressionParser.update(expression, p));
    p.checkAllUsed();
    return u;
  }

  /** The tree, for the engine's operations. */
  UpdateAst tree() {
    return ast;
  }

  /**
   * Applies the update to {@code old} (null when there is no item; the new item then starts from
   * {@code key}) on a table of {@code schema}: the new item and what UPDATED_OLD and UPDATED_NEW
   * return. For the engine's UpdateItem.
   */
  UpdateResult applyTo(Item old, Key key, KeySchema schema) {
    return UpdateApplier.apply(ast, old, key, schema);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Update && ((Update) o).ast.equals(ast);
  }

  @Override
  public int hashCode() {
    return ast.hashCode();
  }

  /** The update as DynamoDB expression text, with the placeholders it needs. */
  @Override
  public String toString() {
    return Expressions.describe(Printer.update(ast, name -> true));
  }

  /**
   * The right-hand side of a SET: a value, a path (its value before the update), {@code
   * if_not_exists}, {@code list_append}, or one {@code +} or {@code -} of two of those. Immutable
   * and thread-safe.
   */
  public static final class Value {
    private final Expr operand;
    private final UpdateAst.SetValue arithmetic;

    private Value(Expr operand, UpdateAst.SetValue arithmetic) {
      this.operand = operand;
      this.arithmetic = arithmetic;
    }

    /** A literal value. */
    public static Value of(AttributeValue value) {
      return new Value(Expr.Value.of(Objects.requireNonNull(value, "value")), null);
    }

    /** The value at {@code path} before the update (it must exist). */
    public static Value path(Path path) {
      return new Value(Objects.requireNonNull(path, "path").expr(), null);
    }

    /** The value of the top-level attribute {@code name} before the update (it must exist). */
    public static Value path(String name) {
      return path(Path.of(name));
    }

    /** {@code if_not_exists(path, fallback)}: the value at {@code path}, or {@code fallback}. */
    public static Value ifNotExists(Path path, Value fallback) {
      return new Value(
          new Expr.Call(
              "if_not_exists",
              List.of(Objects.requireNonNull(path, "path").expr(), operand(fallback))),
          null);
    }

    /** {@code list_append(first, second)}: two lists joined. */
    public static Value listAppend(Value first, Value second) {
      return new Value(
          new Expr.Call("list_append", List.of(operand(first), operand(second))), null);
    }

    /** {@code this + other} on numbers (once per SET value, as in DynamoDB). */
    public Value plus(Value other) {
      return new Value(null, new UpdateAst.SetValue(operand(this), '+', operand(other)));
    }

    /** {@code this - other} on numbers (once per SET value, as in DynamoDB). */
    public Value minus(Value other) {
      return new Value(null, new UpdateAst.SetValue(operand(this), '-', operand(other)));
    }

    private static Expr operand(Value v) {
      Objects.requireNonNull(v, "value");
      if (v.arithmetic != null) {
        throw new ValidationException(
            "Invalid UpdateExpression: a SET value takes one + or -, at its top level;"
                + " it cannot be an operand of another +, -, if_not_exists or list_append");
      }
      return v.operand;
    }

    UpdateAst.SetValue setValue() {
      return arithmetic != null ? arithmetic : UpdateAst.SetValue.of(operand);
    }
  }

  /**
   * Builds an {@link Update}; actions of each clause keep the order they were added in. {@link
   * #build()} checks the update. Not thread-safe.
   */
  public static final class Builder {
    private final List<UpdateAst.Action> sets = new ArrayList<>();
    private final List<UpdateAst.Action> removes = new ArrayList<>();
    private final List<UpdateAst.Action> adds = new ArrayList<>();
    private final List<UpdateAst.Action> deletes = new ArrayList<>();

    private Builder() {}

    /** {@code SET name = value}. */
    public Builder set(String name, AttributeValue value) {
      return set(Path.of(name), Value.of(value));
    }

    /** {@code SET path = value}. */
    public Builder set(Path path, AttributeValue value) {
      return set(path, Value.of(value));
    }

    /** {@code SET name = value}. */
    public Builder set(String name, Value value) {
      return set(Path.of(name), value);
    }

    /** {@code SET path = value}. */
    public Builder set(Path path, Value value) {
      sets.add(new UpdateAst.Set(ref(path), Objects.requireNonNull(value, "value").setValue()));
      return this;
    }

    /** {@code REMOVE name}. */
    public Builder remove(String name) {
      return remove(Path.of(name));
    }

    /** {@code REMOVE path}: a list element's removal shifts the elements after it. */
    public Builder remove(Path path) {
      removes.add(new UpdateAst.Remove(ref(path)));
      return this;
    }

    /** {@code ADD name value}: add a number, or add members to a set (creating it if absent). */
    public Builder add(String name, AttributeValue value) {
      return add(Path.of(name), value);
    }

    /** {@code ADD path value}. */
    public Builder add(Path path, AttributeValue value) {
      adds.add(new UpdateAst.Add(ref(path), Expr.Value.of(Objects.requireNonNull(value, "value"))));
      return this;
    }

    /** {@code DELETE name set}: remove members from a set (the attribute goes when it empties). */
    public Builder delete(String name, AttributeValue set) {
      return delete(Path.of(name), set);
    }

    /** {@code DELETE path set}. */
    public Builder delete(Path path, AttributeValue set) {
      deletes.add(
          new UpdateAst.Delete(ref(path), Expr.Value.of(Objects.requireNonNull(set, "set"))));
      return this;
    }

    private static Expr.PathRef ref(Path path) {
      return Expr.PathRef.of(Objects.requireNonNull(path, "path").docPath());
    }

    /**
     * The update: SET, then REMOVE, ADD and DELETE actions.
     *
     * @throws ValidationException with DynamoDB's message when the update has no action, paths
     *     overlap or conflict, or an operand has the wrong type
     */
    public Update build() {
      List<UpdateAst.Action> actions = new ArrayList<>(sets);
      actions.addAll(removes);
      actions.addAll(adds);
      actions.addAll(deletes);
      UpdateAst ast = new UpdateAst(actions);
      ExpressionParser.check(ast);
      return new Update(ast);
    }
  }
}
