package dev.coffer.internal.expression;

import dev.coffer.AttributeValue;
import dev.coffer.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies document paths to an item in DynamoDB's result shape: each path that exists is copied
 * into a result with the same nesting; from a list, only the selected elements are kept, in index
 * order and without gaps ({@code a[3], a[1]} of {@code [p, q, r, s]} gives {@code a: [q, s]});
 * paths that do not exist are left out. Stateless.
 */
public final class Projector {
  private Projector() {}

  /** The projection of {@code item} (null: no item) on {@code paths}. */
  public static Item project(Item item, List<DocPath> paths) {
    if (item == null) {
      return Item.empty();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (DocPath path : paths) {
      AttributeValue v = Values.resolve(item.attributes(), path);
      if (v != null) {
        place(out, path, v);
      }
    }
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    out.forEach((k, node) -> attributes.put(k, build(node)));
    return Item.of(attributes);
  }

  @SuppressWarnings("unchecked")
  private static void place(Map<String, Object> out, DocPath path, AttributeValue v) {
    if (path.length() == 1) {
      out.put(path.head(), v);
      return;
    }
    Object container =
        out.computeIfAbsent(
            path.head(),
            k ->
                path.isIndex(1)
                    ? new TreeMap<Integer, Object>()
                    : new LinkedHashMap<String, Object>());
    for (int i = 1; i < path.length(); i++) {
      boolean last = i == path.length() - 1;
      boolean childIsIndex = !last && path.isIndex(i + 1);
      if (path.isIndex(i)) {
        TreeMap<Integer, Object> list = (TreeMap<Integer, Object>) container;
        container =
            last
                ? list.put(path.index(i), v)
                : list.computeIfAbsent(
                    path.index(i),
                    k ->
                        childIsIndex
                            ? new TreeMap<Integer, Object>()
                            : new LinkedHashMap<String, Object>());
      } else {
        Map<String, Object> map = (Map<String, Object>) container;
        container =
            last
                ? map.put(path.name(i), v)
                : map.computeIfAbsent(
                    path.name(i),
                    k ->
                        childIsIndex
                            ? new TreeMap<Integer, Object>()
                            : new LinkedHashMap<String, Object>());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static AttributeValue build(Object node) {
    if (node instanceof AttributeValue) {
      return (AttributeValue) node;
    }
    if (node instanceof TreeMap) {
      List<AttributeValue> list = new ArrayList<>();
      ((TreeMap<Integer, Object>) node).values().forEach(n -> list.add(build(n)));
      return AttributeValue.l(list);
    }
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    ((Map<String, Object>) node).forEach((k, n) -> map.put(k, build(n)));
    return AttributeValue.m(map);
  }
}
