package dev.coffer.internal.query;

import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.Expr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DynamoDB's rule that a Query's FilterExpression names no key attribute (the key condition selects
 * on those): {@code Filter Expression can only contain non-primary key attributes: Primary key
 * attribute: pk}, the partition key checked first. Scan filters may name any attribute. Stateless.
 */
public final class FilterKeys {
  private FilterKeys() {}

  /**
   * @throws ValidationException when {@code filter} names a key attribute of {@code schema}
   */
  public static void checkQueryFilter(Cond filter, KeySchema schema) {
    Set<String> heads = topLevelNames(filter);
    for (String key :
        schema.hasSortKey()
            ? List.of(schema.partitionKeyName(), schema.sortKeyName())
            : List.of(schema.partitionKeyName())) {
      if (heads.contains(key)) {
        throw new ValidationException(
            "Filter Expression can only contain non-primary key attributes: Primary key"
                + " attribute: "
                + key);
      }
    }
  }

  /**
   * The top-level attribute names of every document path in {@code c} (walked without recursion).
   */
  static Set<String> topLevelNames(Cond c) {
    Set<String> names = new HashSet<>();
    Deque<Object> pending = new ArrayDeque<>();
    pending.push(c);
    while (!pending.isEmpty()) {
      Object next = pending.pop();
      if (next instanceof Cond.And a) {
        pending.push(a.left());
        pending.push(a.right());
      } else if (next instanceof Cond.Or o) {
        pending.push(o.left());
        pending.push(o.right());
      } else if (next instanceof Cond.Not n) {
        pending.push(n.operand());
      } else if (next instanceof Cond.Compare cmp) {
        pending.push(cmp.left());
        pending.push(cmp.right());
      } else if (next instanceof Cond.Between b) {
        pending.push(b.subject());
        pending.push(b.low());
        pending.push(b.high());
      } else if (next instanceof Cond.In in) {
        pending.push(in.subject());
        in.candidates().forEach(pending::push);
      } else if (next instanceof Cond.Function f) {
        pending.push(f.call());
      } else if (next instanceof Expr.Call call) {
        call.args().forEach(pending::push);
      } else if (next instanceof Expr.PathRef p) {
        names.add(p.path().head());
      }
    }
    return names;
  }
}
