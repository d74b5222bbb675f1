package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Puts that append without reading (the partition metadata), folds and splits, gets, queries and
 * scans, and data-key rotations with re-encryption, all at once on overlapping partitions, with a
 * metadata bound small enough that partitions are evicted and read again throughout, with the page
 * cache on and off. Each writer owns its sort keys, so the end state is known: the table must equal
 * the writers' references (a model check), verify clean, and read the same after a reopen.
 */
class BlindWriteRaceTest {
  private static final int PARTITIONS = 12;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {0, 256 << 10})
  void blindPutsFoldsReadsAndReencryptionRace(long cacheBytes) throws Exception {
    TestStores stores = new TestStores();
    AtomicInteger reencryptions = new AtomicInteger();
    Race race = new Race();
    CofferOptions options =
        stores.options().pageCacheBytes(cacheBytes).partitionMetadataBytes(3 << 10).build();
    try (Coffer coffer = Coffer.open(dir, options)) {
      Table table =
          coffer.createTable(
              TableSpec.builder()
                  .name("race")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .pageTargetBytes(512)
                  .build());
      race.writers(table, 3, PARTITIONS, 60, 6)
          .thread(
              99,
              rnd -> {
                Page page = table.query(Query.partition("P" + rnd.nextInt(PARTITIONS)));
                page.items().forEach(Race::checkWhole);
                table.getItem(
                    Key.of(
                        "P" + rnd.nextInt(PARTITIONS),
                        "w" + rnd.nextInt(3) + "-" + rnd.nextInt(60)));
                table.scan(Scan.all().limit(40));
              })
          .thread(
              0,
              rnd -> {
                table.rotateDataKey();
                if (table.reencrypt(ReencryptOptions.defaults()).finished()) {
                  reencryptions.incrementAndGet();
                }
              })
          .run(2500, 60_000);
      assertThat(reencryptions.get()).as("re-encryption passes finished").isPositive();
      assertThat(coffer.partitionMetadataStats().evictions()).as("partitions evicted").isPositive();
      assertThat(coffer.partitionMetadataStats().peakResidentBytes()).isLessThanOrEqualTo(3 << 10);
      check(table, race.expected());
      assertThat(table.verify().clean()).isTrue();
    }
    try (Coffer coffer = stores.open(dir, 0)) {
      check(coffer.table("race"), race.expected());
    }
  }

  private static void check(Table table, Map<Key, Item> expected) {
    List<Item> all = Race.queryAll(table, PARTITIONS);
    assertThat(all).hasSize(expected.size());
    assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(expected.values()));
  }
}
