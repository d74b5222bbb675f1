package dev.coffer.torture;

import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Query;
import dev.coffer.Scan;
import dev.coffer.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Reads a whole table three ways and cross-checks them: a Scan in pages of random size (every item,
 * mapped back to its key index; an item outside the key space is a phantom, a key seen twice a read
 * mismatch), a GetItem of every key of the key space, and, with a sort key, a Query of every
 * partition in pages of random size, ascending or descending (same items, in sort-key order).
 * Stateless.
 */
final class TableReader {
  private TableReader() {}

  /** What a read found: the items by key index, and the violations. */
  record Result(Map<Integer, Item> items, List<Violation> violations) {}

  /** Reads {@code table} (shape {@code shape}) fully; {@code where} prefixes the violations. */
  static Result readAll(Table table, TableShape shape, SplittableRandom rnd, String where) {
    List<Violation> violations = new ArrayList<>();
    Map<Integer, Item> scanned = scan(table, shape, rnd, where, violations);
    for (int k = 0; k < shape.keyCount(); k++) {
      Optional<Item> got = table.getItem(shape.key(k));
      if (!Objects.equals(got.orElse(null), scanned.get(k))) {
        violations.add(
            new Violation(
                Violation.Type.READ_MISMATCH,
                where + " key " + k,
                "GetItem " + describe(got.orElse(null)) + ", Scan " + describe(scanned.get(k))));
      }
    }
    if (shape.schema().hasSortKey()) {
      boolean ascending = rnd.nextBoolean();
      for (int p = 0; p < shape.partitions(); p++) {
        List<Integer> expected = new ArrayList<>();
        for (int s = 0; s < shape.sortKeys(); s++) {
          int k = p * shape.sortKeys() + s;
          if (scanned.containsKey(k)) {
            expected.add(ascending ? expected.size() : 0, k);
          }
        }
        List<Integer> queried = query(table, shape, p, ascending, rnd, where, violations, scanned);
        if (!queried.equals(expected)) {
          violations.add(
              new Violation(
                  Violation.Type.READ_MISMATCH,
                  where + " partition " + p,
                  "Query ("
                      + (ascending ? "ascending" : "descending")
                      + ") returned keys "
                      + queried
                      + ", Scan has "
                      + expected));
        }
      }
    }
    return new Result(scanned, violations);
  }

  /** Every item of a Scan in pages of random size, by key index. */
  static Map<Integer, Item> scan(
      Table table,
      TableShape shape,
      SplittableRandom rnd,
      String where,
      List<Violation> violations) {
    Map<Integer, Item> out = new HashMap<>();
    Key start = null;
    do {
      Scan scan = Scan.all().limit(rnd.nextInt(1, 300));
      if (start != null) {
        scan = scan.exclusiveStartKey(start);
      }
      Page page = table.scan(scan);
      for (Item item : page.items()) {
        int k = shape.indexOf(item);
        if (k < 0) {
          violations.add(
              new Violation(
                  Violation.Type.PHANTOM,
                  where,
                  "Scan returned an item outside the key space: " + describe(item)));
        } else if (out.put(k, item) != null) {
          violations.add(
              new Violation(
                  Violation.Type.READ_MISMATCH, where + " key " + k, "Scan returned it twice"));
        }
      }
      start = page.lastEvaluatedKey().orElse(null);
    } while (start != null);
    return out;
  }

  private static List<Integer> query(
      Table table,
      TableShape shape,
      int p,
      boolean ascending,
      SplittableRandom rnd,
      String where,
      List<Violation> violations,
      Map<Integer, Item> scanned) {
    List<Integer> keys = new ArrayList<>();
    Key start = null;
    do {
      Query q = Query.partition(shape.partitionValue(p)).limit(rnd.nextInt(1, 40));
      q = ascending ? q.ascending() : q.descending();
      if (start != null) {
        q = q.exclusiveStartKey(start);
      }
      Page page = table.query(q);
      for (Item item : page.items()) {
        int k = shape.indexOf(item);
        keys.add(k);
        if (k >= 0 && !item.equals(scanned.get(k))) {
          violations.add(
              new Violation(
                  Violation.Type.READ_MISMATCH,
                  where + " key " + k,
                  "Query " + describe(item) + ", Scan " + describe(scanned.get(k))));
        }
      }
      start = page.lastEvaluatedKey().orElse(null);
    } while (start != null);
    return keys;
  }

  /** A short description of an item: its value id and attribute count. */
  static String describe(Item item) {
    return item == null
        ? "no item"
        : "item " + ItemFactory.valueId(item) + " (" + item.size() + " attributes)";
  }
}
