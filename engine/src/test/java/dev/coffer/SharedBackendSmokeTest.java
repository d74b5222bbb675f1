package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A first look at a store on a shared backend: one instance, then two. */
class SharedBackendSmokeTest {
  private final TestStores stores = new TestStores();

  private Coffer open(MemoryBackend backend) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .accessCheckInterval(Duration.ofMillis(50))
            .garbageGracePeriod(Duration.ofMillis(200))
            .build());
  }

  @Test
  void putsGetsQueriesAndScansWithSplits() {
    MemoryBackend backend = new MemoryBackend(2048);
    try (Coffer c = open(backend)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(256)
                  .build());
      for (int i = 0; i < 200; i++) {
        t.putItem(
            Item.builder()
                .string("pk", "p" + (i % 3))
                .number("sk", i)
                .string("v", "value " + i)
                .build());
      }
      t.putItem(
          Item.builder()
              .string("pk", "big")
              .number("sk", 1)
              .string("v", "x".repeat(10_000))
              .build());
      assertThat(t.getItem(Key.of(AttributeValue.s("p1"), AttributeValue.n(4)))).isPresent();
      assertThat(t.query(Query.partition("p0")).items()).hasSize(67);
      List<Item> all = new ArrayList<>();
      Page p = t.scan(Scan.all());
      all.addAll(p.items());
      assertThat(all).hasSize(201);
      assertThat(t.getItem(Key.of(AttributeValue.s("big"), AttributeValue.n(1))).get().get("v").s())
          .hasSize(10_000);
      for (int i = 0; i < 200; i += 2) {
        t.deleteItem(Key.of(AttributeValue.s("p" + (i % 3)), AttributeValue.n(i)));
      }
      assertThat(t.scan(Scan.all()).items()).hasSize(101);
      assertThat(t.verify().findings()).isEmpty();
    }
    try (Coffer c = open(backend)) {
      assertThat(c.table("events").scan(Scan.all()).items()).hasSize(101);
    }
  }

  @Test
  void twoInstancesSeeEachOthersTablesAndItems() throws Exception {
    MemoryBackend backend = new MemoryBackend(4096);
    try (Coffer a = open(backend);
        Coffer b = open(backend)) {
      Table ta =
          a.createTable(
              TableSpec.builder()
                  .name("things")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(300)
                  .build());
      Thread.sleep(100);
      Table tb = b.table("things");
      Thread[] writers = new Thread[4];
      for (int w = 0; w < writers.length; w++) {
        Table tw = w % 2 == 0 ? ta : tb;
        int base = w * 1000;
        writers[w] =
            new Thread(
                () -> {
                  for (int i = 0; i < 150; i++) {
                    tw.putItem(
                        Item.builder()
                            .string("pk", "p" + (i % 2))
                            .number("sk", base + i)
                            .string("v", "v" + i)
                            .build());
                  }
                });
        writers[w].start();
      }
      for (Thread w : writers) {
        w.join();
      }
      assertThat(ta.query(Query.partition("p0")).items()).hasSize(300);
      assertThat(tb.query(Query.partition("p1")).items()).hasSize(300);
      assertThat(ta.verify().findings()).isEmpty();
    }
  }
}
