package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions against concurrent transactions, single writes and snapshot reads on overlapping
 * items, checked against a reference model:
 *
 * <ul>
 *   <li>the bank: 4 threads move money between 24 accounts (in two tables, 12 of them in ONE
 *       partition of small pages, so transactions change several items of a partition that splits
 *       and folds) with conditional transfers over 2 to 6 accounts, some with idempotency tokens
 *       sent twice, while single writes rewrite accounts without changing balances (conditional
 *       puts and updates); every TransactGetItems of all accounts sums to the constant total, no
 *       balance goes negative, and each account's count of transfers equals the model's count of
 *       acknowledged transfers that touched it (no lost or doubled transaction). 15 s by default;
 *       {@code -Dcoffer.txn.stressSeconds=N} runs longer.
 *   <li>deadlock freedom: 8 threads run transactions over a few hot items in random orders while a
 *       data-key rotation's re-encryption (which also locks many partitions) runs; every thread
 *       must finish.
 * </ul>
 */
class TransactionConcurrencyTest {
  private static final int ACCOUNTS = 24;
  private static final long START = 1_000;

  @TempDir Path dir;

  private static String table(int a) {
    return a % 2 == 0 ? "flat" : "vault";
  }

  private static Key key(int a) {
    return a % 2 == 0 ? Key.of("acct" + a) : Key.of(AttributeValue.s("vault"), AttributeValue.n(a));
  }

  private static Item account(int a, long balance) {
    Item.Builder b =
        a % 2 == 0
            ? Item.builder().string("id", "acct" + a)
            : Item.builder().string("pk", "vault").number("sk", a);
    return b.number("balance", balance)
        .number("transfers", 0)
        .string("note", "n".repeat(40))
        .build();
  }

  private static int seconds() {
    return Integer.getInteger("coffer.txn.stressSeconds", 15);
  }

