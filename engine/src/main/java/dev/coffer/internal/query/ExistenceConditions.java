package dev.coffer.internal.query;

import dev.coffer.KeySchema;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.expression.Cond;
import dev.coffer.internal.expression.Expr;
import dev.coffer.internal.record.Entry;
import java.util.HashSet;
import java.util.Set;

/**
 * Conditions that only ask whether top-level attributes exist ({@code attribute_exists(a)}, {@code
 * attribute_not_exists(a)}, joined by AND, OR and NOT): the common "create only if absent" and
 * "change only if present". They are evaluated from the stored entry's attribute names, without
 * decoding the item's values; when they name only key attributes, from whether the entry exists at
 * all. Stateless.
 */
final class ExistenceConditions {
  private ExistenceConditions() {}

  /** The top-level names {@code c} tests, when existence is all it tests; else null. */
  static Set<String> names(Cond c) {
    Set<String> names = new HashSet<>();
    return collect(c, names, 0) ? names : null;
  }

  private static boolean collect(Cond c, Set<String> names, int depth) {
    if (depth > 64) {
      return false; // a deep tree is evaluated the general way
    }
    if (c instanceof Cond.And a) {
      return collect(a.left(), names, depth + 1) && collect(a.right(), names, depth + 1);
    }
    if (c instanceof Cond.Or o) {
      return collect(o.left(), names, depth + 1) && collect(o.right(), names, depth + 1);
    }
    if (c instanceof Cond.Not n) {
      return collect(n.operand(), names, depth + 1);
    }
    if (c instanceof Cond.Function f
        && f.call().args().size() == 1
        && (f.call().name().equals("attribute_exists")
            || f.call().name().equals("attribute_not_exists"))
        && f.call().args().get(0) instanceof Expr.PathRef p
        && p.path().length() == 1) {
      names.add(p.path().head());
      return true;
    }
    return false;
  }

  /**
   * Whether {@code c} (existence-only, naming {@code names}) holds for the item of {@code entry}
   * (null: none), read from partition {@code token} of {@code t}. The item's attribute names are
   * read from its encoding; no value is decoded.
   *
   * @throws dev.coffer.CorruptionException when the stored entry is malformed
   */
  static boolean holds(Cond c, Set<String> names, Entry entry, TableContext t, byte[] token) {
    Set<String> present = new HashSet<>();
    if (entry != null) {
      KeySchema schema = t.schema();
      boolean keysOnly = true;
      for (String n : names) {
        keysOnly &= n.equals(schema.partitionKeyName()) || n.equals(schema.sortKeyName());
      }
      if (keysOnly) {
        present.addAll(names); // a stored item has its key attributes
      } else {
        present = StoredItems.presentNames(t, token, entry, names);
      }
    }
    return evaluate(c, present);
  }

  private static boolean evaluate(Cond c, Set<String> present) {
    if (c instanceof Cond.And a) {
      return evaluate(a.left(), present) && evaluate(a.right(), present);
    }
    if (c instanceof Cond.Or o) {
      return evaluate(o.left(), present) || evaluate(o.right(), present);
    }
    if (c instanceof Cond.Not n) {
      return !evaluate(n.operand(), present);
    }
    Cond.Function f = (Cond.Function) c;
    boolean exists = present.contains(((Expr.PathRef) f.call().args().get(0)).path().head());
    return f.call().name().equals("attribute_exists") == exists;
  }
}
