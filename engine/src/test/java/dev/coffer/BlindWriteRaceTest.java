package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {0, 256 << 10})
  void blindPutsFoldsReadsAndReencryptionRace(long cacheBytes) throws Exception {
    TestStores stores = new TestStores();
    List<Map<Key, Item>> references = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger reencryptions = new AtomicInteger();
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
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        Map<Key, Item> ref = new HashMap<>();
        references.add(ref);
        int writer = w;
        threads.add(
            new Thread(
                () -> {
                  Random rnd = new Random(writer);
                  try {
                    start.await();
                    while (!stop.get()) {
                      String pk = "P" + rnd.nextInt(12);
                      Key key = Key.of(pk, "w" + writer + "-" + rnd.nextInt(60));
                      if (rnd.nextInt(6) == 0) {
                        table.deleteItem(key);
                        ref.remove(key);
                      } else {
                        int n = rnd.nextInt(1000);
                        Item item =
                            Item.builder()
                                .string("pk", pk)
                                .put("sk", key.sort())
                                .number("n", n)
                                .string("check", "x".repeat(n % 97) + n)
                                .build();
                        table.putItem(item);
                        ref.put(key, item);
                      }
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                }));
      }
      threads.add(
          new Thread(
              () -> {
                Random rnd = new Random(99);
                try {
                  start.await();
                  while (!stop.get()) {
                    Page page = table.query(Query.partition("P" + rnd.nextInt(12)));
                    for (Item item : page.items()) {
                      int n = Integer.parseInt(item.get("n").n());
                      assertThat(item.get("check").s()).isEqualTo("x".repeat(n % 97) + n);
                    }
                    table.getItem(
                        Key.of(
                            "P" + rnd.nextInt(12), "w" + rnd.nextInt(3) + "-" + rnd.nextInt(60)));
                    table.scan(Scan.all().limit(40));
                  }
                } catch (Throwable t) {
                  errors.add(t);
                }
              }));
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  while (!stop.get()) {
                    table.rotateDataKey();
                    if (table.reencrypt(ReencryptOptions.defaults()).finished()) {
                      reencryptions.incrementAndGet();
                    }
                  }
                } catch (Throwable t) {
                  errors.add(t);
                }
              }));
      threads.forEach(Thread::start);
      start.countDown();
      Thread.sleep(2500);
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      assertThat(errors).isEmpty();
      assertThat(reencryptions.get()).as("re-encryption passes finished").isPositive();
      assertThat(coffer.partitionMetadataStats().evictions()).as("partitions evicted").isPositive();
      assertThat(coffer.partitionMetadataStats().peakResidentBytes()).isLessThanOrEqualTo(3 << 10);
      check(table, references);
      assertThat(table.verify().clean()).isTrue();
    }
    try (Coffer coffer = stores.open(dir, 0)) {
      check(coffer.table("race"), references);
    }
  }

  private static void check(Table table, List<Map<Key, Item>> references) {
    Map<Key, Item> expected = new HashMap<>();
    references.forEach(expected::putAll);
    List<Item> all = new ArrayList<>();
    for (int p = 0; p < 12; p++) {
      all.addAll(table.query(Query.partition("P" + p)).items());
    }
    assertThat(all).hasSize(expected.size());
    assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(expected.values()));
  }
}
