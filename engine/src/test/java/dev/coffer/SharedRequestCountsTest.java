package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.internal.model.ItemSizes;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What one operation costs on a shared backend, in backend requests (one request = one DynamoDB
 * call on coffer-store-dynamodb), and what an item costs in stored bytes, counted exactly on the
 * in-memory backend: the figures of {@code docs/scale-out.md} ("Cost per operation"). The counts
 * are deterministic (no garbage is deleted and no catalog is re-read while they are taken); the
 * test prints them and checks the targets: 1 request per put and get on a table without a
 * sort key, at most 2 per get in a 100-item partition with warm inner nodes.
 */
class SharedRequestCountsTest {
  private final TestStores stores = new TestStores();

  private Coffer open(MemoryBackend backend) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .accessCheckInterval(Duration.ofHours(1))
            .garbageGracePeriod(Duration.ofHours(1))
            .pageCacheBytes(64 << 20)
            .build());
  }

  /**
   * The size DynamoDB bills for a Coffer record: attribute names p, s, r, v, their values, a
   * number.
   */
  /**
   * A record's size as DynamoDB sizes the item the DynamoDB backend writes: names {@code p s v},
   * and {@code r} when the value is not empty; the version binary without leading zero bytes.
   */
  private static long dynamoBytes(BackendRecord r) {
    int versionBytes = Math.max(1, 8 - Long.numberOfLeadingZeros(r.version()) / 8);
    return 3
        + (r.value().length > 0 ? 1 + r.value().length : 0)
        + r.partitionKey().length
        + r.sortKey().length
        + versionBytes;
  }

  private static Item row(int i) {
    return Item.builder()
        .string("pk", "customer-17")
        .number("sk", i)
        .string("status", "shipped")
        .string("address", "1 Example Street, Springfield")
        .number("total", 100 + i)
        .build();
  }

  private static Item flat(int i) {
    return Item.builder()
        .string("id", "order-" + i)
        .string("status", "shipped")
        .string("address", "1 Example Street, Springfield")
        .number("total", 100 + i)
        .build();
  }

  @Test
  void requestsPerOperationAndBytesPerItem() throws InterruptedException {
    MemoryBackend backend = new MemoryBackend();
    StringBuilder report =
        new StringBuilder("\nShared backend: requests per operation, bytes per item\n");
    try (Coffer c = open(backend)) {
      Table f =
          c.createTable(
              TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
      Table r =
          c.createTable(
              TableSpec.builder()
                  .name("rows")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());

      long n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        f.putItem(flat(i));
      }
      double newPut = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        f.putItem(flat(i));
      }
      double overwrite = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        f.getItem(Key.of("order-" + i));
      }
      double flatGet = (backend.requests() - n0) / 100.0;
      line(report, "no sort key: PutItem of a new item", newPut);
      line(report, "no sort key: PutItem over an item", overwrite);
      line(report, "no sort key: GetItem", flatGet);
      assertThat(newPut).isEqualTo(2.0);
      assertThat(overwrite).isEqualTo(1.0);
      assertThat(flatGet).isEqualTo(1.0);

      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        r.putItem(row(i));
      }
      line(
          report,
          "100-item partition: PutItem of a new item (average while it grows)",
          (backend.requests() - n0) / 100.0);
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        r.putItem(row(i).toBuilder().string("status", "returned").build());
      }
      line(report, "100-item partition: PutItem over an item", (backend.requests() - n0) / 100.0);
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        r.updateItem(
            UpdateItemRequest.builder()
                .key(Key.of(AttributeValue.s("customer-17"), AttributeValue.n(i)))
                .update(Update.builder().add("total", AttributeValue.n(1)).build())
                .build());
      }
      line(report, "100-item partition: UpdateItem", (backend.requests() - n0) / 100.0);
    }

    // What stays: the replaced nodes collected (a short grace period), then every record sized.
    try (Coffer c =
        Coffer.open(
            stores.options().backend(backend).garbageGracePeriod(Duration.ofMillis(50)).build())) {
      Thread.sleep(
          200); // every replaced node older than the grace period: collectGarbage takes them all
      CollectedGarbage g = c.collectGarbage();
      assertThat(g.nodesDeleted()).isPositive();
      long stored = 0;
      long nodes = 0;
      long nodeBytes = 0;
      for (BackendRecord rec : backend.all()) {
        stored += dynamoBytes(rec);
        if (rec.partitionKey().length == 20) {
          nodes++;
          nodeBytes += dynamoBytes(rec);
        }
      }
      long plain = 0;
      for (int i = 0; i < 100; i++) {
        plain += ItemSizes.sizeOf(flat(i)) + ItemSizes.sizeOf(row(i));
      }
      report.append(
          String.format(
              Locale.ROOT,
              "  after collectGarbage: %d records, %d of them nodes%n",
              backend.all().size(),
              nodes));
      report.append(
          String.format(
              Locale.ROOT,
              "  bytes per item: %.1f stored (nodes only: %.1f) against %.1f for the"
                  + " items themselves: %.2fx (nodes only: %.2fx)%n",
              stored / 200.0,
              nodeBytes / 200.0,
              plain / 200.0,
              (double) stored / plain,
              (double) nodeBytes / plain));
    }

    // A second instance: a cold page cache, then a warm one.
    try (Coffer c = open(backend)) {
      Table r = c.table("rows");
      long n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        r.getItem(Key.of(AttributeValue.s("customer-17"), AttributeValue.n(i)));
      }
      double cold = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        r.getItem(Key.of(AttributeValue.s("customer-17"), AttributeValue.n(i)));
      }
      double warm = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      Page page = r.query(Query.partition("customer-17"));
      long query = backend.requests() - n0;
      line(report, "100-item partition: GetItem, cold cache (first read of each leaf)", cold);
      line(report, "100-item partition: GetItem, warm cache", warm);
      line(report, "100-item partition: Query of all 100 items (whole request)", query);
      assertThat(page.items()).hasSize(100);
      assertThat(warm).isLessThanOrEqualTo(2.0);

      // Blind writes from an instance that did not write these keys: it expects no root until
      // most of its writes find one (SharedBlindWrites), then writes on attribute_exists.
      Table f = c.table("flat");
      // this instance's first write also writes a catalog entry once: not counted below
      f.putItem(flat(1000));
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        f.putItem(flat(i).toBuilder().string("status", "returned").build());
      }
      double firstOverwrite = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      for (int i = 0; i < 100; i++) {
        f.putItem(flat(i));
      }
      double laterOverwrite = (backend.requests() - n0) / 100.0;
      n0 = backend.requests();
      for (int i = 100; i < 200; i++) {
        f.putItem(flat(i));
      }
      double newAfterOverwrites = (backend.requests() - n0) / 100.0;
      line(report, "no sort key, another instance: first PutItem over each item", firstOverwrite);
      line(report, "no sort key, another instance: later PutItem over each item", laterOverwrite);
      line(
          report,
          "no sort key, another instance: PutItem of new items after overwrites",
          newAfterOverwrites);
      // 11 writes finding a root move the estimate past 1/2; the same 11 misses move it back
      assertThat(firstOverwrite).isEqualTo(1.11);
      assertThat(laterOverwrite).isEqualTo(1.0);
      assertThat(newAfterOverwrites).isEqualTo(2.11);
    }
    System.out.println(report);
  }

  private static void line(StringBuilder report, String what, double requests) {
    report.append(String.format(Locale.ROOT, "  %-70s %.2f requests%n", what, requests));
  }
}
