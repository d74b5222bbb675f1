package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.audit.AuditSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers and readers run while the master key rotates (rewrap) and while the data key rotates and
 * re-encryption runs; afterwards every item equals the reference and every record is sealed by the
 * newest data-key version.
 */
class RotationUnderLoadTest {
  private static final int WRITERS = 3;
  private static final int KEYS_PER_WRITER = 150;

  @TempDir Path dir;

  private final TestStores stores = new TestStores();

  private static Item item(int writer, int k, long value) {
    return Item.builder()
        .string("pk", "w" + writer + "-" + (k % 30))
        .number("sk", k)
        .number("v", value)
        .string("pad", "x".repeat((int) (value % 50)))
        .build();
  }

  @Test
  void rotationsAndReencryptionUnderReadAndWriteLoad() throws Exception {
    Map<String, Item> reference = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong writes = new AtomicLong();
    String tableId;
    int newest;
    try (Coffer c = Coffer.open(dir, stores.options().auditSink(AuditSink.none()).build())) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("load")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      tableId = t.describe().tableId();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        threads.add(
            new Thread(
                () -> {
                  Random rnd = new Random(writer);
                  try {
                    while (!stop.get()) {
                      int k = rnd.nextInt(KEYS_PER_WRITER);
                      Item it = item(writer, k, rnd.nextInt(1_000_000));
                      String ref = writer + "/" + k;
                      if (rnd.nextInt(10) == 0) {
                        t.deleteItem(Key.of(it.get("pk"), it.get("sk")));
                        reference.remove(ref);
                      } else {
                        t.putItem(it);
                        reference.put(ref, it);
                      }
                      writes.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      for (int r = 0; r < 2; r++) {
        int seed = 100 + r;
        threads.add(
            new Thread(
                () -> {
                  Random rnd = new Random(seed);
                  try {
                    while (!stop.get()) {
                      int writer = rnd.nextInt(WRITERS);
                      Item probe = item(writer, rnd.nextInt(KEYS_PER_WRITER), 0);
                      t.getItem(Key.of(probe.get("pk"), probe.get("sk")))
                          .ifPresent(
                              found -> assertThat(found.get("pk")).isEqualTo(probe.get("pk")));
                      if (rnd.nextInt(20) == 0) {
                        t.query(Query.partition(probe.get("pk")));
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      waitForWrites(writes, 500);
      for (int round = 0; round < 3; round++) {
        stores.provider.rotateKeyOnDemand(stores.keyId);
        c.rotateMasterKey();
        t.rotateDataKey();
        waitForWrites(writes, writes.get() + 300);
        ReencryptResult r = t.reencrypt(ReencryptOptions.builder().persistEveryPages(16).build());
        assertThat(r.finished()).isTrue();
        c.rotateMasterKey();
      }
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      assertThat(failures).isEmpty();
      newest = t.describe().primaryDataKeyVersion();
      assertThat(newest).isEqualTo(4);
      assertThat(t.describe().dataKeys())
          .filteredOn(v -> v.state() != DataKeyVersionInfo.State.DESTROYED)
          .extracting(DataKeyVersionInfo::version)
          .containsExactly(4);
      check(t, reference);
    }
    assertThat(SealedVersions.of(dir, tableId)).containsOnlyKeys(newest);
    try (Coffer c = Coffer.open(dir, stores.options().auditSink(AuditSink.none()).build())) {
      check(c.table("load"), reference);
    }
  }

  private static void check(Table t, Map<String, Item> reference) {
    for (int w = 0; w < WRITERS; w++) {
      for (int k = 0; k < KEYS_PER_WRITER; k++) {
        Item probe = item(w, k, 0);
        Item expected = reference.get(w + "/" + k);
        assertThat(t.getItem(Key.of(probe.get("pk"), probe.get("sk"))).orElse(null))
            .as(w + "/" + k)
            .isEqualTo(expected);
      }
    }
  }

  private static void waitForWrites(AtomicLong writes, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (writes.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
