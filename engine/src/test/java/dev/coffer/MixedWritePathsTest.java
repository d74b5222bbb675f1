package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two ways delta records get their numbers, interleaved on the same leaves: puts that do not
 * read (numbered from the partition metadata, in epochs) and the staged writes that read first
 * (conditional puts and deletes, UpdateItem, TransactWriteItems across partitions: numbered from
 * the leaf read, then the metadata brought up to date or dropped). A reused delta number would make
 * a leaf fail to open ("out of sequence") or lose a change. Small pages (folds, splits and merges
 * throughout), background folding, the page cache on and off, and a metadata bound that holds every
 * partition or evicts them all the time. After every step the partitions must equal the model; at
 * the end {@code verify()} is clean and a reopened store reads the same.
 */
class MixedWritePathsTest {
  private static final List<String> PARTITIONS = List.of("p0", "p1", "p2");
  private static final int KEYS = 90;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"0, 1048576", "262144, 1048576", "0, 2048", "262144, 2048"})
  void blindAndStagedWritesShareLeaves(long cacheBytes, long metadataBytes) throws Exception {
    Random rnd = new Random(cacheBytes * 31 + metadataBytes);
    TreeMap<Integer, Item> model = new TreeMap<>();
    TestStores stores = new TestStores();
    CofferOptions options =
        stores.options().pageCacheBytes(cacheBytes).partitionMetadataBytes(metadataBytes).build();
    int staged = 0;
    try (Coffer c = Coffer.open(dir, options)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("mixed")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      for (int step = 0; step < 1500; step++) {
        int k = rnd.nextInt(KEYS);
        Item current = model.get(k);
        switch (rnd.nextInt(10)) {
          case 0, 1, 2, 3 -> { // a put that does not read
            Item item = item(k, rnd.nextInt(5), rnd.nextInt(40));
            t.putItem(item);
            model.put(k, item);
          }
          case 4 -> { // a conditional put: reads, then writes through a stage
            Item item = item(k, rnd.nextInt(5), rnd.nextInt(40));
            PutItemRequest put =
                PutItemRequest.builder()
                    .item(item)
                    .condition(Condition.attributeNotExists("pk"))
                    .build();
            if (current == null) {
              t.putItem(put);
              model.put(k, item);
            } else {
              assertThatThrownBy(() -> t.putItem(put))
                  .isInstanceOf(ConditionalCheckFailedException.class);
            }
            staged++;
          }
          case 5 -> { // UpdateItem: always staged
            t.updateItem(
                UpdateItemRequest.builder()
                    .key(key(k))
                    .update(Update.builder().add("v", AttributeValue.n(1)).build())
                    .build());
            Item base =
                current != null
                    ? current
                    : Item.builder().string("pk", pk(k)).number("sk", k).build();
            long v = base.has("v") ? Long.parseLong(base.get("v").n()) : 0;
            model.put(k, base.toBuilder().number("v", v + 1).build());
            staged++;
          }
          case 6 -> { // a delete that does not return the old item
            t.deleteItem(key(k));
            model.remove(k);
          }
          case 7 -> { // a conditional delete
            DeleteItemRequest delete =
                DeleteItemRequest.builder()
                    .key(key(k))
                    .condition(Condition.attributeExists("pk"))
                    .build();
            if (current != null) {
              t.deleteItem(delete);
              model.remove(k);
            } else {
              assertThatThrownBy(() -> t.deleteItem(delete))
                  .isInstanceOf(ConditionalCheckFailedException.class);
            }
            staged++;
          }
          default -> { // a transaction over several partitions, several items of each: one batch
            Set<Integer> used = new HashSet<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            TreeMap<Integer, Item> next = new TreeMap<>(model);
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
              int j = rnd.nextInt(KEYS);
              if (!used.add(j)) {
                continue;
              }
              if (rnd.nextInt(4) == 0) {
                actions.add(TransactWriteItem.delete("mixed", key(j), null));
                next.remove(j);
              } else {
                Item item = item(j, rnd.nextInt(5), rnd.nextInt(40));
                actions.add(TransactWriteItem.put("mixed", item, null));
                next.put(j, item);
              }
            }
            c.transactWriteItems(
                TransactWriteItemsRequest.builder().transactItems(actions).build());
            model = next;
            staged++;
          }
        }
        if (step % 7 == 0) {
          assertThat(t.getItem(key(k)))
              .as("step %d", step)
              .isEqualTo(Optional.ofNullable(model.get(k)));
        }
        if (step % 50 == 0) {
          assertThat(stored(t)).as("step %d", step).containsExactlyElementsOf(expected(model));
        }
      }
      assertThat(stored(t)).containsExactlyElementsOf(expected(model));
      assertThat(t.verify().clean()).isTrue();
    }
    try (Coffer c = Coffer.open(dir, options)) {
      assertThat(stored(c.table("mixed"))).containsExactlyElementsOf(expected(model));
    }
    assertThat(staged).isPositive();
  }

  private static List<Item> stored(Table t) {
    List<Item> stored = new ArrayList<>();
    for (String p : PARTITIONS) {
      stored.addAll(t.query(Query.partition(p)).items());
    }
    return stored;
  }

  private static List<Item> expected(TreeMap<Integer, Item> model) {
    List<Item> expected = new ArrayList<>();
    for (String p : PARTITIONS) {
      model.values().stream().filter(i -> i.get("pk").s().equals(p)).forEach(expected::add);
    }
    return expected;
  }

  private static String pk(int k) {
    return PARTITIONS.get(k % PARTITIONS.size());
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
