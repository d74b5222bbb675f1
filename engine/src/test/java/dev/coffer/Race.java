package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Threads racing on one table until stopped, for the concurrency tests: writers that each own their
 * sort keys (so the end state is known: {@link #expected()}) and whatever other threads a test adds
 * ({@link #thread}). Items written carry a check attribute that a reader verifies ({@link
 * #checkWhole}). Not thread-safe itself: set up and run it from the test's thread.
 */
final class Race {
  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch start = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final List<Map<Key, Item>> references = new ArrayList<>();

  /** One round of a racing thread's loop. */
  interface Round {
    void run(Random rnd) throws Exception;
  }

  /**
   * A thread that runs {@code round} again and again, with {@code new Random(seed)}, until stopped.
   */
  Race thread(long seed, Round round) {
    threads.add(
        new Thread(
            () -> {
              Random rnd = new Random(seed);
              try {
                start.await();
                while (!stop.get()) {
                  round.run(rnd);
                }
              } catch (Throwable t) {
                errors.add(t);
              }
            }));
    return this;
  }

  /**
   * {@code count} writers: writer {@code w} (its Random seeded with {@code w}) puts, or one time in
   * {@code deleteOneIn} deletes, the item of sort key {@code w<w>-<0..keys-1>} in partition {@code
   * P<0..partitions-1>} (an S table with an S sort key {@code sk}), and records what it left.
   */
  Race writers(Table table, int count, int partitions, int keys, int deleteOneIn) {
    for (int w = 0; w < count; w++) {
      Map<Key, Item> ref = new HashMap<>();
      references.add(ref);
      String writer = "w" + w + "-";
      thread(
          w,
          rnd -> {
            String pk = "P" + rnd.nextInt(partitions);
            Key key = Key.of(pk, writer + rnd.nextInt(keys));
            if (rnd.nextInt(deleteOneIn) == 0) {
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
          });
    }
    return this;
  }

  /** Fails unless {@code item} is whole: its check attribute matches its number, as written. */
  static void checkWhole(Item item) {
    int n = Integer.parseInt(item.get("n").n());
    assertThat(item.get("check").s()).isEqualTo("x".repeat(n % 97) + n);
  }

  /**
   * Starts every thread, lets them race for {@code millis}, stops them, waits for each up to {@code
   * joinMillis}, and fails on anything a thread threw.
   */
  void run(long millis, long joinMillis) throws InterruptedException {
    threads.forEach(Thread::start);
    start.countDown();
    Thread.sleep(millis);
    stop.set(true);
    for (Thread t : threads) {
      t.join(joinMillis);
    }
    assertThat(errors).isEmpty();
  }

  /** The items the writers left, by key. */
  Map<Key, Item> expected() {
    Map<Key, Item> expected = new HashMap<>();
    references.forEach(expected::putAll);
    return expected;
  }

  /** Every item of partitions {@code P0} to {@code P<partitions - 1>}, read by Query. */
  static List<Item> queryAll(Table table, int partitions) {
    List<Item> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.addAll(table.query(Query.partition("P" + p)).items());
    }
    return all;
  }
}
