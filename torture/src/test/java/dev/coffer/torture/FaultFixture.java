package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.DataKeyVersionInfo;
import dev.coffer.Item;
import dev.coffer.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The store the fault tests work on: the torture's three core tables and a fourth, "victim" table
 * (the one DeleteTable removes), each with items on half of its keys (multi-page partitions in the
 * tables with a sort key), and t_skb's data key rotated once, so a rewrap re-wraps two versions of
 * one table. {@link #assertAllReadable} reads every table three ways and compares with what was
 * written. Not thread-safe.
 */
final class FaultFixture {
  static final TableShape VICTIM = TableShape.ddl(0, 0, TableShape.Kind.SK_SN);

  private final Map<String, Map<Integer, Item>> expected = new LinkedHashMap<>();

  /** Creates the tables and writes the items. */
  static FaultFixture populate(Coffer c) {
    FaultFixture f = new FaultFixture();
    List<TableShape> shapes = new ArrayList<>(TableShape.CORE);
    shapes.add(VICTIM);
    for (TableShape s : shapes) {
      Table t = c.createTable(s.spec());
      Map<Integer, Item> items = new HashMap<>();
      for (int k = 0; k < s.keyCount(); k += 2) {
        Item item = ItemFactory.item(s, k, "fixture/" + s.name() + "/" + k, (k * 37) % 700);
        t.putItem(item);
        items.put(k, item);
      }
      f.expected.put(s.name(), items);
    }
    c.table("t_skb").rotateDataKey();
    for (int k = 1; k < 20; k += 2) { // some records under the new version too
      TableShape s = TableShape.forName("t_skb");
      Item item = ItemFactory.item(s, k, "fixture/t_skb/v2/" + k, 100);
      c.table("t_skb").putItem(item);
      f.expected.get("t_skb").put(k, item);
    }
    return f;
  }

  /** Writes one more item and expects it. */
  void put(Coffer c, String table, int key, String valueId) {
    Item item = ItemFactory.item(TableShape.forName(table), key, valueId, 50);
    c.table(table).putItem(item);
    expected.get(table).put(key, item);
  }

  /** The table was deleted: it is no longer expected. */
  void dropped(String name) {
    expected.remove(name);
  }

  /** Every expected table exists and holds exactly what was written, by every read path. */
  void assertAllReadable(Coffer c) {
    assertThat(c.listTables()).containsAll(expected.keySet());
    for (Map.Entry<String, Map<Integer, Item>> e : expected.entrySet()) {
      TableReader.Result r =
          TableReader.readAll(
              c.table(e.getKey()),
              TableShape.forName(e.getKey()),
              new SplittableRandom(e.getKey().hashCode()),
              e.getKey());
      assertThat(r.violations()).as("read paths of " + e.getKey()).isEmpty();
      assertThat(r.items()).as("items of " + e.getKey()).isEqualTo(e.getValue());
    }
  }

  /** Every table's data-key versions as "version:STATE", e.g. {@code [1:RETIRED, 2:PRIMARY]}. */
  static Map<String, List<String>> keyVersions(Coffer c) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : c.listTables()) {
      List<String> versions = new ArrayList<>();
      for (DataKeyVersionInfo v : c.describeTable(name).dataKeys()) {
        versions.add(v.version() + ":" + v.state());
      }
      out.put(name, versions);
    }
    return out;
  }
}