  @Test
  void theBankBalanceStaysConstantUnderConcurrentTransactionsAndSingleWrites() throws Exception {
    TestStores stores = new TestStores();
    try (Coffer c = Coffer.open(dir, stores.options().pageCacheBytes(1 << 20).build())) {
      c.createTable(TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
      c.createTable(
          TableSpec.builder()
              .name("vault")
              .partitionKey("pk", AttributeType.S)
              .sortKey("sk", AttributeType.N)
              .pageTargetBytes(512)
              .build());
      for (int a = 0; a < ACCOUNTS; a++) {
        c.table(table(a)).putItem(account(a, START));
      }
      long total = START * ACCOUNTS;
      long[] touches = new long[ACCOUNTS];
      AtomicLong applied = new AtomicLong();
      AtomicLong cancelled = new AtomicLong();
      AtomicLong snapshots = new AtomicLong();
      AtomicLong singles = new AtomicLong();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        workers.add(
            pool.submit(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(worker * 7919L);
                  int n = 0;
                  while (System.nanoTime() < deadline && violations.isEmpty()) {
                    n++;
                    int kind = rnd.nextInt(10);
                    if (kind < 6) {
                      List<Integer> involved = pick(rnd, 2 + rnd.nextInt(5));
                      String token = rnd.nextInt(4) == 0 ? "w" + worker + "-" + n : null;
                      if (transfer(c, rnd, involved, token)) {
                        synchronized (touches) {
                          involved.forEach(a -> touches[a]++);
                        }
                        applied.incrementAndGet();
                      } else {
                        cancelled.incrementAndGet();
                      }
                    } else if (kind < 8) {
                      singleWrite(c, rnd);
                      singles.incrementAndGet();
                    } else {
                      long sum = snapshotSum(c, violations);
                      snapshots.incrementAndGet();
                      if (sum != total) {
                        violations.add("a snapshot summed to " + sum + ", not " + total);
                      }
                    }
                  }
                  return null;
                }));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(seconds() + 120L, TimeUnit.SECONDS))
          .as("workers finished (no deadlock)")
          .isTrue();
      for (Future<?> f : workers) {
        f.get();
      }
      assertThat(violations).isEmpty();
      long sum = 0;
      for (int a = 0; a < ACCOUNTS; a++) {
        Item item = c.table(table(a)).getItem(key(a)).orElseThrow();
        long balance = Long.parseLong(item.get("balance").n());
        assertThat(balance).as("balance of account %d", a).isNotNegative();
        assertThat(Long.parseLong(item.get("transfers").n()))
            .as("transfers of account %d", a)
            .isEqualTo(touches[a]);
        sum += balance;
      }
      assertThat(sum).isEqualTo(total);
      assertThat(applied.get()).isPositive();
      assertThat(cancelled.get()).isPositive();
      assertThat(snapshots.get()).isPositive();
      assertThat(singles.get()).isPositive();
      assertThat(c.verify().clean()).isTrue();
    }
  }

  private static List<Integer> pick(SplittableRandom rnd, int count) {
    List<Integer> all = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      all.add(a);
    }
    Collections.shuffle(all, new Random(rnd.nextLong()));
    return all.subList(0, count);
  }

  /**
   * Moves random amounts from the first accounts to the others, each debit conditional on the
   * balance; returns whether it applied. A tokened transfer is sent twice: the second must not
   * apply again.
   */
  private static boolean transfer(
      Coffer c, SplittableRandom rnd, List<Integer> involved, String token) {
    int debits = 1 + rnd.nextInt(involved.size() - 1);
    long[] deltas = new long[involved.size()];
    long moved = 0;
    for (int i = 0; i < debits; i++) {
      deltas[i] = -(1 + rnd.nextInt(300));
      moved -= deltas[i];
    }
    for (int i = debits; i < involved.size(); i++) {
      long share = i == involved.size() - 1 ? moved : rnd.nextLong(moved + 1);
      deltas[i] = share;
      moved -= share;
    }
    List<TransactWriteItem> items = new ArrayList<>();
    for (int i = 0; i < involved.size(); i++) {
      int a = involved.get(i);
      Condition cond =
          deltas[i] < 0
              ? Condition.path("balance").ge(AttributeValue.n(-deltas[i]))
              : Condition.attributeExists("balance");
      items.add(
          TransactWriteItem.update(
              table(a),
              key(a),
              Update.builder()
                  .add("balance", AttributeValue.n(deltas[i]))
                  .add("transfers", AttributeValue.n(1))
                  .build(),
              cond));
    }
    TransactWriteItemsRequest request =
        TransactWriteItemsRequest.builder().transactItems(items).clientRequestToken(token).build();
    try {
      c.transactWriteItems(request);
    } catch (TransactionCanceledException e) {
      return false;
    }
    if (token != null) {
      c.transactWriteItems(request); // answered from the token: not applied again
    }
    return true;
  }

  /**
   * A write of one account that keeps its balance: a conditional rewrite or an update of its note.
   */
  private static void singleWrite(Coffer c, SplittableRandom rnd) {
    int a = rnd.nextInt(ACCOUNTS);
    Table t = c.table(table(a));
    if (rnd.nextBoolean()) {
      t.updateItem(
          UpdateItemRequest.builder()
              .key(key(a))
              .update(
                  Update.builder()
                      .set("note", AttributeValue.s("x".repeat(rnd.nextInt(80))))
                      .build())
              .condition(Condition.attributeExists("balance"))
              .build());
      return;
    }
    Item current = t.getItem(key(a)).orElseThrow();
    Item rewritten = current.toBuilder().string("note", "rewritten " + rnd.nextInt(1000)).build();
    try {
      t.putItem(
          PutItemRequest.builder()
              .item(rewritten)
              .condition(
                  Condition.path("balance")
                      .eq(current.get("balance"))
                      .and(Condition.path("transfers").eq(current.get("transfers"))))
              .build());
    } catch (ConditionalCheckFailedException raced) {
      // a transfer came in between: the put must not have happened (checked by the totals)
    }
  }

  private static long snapshotSum(Coffer c, ConcurrentLinkedQueue<String> violations) {
    List<TransactGetItem> gets = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      gets.add(TransactGetItem.of(table(a), key(a), Projection.attributes("balance")));
    }
    long sum = 0;
    for (Optional<Item> item : c.transactGetItems(TransactGetItemsRequest.of(gets)).responses()) {
      if (item.isEmpty()) {
        violations.add("an account is missing from a snapshot");
        return -1;
      }
      long balance = Long.parseLong(item.get().get("balance").n());
      if (balance < 0) {
        violations.add("a negative balance " + balance);
      }
      sum += balance;
    }
    return sum;
  }

  @Test
  void transactionsOverHotItemsInRandomOrdersNeverDeadlock() throws Exception {
    TestStores stores = new TestStores();
    try (Coffer c = stores.open(dir)) {
      Table hot =
          c.createTable(
              TableSpec.builder().name("hot").partitionKey("id", AttributeType.N).build());
      Table rows =
          c.createTable(
              TableSpec.builder()
                  .name("rows")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      for (int i = 0; i < 200; i++) {
        rows.putItem(
            Item.builder().string("pk", "r" + (i % 10)).number("sk", i).number("v", 0).build());
      }
      for (int i = 0; i < 6; i++) {
        hot.putItem(Item.builder().number("id", i).number("v", 0).build());
      }
      Map<String, Long> done = Collections.synchronizedMap(new LinkedHashMap<>());
      ExecutorService pool = Executors.newFixedThreadPool(9);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int worker = w;
        futures.add(
            pool.submit(
                () -> {
                  SplittableRandom rnd = new SplittableRandom(worker);
                  long count = 0;
                  for (int n = 0; n < 150; n++) {
                    List<TransactWriteItem> items = new ArrayList<>();
                    List<Integer> ids = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
                    Collections.shuffle(ids, new Random(rnd.nextLong()));
                    for (int id : ids.subList(0, 2 + rnd.nextInt(4))) {
                      items.add(
                          TransactWriteItem.update(
                              "hot",
                              Key.of(AttributeValue.n(id)),
                              Update.builder().add("v", AttributeValue.n(1)).build(),
                              null));
                    }
                    int r = rnd.nextInt(200);
                    items.add(
                        TransactWriteItem.update(
                            "rows",
                            Key.of(AttributeValue.s("r" + (r % 10)), AttributeValue.n(r)),
                            Update.builder().add("v", AttributeValue.n(1)).build(),
                            Condition.attributeExists("pk")));
                    c.transactWriteItems(
                        TransactWriteItemsRequest.builder().transactItems(items).build());
                    if (n % 10 == 0) {
                      hot.updateItem(
                          UpdateItemRequest.builder()
                              .key(Key.of(AttributeValue.n(rnd.nextInt(6))))
                              .update(Update.builder().set("w", AttributeValue.n(worker)).build())
                              .build());
                    }
                    count += items.size() - 1;
                  }
                  done.put("w" + worker, count);
                  return null;
                }));
      }
      futures.add(
          pool.submit(
              () -> {
                for (int round = 0; round < 3; round++) {
                  rows.rotateDataKey();
                  rows.reencrypt(ReencryptOptions.builder().persistEveryPages(2).build());
                }
                return null;
              }));
      pool.shutdown();
      assertThat(pool.awaitTermination(180, TimeUnit.SECONDS))
          .as("every thread finished: no deadlock")
          .isTrue();
      for (Future<?> f : futures) {
        f.get();
      }
      long expected = done.values().stream().mapToLong(Long::longValue).sum();
      long sum = 0;
      for (Item i : hot.scan(Scan.all()).items()) {
        sum += Long.parseLong(i.get("v").n());
      }
      assertThat(sum).isEqualTo(expected);
      long rowSum = 0;
      for (Item i : rows.scan(Scan.all()).items()) {
        rowSum += Long.parseLong(i.get("v").n());
      }
      assertThat(rowSum).isEqualTo(8 * 150);
      assertThat(c.verify().clean()).isTrue();
    }
  }
}
