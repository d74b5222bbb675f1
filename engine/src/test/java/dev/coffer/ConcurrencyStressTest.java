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

  @Test
  void writersAndReadersOnOverlappingPartitions() throws Exception {
    TestStores stores = new TestStores();
    List<Map<Key, Item>> references = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    try (Coffer coffer = stores.open(dir, 256 << 10)) {
      Table table =
          coffer.createTable(
              TableSpec.builder()
                  .name("stress")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .pageTargetBytes(512)
                  .build());
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
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
                      String pk = "P" + rnd.nextInt(3);
                      Key key = Key.of(pk, "w" + writer + "-" + rnd.nextInt(150));
                      if (rnd.nextInt(4) == 0) {
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
      for (int r = 0; r < 2; r++) {
        int reader = r;
        threads.add(
            new Thread(
                () -> {
                  Random rnd = new Random(100 + reader);
                  try {
                    start.await();
                    while (!stop.get()) {
                      boolean descending = rnd.nextBoolean();
                      Query q = Query.partition("P" + rnd.nextInt(3));
                      Page page = table.query(descending ? q.descending() : q);
                      String previous = null;
                      for (Item item : page.items()) {
                        int n = Integer.parseInt(item.get("n").n());
                        assertThat(item.get("check").s()).isEqualTo("x".repeat(n % 97) + n);
                        String sk = item.get("sk").s();
                        if (previous != null) {
                          int c = AttributeValue.UTF8_ORDER.compare(previous, sk);
                          assertThat(descending ? c > 0 : c < 0).as("sort order").isTrue();
                        }
                        previous = sk;
                      }
                      table.scan(Scan.all().segment(rnd.nextInt(2), 2).limit(50));
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      Thread.sleep(2000);
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertThat(errors).isEmpty();
      Map<Key, Item> expected = new HashMap<>();
      references.forEach(expected::putAll);
      List<Item> all = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        all.addAll(table.query(Query.partition("P" + p)).items());
      }
      assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(expected.values()));
      assertThat(all).hasSize(expected.size());
    }
    try (Coffer coffer = stores.open(dir)) {
      assertThat(coffer.table("stress").scan(Scan.all()).count())
          .isEqualTo(references.stream().mapToInt(Map::size).sum());
    }
  }
}
