package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four writers and two readers on overlapping partitions for about two seconds. Each writer owns
 * its sort keys (so the final state is known) but shares partitions with the others, so splits,
 * merges and delta folds race. Readers check that every page they see is in order and made of whole
 * items. At the end, the table equals the union of the writers' references.
 */
class ConcurrencyStressTest {
  @TempDir Path dir;

  /** The options every open starts from ({@link FreshConcurrencyStressTest} adds freshness). */
  CofferOptions.Builder options(TestStores stores) {
    return stores.options();
  }

  /** Checks on the open store after the race ({@link FreshConcurrencyStressTest}); none here. */
  void afterRace(Coffer coffer) {}

  @Test
  void writersAndReadersOnOverlappingPartitions() throws Exception {
    TestStores stores = new TestStores();
    Race race = new Race();
    try (Coffer coffer = Coffer.open(dir, options(stores).pageCacheBytes(256 << 10).build())) {
      Table table =
          coffer.createTable(
              TableSpec.builder()
                  .name("stress")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .pageTargetBytes(512)
                  .build());
      race.writers(table, 4, 3, 150, 4);
      for (int r = 0; r < 2; r++) {
        race.thread(
            100 + r,
            rnd -> {
              boolean descending = rnd.nextBoolean();
              Query q = Query.partition("P" + rnd.nextInt(3));
              Page page = table.query(descending ? q.descending() : q);
              String previous = null;
              for (Item item : page.items()) {
                Race.checkWhole(item);
                String sk = item.get("sk").s();
                if (previous != null) {
                  int c = AttributeValue.UTF8_ORDER.compare(previous, sk);
                  assertThat(descending ? c > 0 : c < 0).as("sort order").isTrue();
                }
                previous = sk;
              }
              table.scan(Scan.all().segment(rnd.nextInt(2), 2).limit(50));
            });
      }
      race.run(2000, 30_000);
      Map<Key, Item> expected = race.expected();
      List<Item> all = Race.queryAll(table, 3);
      assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(expected.values()));
      assertThat(all).hasSize(expected.size());
      afterRace(coffer);
    }
    try (Coffer coffer = Coffer.open(dir, options(stores).build())) {
      assertThat(coffer.table("stress").scan(Scan.all()).count()).isEqualTo(race.expected().size());
    }
  }
}
