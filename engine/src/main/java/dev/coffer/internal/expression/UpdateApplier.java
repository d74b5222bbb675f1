package dev.coffer.internal.expression;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.KeySchema;
import dev.coffer.ValidationException;
import dev.coffer.internal.model.ItemSizes;
import dev.coffer.internal.model.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies a checked update expression to an item as DynamoDB's UpdateItem does:
 *
 * <ol>
 *   <li>no action may write a key attribute;
 *   <li>every SET value is computed from the item as it was before the update (so {@code SET a =
 *       :v, b = a} copies the old {@code a});
 *   <li>each action's parent (the path without its last element) must exist in the old item and be
 *       a map or a list as the last element requires, except that a REMOVE on an item that does not
 *       exist is ignored;
 *   <li>on an item that does not exist, an update of only REMOVE and DELETE actions changes nothing
 *       and creates no item (the result's item is null); any other update creates the item from its
 *       key;
 *   <li>list indexes refer to the old list: {@code REMOVE a[1] SET a[3] = :v} replaces the old
 *       fourth element; SET and ADD past the end append, in index order;
 *   <li>the result must be a valid item within 400 KB (the engine's item validation).
 * </ol>
 *
 * Stateless.
 */
public final class UpdateApplier {
  private static final String MISSING =
      "The provided expression refers to an attribute that does not exist in the item";
  private static final String BAD_PATH =
      "The document path provided in the update expression is invalid for update";
  private static final String BAD_TYPE =
      "An operand in the update expression has an incorrect data type";

  private UpdateApplier() {}

  /**
   * Fails when an action writes a key attribute (the partition key is checked first): {@code One or
   * more parameter values were invalid: Cannot update attribute pk. This attribute is part of the
   * key}.
   */
  public static void checkKeyAttributes(UpdateAst ast, KeySchema schema) {
    List<String> keys = new ArrayList<>();
    keys.add(schema.partitionKeyName());
    if (schema.hasSortKey()) {
      keys.add(schema.sortKeyName());
    }
    for (String key : keys) {
      for (UpdateAst.Action a : ast.actions()) {
        if (a.path().path().head().equals(key)) {
          throw new ValidationException(
              "One or more parameter values were invalid: Cannot update attribute "
                  + key
                  + ". This attribute is part of the key");
        }
      }
    }
  }

  /**
   * Applies {@code ast} to {@code old} (null when the item does not exist; the new item then starts
   * from {@code key}, unless the update only removes: then there is still no item, and the result's
   * item is null).
   *
   * @throws ValidationException with DynamoDB's message when the update cannot apply to this item
   */
  public static UpdateResult apply(UpdateAst ast, Item old, Key key, KeySchema schema) {
    return apply(ast, old, key, schema, true);
  }

  /**
   * {@link #apply(UpdateAst, Item, Key, KeySchema)}, computing UPDATED_OLD and UPDATED_NEW only
   * when {@code updatedAttributes} (else they are null in the result): an UpdateItem that returns
   * neither does not pay for the two projections.
   */
  public static UpdateResult apply(
      UpdateAst ast, Item old, Key key, KeySchema schema, boolean updatedAttributes) {
    checkKeyAttributes(ast, schema);
    if (old == null && ast.onlyRemoves()) {
      // DynamoDB: REMOVE and DELETE on an item that does not exist change nothing and create
      // nothing (a nested REMOVE included, though its parent is missing).
      Item none = updatedAttributes ? Item.empty() : null;
      return new UpdateResult(null, none, none);
    }
    Map<String, AttributeValue> base; // read only: the item before the update
    if (old != null) {
      base = old.attributes();
    } else {
      base = new LinkedHashMap<>();
      base.put(schema.partitionKeyName(), key.partition());
      if (schema.hasSortKey() && key.sort() != null) {
        base.put(schema.sortKeyName(), key.sort());
      }
    }
    Map<UpdateAst.Action, AttributeValue> setValues = new LinkedHashMap<>();
    for (UpdateAst.Action a : ast.actions()) {
      if (a instanceof UpdateAst.Set) {
        setValues.put(a, evaluate(((UpdateAst.Set) a).value(), base));
      }
    }
    Node root = new Node();
    List<DocPath> written = new ArrayList<>();
    for (UpdateAst.Action a : ast.actions()) {
      DocPath path = a.path().path();
      written.add(path);
      AttributeValue existing;
      if (path.length() == 1) {
        existing = base.get(path.head());
      } else {
        AttributeValue parent = Values.resolve(base, path.prefix(path.length() - 1));
        int last = path.length() - 1;
        boolean fits =
            parent != null
                && (path.isIndex(last)
                    ? parent.type() == AttributeType.L
                    : parent.type() == AttributeType.M);
        if (!fits) {
          if (a instanceof UpdateAst.Remove && old == null) {
            continue;
          }
          throw new ValidationException(BAD_PATH);
        }
        existing = Values.resolve(base, path);
      }
      root.at(path).leaf = new Change(result(a, existing, setValues.get(a)));
    }
    // Unchanged attributes keep their value objects (the new entry reuses their stored bytes).
    Item.Builder changed = old != null ? old.toBuilder() : Item.builder().putAll(base);
    root.fields.forEach(
        (name, child) -> {
          AttributeValue v = child.apply(base.get(name));
          if (v == null) {
            changed.remove(name);
          } else {
            changed.put(name, v);
          }
        });
    Item item = changed.build();
    try {
      ItemSizes.validateItem(
          item, schema); // the key attributes cannot have changed: the size is what can fail
    } catch (ValidationException e) {
      if (e.getMessage().equals(ItemSizes.ITEM_TOO_LARGE)) {
        throw new ValidationException("Item size to update has exceeded the maximum allowed size");
      }
      throw e;
    }
    return updatedAttributes
        ? new UpdateResult(item, Projector.project(old, written), Projector.project(item, written))
        : new UpdateResult(item, null, null);
  }

  /** The new value at an action's path, or null when the action removes it. */
  private static AttributeValue result(
      UpdateAst.Action a, AttributeValue existing, AttributeValue setValue) {
    if (a instanceof UpdateAst.Set) {
      return setValue;
    }
    if (a instanceof UpdateAst.Remove) {
      return null;
    }
    if (a instanceof UpdateAst.Add) {
      AttributeValue v = ((UpdateAst.Add) a).value().value();
      if (existing != null && existing.type() != v.type()) {
        throw new ValidationException(BAD_TYPE);
      }
      if (v.type() == AttributeType.N) {
        return existing == null ? v : sum(existing.numberValue(), v.numberValue());
      }
      return existing == null ? v : union(existing, v);
    }
    AttributeValue v = ((UpdateAst.Delete) a).value().value();
    if (existing == null) {
      return null;
    }
    if (existing.type() != v.type()) {
      throw new ValidationException(BAD_TYPE);
    }
    return difference(existing, v);
  }

  private static AttributeValue evaluate(UpdateAst.SetValue v, Map<String, AttributeValue> item) {
    if (!v.isArithmetic()) {
      return operand(v.left(), item);
    }
    AttributeValue a = operand(v.left(), item);
    if (a.type() != AttributeType.N) {
      throw new ValidationException(BAD_TYPE);
    }
    AttributeValue b = operand(v.right(), item);
    if (b.type() != AttributeType.N) {
      throw new ValidationException(BAD_TYPE);
    }
    return sum(a.numberValue(), v.op() == '+' ? b.numberValue() : b.numberValue().negate());
  }

  private static AttributeValue operand(Expr e, Map<String, AttributeValue> item) {
    if (e instanceof Expr.Value) {
      return ((Expr.Value) e).value();
    }
    if (e instanceof Expr.PathRef) {
      AttributeValue v = Values.resolve(item, ((Expr.PathRef) e).path());
      if (v == null) {
        throw new ValidationException(MISSING);
      }
      return v;
    }
    Expr.Call call = (Expr.Call) e;
    if (call.name().equals("if_not_exists")) {
      AttributeValue v = Values.resolve(item, ((Expr.PathRef) call.args().get(0)).path());
      return v != null ? v : operand(call.args().get(1), item);
    }
    AttributeValue a = operand(call.args().get(0), item);
    if (a.type() != AttributeType.L) {
      throw new ValidationException(BAD_TYPE);
    }
    AttributeValue b = operand(call.args().get(1), item);
    if (b.type() != AttributeType.L) {
      throw new ValidationException(BAD_TYPE);
    }
    List<AttributeValue> joined = new ArrayList<>(a.l());
    joined.addAll(b.l());
    return AttributeValue.l(joined);
  }

  /**
   * {@code a + b} exactly. DynamoDB refuses a result outside its range and, with the same message,
   * one that needs more than 38 significant digits ({@code 1E50 + 1}).
   */
  static AttributeValue sum(BigDecimal a, BigDecimal b) {
    BigDecimal r = a.add(b);
    if (r.signum() != 0 && r.stripTrailingZeros().precision() > Numbers.MAX_DIGITS) {
      throw new ValidationException(
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    return AttributeValue.n(r);
  }

  private static AttributeValue union(AttributeValue a, AttributeValue b) {
    switch (a.type()) {
      case SS:
        {
          Set<String> s = new LinkedHashSet<>(a.ss());
          s.addAll(b.ss());
          return AttributeValue.ss(s);
        }
      case NS:
        {
          Set<String> s = new LinkedHashSet<>(a.ns());
          s.addAll(b.ns());
          return AttributeValue.ns(s);
        }
      default:
        {
          TreeSet<byte[]> s = new TreeSet<>(AttributeValue.UNSIGNED);
          s.addAll(a.bs());
          s.addAll(b.bs());
          return AttributeValue.bs(s);
        }
    }
  }

  /** {@code a} without the members of {@code b}; null when nothing is left. */
  private static AttributeValue difference(AttributeValue a, AttributeValue b) {
    switch (a.type()) {
      case SS:
        {
          Set<String> s = new LinkedHashSet<>(a.ss());
          s.removeAll(b.ss());
          return s.isEmpty() ? null : AttributeValue.ss(s);
        }
      case NS:
        {
          Set<String> s = new LinkedHashSet<>(a.ns());
          s.removeAll(b.ns());
          return s.isEmpty() ? null : AttributeValue.ns(s);
        }
      default:
        {
          TreeSet<byte[]> s = new TreeSet<>(AttributeValue.UNSIGNED);
          s.addAll(a.bs());
          for (byte[] x : b.bs()) {
            s.remove(x);
          }
          return s.isEmpty() ? null : AttributeValue.bs(s);
        }
    }
  }

  /** A new value at a path, or its removal (null). */
  private static final class Change {
    final AttributeValue value;

    Change(AttributeValue value) {
      this.value = value;
    }
  }

  /**
   * The changes of one update as a tree of paths. Paths of one update never overlap, so a node has
   * either a change or children.
   */
  private static final class Node {
    Change leaf;
    final Map<String, Node> fields = new LinkedHashMap<>();
    final TreeMap<Integer, Node> indexes = new TreeMap<>();

    Node at(DocPath path) {
      Node n = this;
      for (int i = 0; i < path.length(); i++) {
        n =
            path.isIndex(i)
                ? n.indexes.computeIfAbsent(path.index(i), k -> new Node())
                : n.fields.computeIfAbsent(path.name(i), k -> new Node());
      }
      return n;
    }

    Map<String, AttributeValue> applyToMap(Map<String, AttributeValue> old) {
      Map<String, AttributeValue> out = new LinkedHashMap<>(old);
      fields.forEach(
          (name, child) -> {
            AttributeValue v = child.apply(old.get(name));
            if (v == null) {
              out.remove(name);
            } else {
              out.put(name, v);
            }
          });
      return out;
    }

    AttributeValue apply(AttributeValue old) {
      if (leaf != null) {
        return leaf.value;
      }
      if (!fields.isEmpty()) {
        return AttributeValue.m(applyToMap(old.m()));
      }
      List<AttributeValue> list = old.l();
      List<AttributeValue> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Node child = indexes.get(i);
        AttributeValue v = child == null ? list.get(i) : child.apply(list.get(i));
        if (v != null) {
          out.add(v);
        }
      }
      for (Node child : indexes.tailMap(list.size()).values()) {
        AttributeValue v = child.apply(null);
        if (v != null) {
          out.add(v);
        }
      }
      return AttributeValue.l(out);
    }
  }
}
