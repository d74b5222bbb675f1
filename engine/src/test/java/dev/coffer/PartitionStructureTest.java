package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.partition.PartitionWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;

/**
 * What the tree leaves in RocksDB: pages split as a partition grows and merge back as it shrinks.
 */
class PartitionStructureTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private record Shape(int pages, int deltas, int maxDeltasPerLeaf) {}

  private Shape shape(String tableId) throws Exception {
    try (RawStore raw = new RawStore(dir)) {
      ColumnFamilyHandle cf = raw.family(tableId);
      Map<byte[], Integer> perLeaf = raw.deltaCounts(cf);
      return new Shape(
          raw.pageKeys(cf).size(),
          perLeaf.values().stream().mapToInt(i -> i).sum(),
          perLeaf.values().stream().mapToInt(i -> i).max().orElse(0));
    }
  }

  @Test
  void growsIntoAMultiLevelTreeAndShrinksBackToOnePage() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(256)
                  .build());
      tableId = t.describe().tableId();
      for (int i = 0; i < 1000; i++) {
        t.putItem(
            Item.builder()
                .string("pk", "p")
                .number("sk", (i * 7919) % 1000)
                .string("v", "value " + i)
                .build());
      }
    }
    Shape grown = shape(tableId);
    assertThat(grown.pages()).isGreaterThan(50);
    // folded in the background from 8 delta records on, by the writer at 16 at the latest
    assertThat(grown.maxDeltasPerLeaf())
        .isLessThanOrEqualTo(2 * PartitionWriter.DEFAULT_FOLD_THRESHOLD);
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      assertThat(t.query(Query.partition("p")).count()).isEqualTo(1000);
      for (int i = 0; i < 997; i++) {
        t.deleteItem(Key.of(AttributeValue.s("p"), AttributeValue.n(i)));
      }
      assertThat(t.query(Query.partition("p")).items())
          .extracting(i -> i.get("sk").n())
          .containsExactly("997", "998", "999");
    }
    Shape shrunk = shape(tableId);
    assertThat(shrunk.pages()).isEqualTo(1);
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (int i = 997; i < 1000; i++) {
        t.deleteItem(Key.of(AttributeValue.s("p"), AttributeValue.n(i)));
      }
      assertThat(t.query(Query.partition("p")).count()).isZero();
    }
    assertThat(shape(tableId)).isEqualTo(new Shape(0, 0, 0));
  }

  @Test
  void longSortKeysWithTheSmallestPageTarget() throws Exception {
    String tableId;
    java.util.List<String> keys = new java.util.ArrayList<>();
    try (Coffer c = stores.open(dir, 0)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("long")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .pageTargetBytes(128)
                  .build());
      tableId = t.describe().tableId();
      java.util.Random rnd = new java.util.Random(7);
      for (int i = 0; i < 150; i++) {
        String sk = (char) ('a' + rnd.nextInt(26)) + "k".repeat(1000 + rnd.nextInt(20)) + i;
        keys.add(sk);
        t.putItem(Item.builder().string("pk", "p").string("sk", sk).build());
      }
      keys.sort(AttributeValue.UTF8_ORDER);
      assertThat(t.query(Query.partition("p")).items())
          .extracting(i -> i.get("sk").s())
          .containsExactlyElementsOf(keys);
    }
    assertThat(shape(tableId).pages()).isBetween(150, 400);
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("long");
      for (int i = 0; i < keys.size(); i += 2) {
        t.deleteItem(Key.of("p", keys.get(i)));
      }
      assertThat(t.query(Query.partition("p").descending()).count()).isEqualTo(75);
    }
  }

  @Test
  void smallPutsIntoAMultiItemLeafAppendDeltaRecords() throws Exception {
    String tableId;
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      tableId = t.describe().tableId();
      for (int i = 0; i < 5; i++) {
        t.putItem(Item.builder().string("pk", "p").number("sk", i).build());
      }
    }
    assertThat(shape(tableId)).isEqualTo(new Shape(1, 4, 4)); // the first put wrote the page
    try (Coffer c = stores.open(dir)) {
      Table t = c.table("events");
      for (int i = 5; i < 10; i++) {
        t.putItem(Item.builder().string("pk", "p").number("sk", i).build());
      }
      assertThat(t.query(Query.partition("p")).count()).isEqualTo(10);
    }
    Shape folded = shape(tableId);
    assertThat(folded.pages()).isEqualTo(1);
    assertThat(folded.deltas()).isLessThanOrEqualTo(2 * PartitionWriter.DEFAULT_FOLD_THRESHOLD);
  }
}
