package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read-decide-write operations (UpdateItem, conditional PutItem, TransactWriteItems,
 * TransactGetItems) on a shared backend, with two instances of one store (separate locks and page
 * caches, as two JVMs would have) writing the same partition from several threads each: no
 * acknowledged update is lost, a conditional put of a new key succeeds exactly once, transfers
 * inside one partition keep the total, every TransactGetItems sees a consistent total, and the
 * partition keeps splitting under it. Counts, not timings.
 */
class SharedConcurrentWritesTest {
  private static final int THREADS_PER_INSTANCE = 3;
  private static final int COUNTERS = 12;
  private static final int NEW_KEYS = 40;
  private static final int ACCOUNTS = 4;
  private static final long START = 1_000;

  private final TestStores stores = new TestStores();

  private Coffer open(MemoryBackend backend) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .garbageGracePeriod(Duration.ofSeconds(30))
            .pageCacheBytes(1 << 20)
            .build());
  }

  private static Key key(int sk) {
    return Key.of(AttributeValue.s("hot"), AttributeValue.n(sk));
  }

  @Test
  void twoInstancesRacingReadDecideWritesLoseNothing() throws Exception {
    MemoryBackend backend = new MemoryBackend();
    try (Coffer a = open(backend);
        Coffer b = open(backend)) {
      Table ta =
          a.createTable(
              TableSpec.builder()
                  .name("rows")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(256)
                  .build());
      for (int i = 0; i < COUNTERS; i++) {
        ta.putItem(Item.builder().string("pk", "hot").number("sk", i).number("count", 0).build());
      }
      for (int i = 0; i < ACCOUNTS; i++) {
        ta.putItem(
            Item.builder()
                .string("pk", "hot")
                .number("sk", 1000 + i)
                .number("balance", START)
                .build());
      }
      List<Coffer> instances = List.of(a, b);
      AtomicLong increments = new AtomicLong();
      AtomicLong wonPuts = new AtomicLong();
      AtomicLong transfers = new AtomicLong();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_INSTANCE);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 2 * THREADS_PER_INSTANCE; w++) {
        int worker = w;
        Table t = instances.get(w % 2).table("rows");
        Coffer c = instances.get(w % 2);
        workers.add(
            pool.submit(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(worker * 31L + 7);
                  for (int n = 0; n < 60; n++) {
                    int kind = rnd.nextInt(4);
                    if (kind == 0) {
                      t.updateItem(
                          UpdateItemRequest.builder()
                              .key(key(rnd.nextInt(COUNTERS)))
                              .update(Update.builder().add("count", AttributeValue.n(1)).build())
                              .build());
                      increments.incrementAndGet();
                    } else if (kind == 1) {
                      // every worker tries the same new keys: exactly one put of each may win
                      int sk = 100 + rnd.nextInt(NEW_KEYS);
                      try {
                        t.putItem(
                            PutItemRequest.builder()
                                .item(
                                    Item.builder()
                                        .string("pk", "hot")
                                        .number("sk", sk)
                                        .string("owner", "w" + worker)
                                        .string("pad", "p".repeat(20 + rnd.nextInt(60)))
                                        .build())
                                .condition(Condition.attributeNotExists("sk"))
                                .build());
                        wonPuts.incrementAndGet();
                      } catch (ConditionalCheckFailedException lost) {
                        // another worker created it first
                      }
                    } else if (kind == 2) {
                      int from = 1000 + rnd.nextInt(ACCOUNTS);
                      int to = 1000 + (from - 1000 + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                      long amount = 1 + rnd.nextInt(200);
                      try {
                        c.transactWriteItems(
                            TransactWriteItemsRequest.builder()
                                .transactItems(
                                    TransactWriteItem.update(
                                        "rows",
                                        key(from),
                                        Update.builder()
                                            .add("balance", AttributeValue.n(-amount))
                                            .build(),
                                        Condition.path("balance").ge(AttributeValue.n(amount))),
                                    TransactWriteItem.update(
                                        "rows",
                                        key(to),
                                        Update.builder()
                                            .add("balance", AttributeValue.n(amount))
                                            .build(),
                                        Condition.attributeExists("balance")))
                                .build());
                        transfers.incrementAndGet();
                      } catch (TransactionCanceledException insufficient) {
                        // the condition failed: nothing moved
                      }
                    } else {
                      List<TransactGetItem> gets = new ArrayList<>();
                      for (int i = 0; i < ACCOUNTS; i++) {
                        gets.add(TransactGetItem.of("rows", key(1000 + i)));
                      }
                      long sum = 0;
                      for (Optional<Item> item :
                          c.transactGetItems(TransactGetItemsRequest.of(gets)).responses()) {
                        long balance = Long.parseLong(item.orElseThrow().get("balance").n());
                        if (balance < 0) {
                          violations.add("negative balance " + balance);
                        }
                        sum += balance;
                      }
                      if (sum != START * ACCOUNTS) {
                        violations.add("a TransactGetItems saw a total of " + sum);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
      pool.shutdown();
      assertThat(violations).isEmpty();

      for (Coffer reader : instances) {
        Table t = reader.table("rows");
        long counted = 0;
        for (int i = 0; i < COUNTERS; i++) {
          counted += Long.parseLong(t.getItem(key(i)).orElseThrow().get("count").n());
        }
        assertThat(counted).as("increments seen by every instance").isEqualTo(increments.get());
        long created = 0;
        for (int sk = 100; sk < 100 + NEW_KEYS; sk++) {
          created += t.getItem(key(sk)).isPresent() ? 1 : 0;
        }
        assertThat(created).as("conditional puts that won").isEqualTo(wonPuts.get());
        long total = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
          total += Long.parseLong(t.getItem(key(1000 + i)).orElseThrow().get("balance").n());
        }
        assertThat(total).isEqualTo(START * ACCOUNTS);
        assertThat(t.query(Query.partition("hot")).items())
            .hasSize((int) (COUNTERS + ACCOUNTS + created));
        assertThat(t.verify().findings()).isEmpty();
      }
      assertThat(transfers.get()).isPositive();
    }
  }

  @Test
  void aTransactionAcrossPartitionsIsRefusedOnASharedBackendAndABatchIsNot() {
    MemoryBackend backend = new MemoryBackend();
    try (Coffer c = open(backend)) {
      Table t =
          c.createTable(
              TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
      assertThatThrownBy(
              () ->
                  c.transactWriteItems(
                      TransactWriteItemsRequest.builder()
                          .transactItems(
                              TransactWriteItem.put(
                                  "flat", Item.builder().string("id", "a").build()),
                              TransactWriteItem.put(
                                  "flat", Item.builder().string("id", "b").build()))
                          .build()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("must all be in one partition");
      assertThat(t.getItem(Key.of("a"))).isEmpty();
      c.batchWriteItem(
          BatchWriteItemRequest.builder()
              .requestItems(
                  "flat",
                  List.of(
                      WriteRequest.put(Item.builder().string("id", "a").build()),
                      WriteRequest.put(Item.builder().string("id", "b").build())))
              .build());
      assertThat(t.getItem(Key.of("a"))).isPresent();
      assertThat(t.getItem(Key.of("b"))).isPresent();
    }
  }
}
