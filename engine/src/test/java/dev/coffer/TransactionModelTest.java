package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random transactions against a reference model: up to 40 actions (conditional puts, updates,
 * deletes, condition checks) over two partitions of small pages, so one transaction changes many
 * items of one partition through delta records, folds, splits and merges in ONE batch. After every
 * transaction the table must equal the model (which applies a transaction whole when every
 * condition holds, and not at all otherwise), and at the end {@code verify()} must find every tree
 * well-formed. With the page cache on and off.
 */
class TransactionModelTest {
  private static final int KEYS = 120;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {0, 1 << 20})
  void randomTransactionsMatchTheModel(long cacheBytes) {
    Random rnd = new Random(cacheBytes + 17);
    TreeMap<Integer, Item> model = new TreeMap<>();
    int applied = 0;
    int cancelled = 0;
    try (Coffer c = new TestStores().open(dir, cacheBytes)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("model")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(384)
                  .build());
      for (int round = 0; round < 150; round++) {
        int n = 1 + rnd.nextInt(40);
        Set<Integer> used = new HashSet<>();
        List<TransactWriteItem> actions = new ArrayList<>();
        TreeMap<Integer, Item> next = new TreeMap<>(model);
        boolean holds = true;
        for (int i = 0; i < n; i++) {
          int k = rnd.nextInt(KEYS);
          if (!used.add(k)) {
            continue;
          }
          Key key = key(k);
          Item current = model.get(k);
          int kind = rnd.nextInt(5);
          Condition cond = null;
          boolean condHolds = true;
          switch (rnd.nextInt(4)) {
            case 0 -> {
              cond = Condition.attributeNotExists("pk");
              condHolds = current == null;
            }
            case 1 -> {
              cond = Condition.attributeExists("sk");
              condHolds = current != null;
            }
            case 2 -> {
              long v = rnd.nextInt(3);
              cond = Condition.path("v").ne(AttributeValue.n(v));
              condHolds = current == null || Long.parseLong(current.get("v").n()) != v;
            }
            default -> {
              // no condition
            }
          }
          if (kind == 4 && cond == null) {
            cond = Condition.attributeNotExists("nothere");
          }
          holds &= condHolds;
          switch (kind) {
            case 0, 1 -> {
              Item item = item(k, rnd.nextInt(3), rnd.nextInt(120));
              actions.add(TransactWriteItem.put("model", item, cond));
              next.put(k, item);
            }
            case 2 -> {
              String pad = "u".repeat(rnd.nextInt(60));
              actions.add(
                  TransactWriteItem.update(
                      "model",
                      key,
                      Update.builder()
                          .add("v", AttributeValue.n(1))
                          .set("pad", AttributeValue.s(pad))
                          .build(),
                      cond));
              Item base =
                  current != null
                      ? current
                      : Item.builder().string("pk", pk(k)).number("sk", k).build();
              long v = base.has("v") ? Long.parseLong(base.get("v").n()) : 0;
              next.put(k, base.toBuilder().number("v", v + 1).string("pad", pad).build());
            }
            case 3 -> {
              actions.add(TransactWriteItem.delete("model", key, cond));
              next.remove(k);
            }
            default -> actions.add(TransactWriteItem.conditionCheck("model", key, cond));
          }
        }
        if (actions.isEmpty()) {
          continue;
        }
        try {
          c.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(actions).build());
          assertThat(holds).as("round %d applied although a condition failed", round).isTrue();
          model = next;
          applied++;
        } catch (TransactionCanceledException e) {
          assertThat(holds)
              .as(
                  "round %d cancelled although every condition held: %s",
                  round, e.cancellationReasons())
              .isFalse();
          cancelled++;
        }
        List<Item> stored = new ArrayList<>();
        for (String p : List.of("p0", "p1")) {
          stored.addAll(t.query(Query.partition(p)).items());
        }
        List<Item> expected = new ArrayList<>();
        model.values().stream().filter(i -> i.get("pk").s().equals("p0")).forEach(expected::add);
        model.values().stream().filter(i -> i.get("pk").s().equals("p1")).forEach(expected::add);
        assertThat(stored).as("round %d", round).containsExactlyElementsOf(expected);
      }
      assertThat(t.verify().clean()).isTrue();
    }
    assertThat(applied).isPositive();
    assertThat(cancelled).isPositive();
  }

  private static String pk(int k) {
    return k % 2 == 0 ? "p0" : "p1";
  }

  private static Key key(int k) {
    return Key.of(AttributeValue.s(pk(k)), AttributeValue.n(k));
  }

  private static Item item(int k, int v, int pad) {
    return Item.builder()
        .string("pk", pk(k))
        .number("sk", k)
        .number("v", v)
        .string("pad", "x".repeat(pad))
        .build();
  }
}
