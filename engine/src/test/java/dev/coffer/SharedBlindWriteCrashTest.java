package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blind writes of a table without a sort key on a shared backend, by writers that die between any
 * two of their requests (the backend keeps the first {@code n} requests of the dying write and
 * refuses the rest, as if the process was killed there): Scan finds every partition GetItem finds,
 * at every moment, and an acknowledged write from another instance is found by Scan. The DynamoDB
 * form of these, in writer JVMs killed with SIGKILL, is {@code KilledBlindWriterTest} in {@code
 * store-dynamodb}.
 */
class SharedBlindWriteCrashTest {
  private static final String DIES = "dies";
  private final TestStores stores = new TestStores();

  private Coffer open(MemoryBackend backend) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .accessCheckInterval(Duration.ofHours(1)) // no catalog read inside a dying write
            .garbageGracePeriod(Duration.ofHours(1))
            .build());
  }

  private static Item item(String key, String v) {
    return Item.builder().string("pk", key).string("v", v).build();
  }

  /**
   * Runs {@code write} in a thread whose requests after the first {@code applied} fail unapplied.
   *
   * @return whether the write returned (was acknowledged)
   */
  private static boolean dyingAfter(MemoryBackend memory, int applied, Runnable write)
      throws InterruptedException {
    AtomicInteger sent = new AtomicInteger();
    boolean[] acknowledged = {false};
    memory.failWhen(
        op -> Thread.currentThread().getName().equals(DIES) && sent.incrementAndGet() > applied);
    Thread t =
        new Thread(
            () -> {
              try {
                write.run();
                acknowledged[0] = true;
              } catch (StorageException died) {
                // the process is gone from here on
              }
            },
            DIES);
    t.start();
    t.join();
    memory.failWhen(op -> false);
    return acknowledged[0];
  }

  /** What Scan returns, key to value. */
  private static Map<String, String> scanned(Table t) {
    Map<String, String> out = new TreeMap<>();
    for (Item i : t.scan(Scan.all()).items()) {
      out.put(i.get("pk").s(), i.get("v").s());
    }
    return out;
  }

  /** What GetItem returns for each of {@code keys} that it finds. */
  private static Map<String, String> got(Table t, Iterable<String> keys) {
    Map<String, String> out = new TreeMap<>();
    for (String k : keys) {
      Optional<Item> i = t.getItem(Key.of(k));
      i.ifPresent(x -> out.put(k, x.get("v").s()));
    }
    return out;
  }

  @ParameterizedTest(name = "the creating writer dies after {0} of its requests")
  @ValueSource(ints = {0, 1, 2, 3})
  void aCreationKilledAnywhereIsFoundByScanAfterAnAcknowledgedOverwriteFromAnotherInstance(
      int applied) throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory)) {
      Table ta =
          a.createTable(
              TableSpec.builder().name("single").partitionKey("pk", AttributeType.S).build());
      try (Coffer b = open(memory)) {
        Table tb = b.table("single");
        // A new key: the index entry, then the root (2 requests); dies after `applied` of them.
        boolean acked = dyingAfter(memory, applied, () -> ta.putItem(item("k", "from-a")));
        assertThat(acked).isEqualTo(applied >= 2);
        assertThat(scanned(tb)).isEqualTo(got(tb, List.of("k")));
        tb.putItem(item("k", "from-b")); // acknowledged, from another instance
        assertThat(scanned(tb)).containsExactly(Map.entry("k", "from-b"));
        assertThat(scanned(ta)).containsExactly(Map.entry("k", "from-b"));
      }
    }
  }

  @ParameterizedTest(name = "the writer expecting a root dies after {0} of its requests")
  @ValueSource(ints = {0, 1, 2, 3})
  void aWriteExpectingARootThatIsGoneIsFoundByScanWhereverItDies(int applied) throws Exception {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer a = open(memory)) {
      Table ta =
          a.createTable(
              TableSpec.builder().name("single").partitionKey("pk", AttributeType.S).build());
      ta.putItem(item("k", "first")); // A now expects a root at k
      try (Coffer b = open(memory)) {
        Table tb = b.table("single");
        tb.deleteItem(Key.of("k"));
        sweepStaleEntries(memory); // its index entry goes too
        assertThat(memory.all().stream().filter(r -> r.partitionKey().length == 5)).isEmpty();
        // A's put on attribute_exists fails (1), then the entry (2), then the root (3).
        boolean acked = dyingAfter(memory, applied, () -> ta.putItem(item("k", "again")));
        assertThat(acked).isEqualTo(applied >= 3);
        assertThat(scanned(tb)).isEqualTo(got(tb, List.of("k")));
        tb.putItem(item("k", "from-b"));
        assertThat(scanned(tb)).containsExactly(Map.entry("k", "from-b"));
      }
    }
  }

  /**
   * Deletes the index entries of partitions without a root, as {@code collectGarbage()} does (a new
   * partition's first write finds no entry then).
   */
  private static void sweepStaleEntries(MemoryBackend memory) {
    List<BackendRecord> all = memory.all();
    for (BackendRecord e : all) {
      if (e.partitionKey().length == 5) {
        byte[] nodes = Arrays.copyOf(e.partitionKey(), 20);
        System.arraycopy(e.sortKey(), 0, nodes, 4, 16);
        if (all.stream().noneMatch(r -> Arrays.equals(r.partitionKey(), nodes))) {
          memory.rawPut(e.partitionKey(), e.sortKey(), null, 0);
        }
      }
    }
  }

  /**
   * Two instances put and delete a few keys blindly, and some writes die after a random number of
   * their requests, while stale index entries are swept: after every step, Scan returns exactly
   * what GetItem finds, and every key whose last write was acknowledged holds its value.
   */
  @Test
  void scanFindsWhatGetItemFindsWhereverBlindWritersDie() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    Random rnd = new Random(18);
    TreeSet<String> keys = new TreeSet<>();
    try (Coffer a = open(memory)) {
      Table ta =
          a.createTable(
              TableSpec.builder().name("single").partitionKey("pk", AttributeType.S).build());
      try (Coffer b = open(memory)) {
        Table[] instances = {ta, b.table("single")};
        Map<String, String> acknowledged = new TreeMap<>(); // key -> value, null: deleted
        for (int step = 0; step < 300; step++) {
          if (rnd.nextInt(10) == 0) {
            sweepStaleEntries(memory);
          }
          Table t = instances[rnd.nextInt(2)];
          String k = "k" + rnd.nextInt(12);
          keys.add(k);
          boolean delete = rnd.nextInt(4) == 0;
          String v = "v" + step;
          Runnable write = delete ? () -> t.deleteItem(Key.of(k)) : () -> t.putItem(item(k, v));
          boolean acked;
          if (rnd.nextInt(3) == 0) {
            acked = dyingAfter(memory, rnd.nextInt(3), write);
          } else {
            write.run();
            acked = true;
          }
          if (acked) {
            acknowledged.put(k, delete ? null : v);
          } else {
            acknowledged.remove(k); // unknown: the write may or may not have happened
          }
          Map<String, String> got = got(instances[0], keys);
          assertThat(scanned(instances[1])).as("step %d", step).isEqualTo(got);
          for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            assertThat(got.get(e.getKey()))
                .as("step %d, %s", step, e.getKey())
                .isEqualTo(e.getValue());
          }
        }
      }
    }
  }
}
