package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void putGetQueryScanAcrossReopen() {
    TestStores s = new TestStores();
    try (Coffer c = s.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("orders")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(256)
                  .build());
      for (int i = 0; i < 300; i++) {
        t.putItem(
            Item.builder()
                .string("pk", "P" + (i % 3))
                .number("sk", i)
                .string("v", "value" + i)
                .build());
      }
      assertThat(t.getItem(Key.of(AttributeValue.s("P1"), AttributeValue.n(4))))
          .get()
          .extracting(i -> i.get("v").s())
          .isEqualTo("value4");
      Page p = t.query(Query.partition("P0").limit(500));
      assertThat(p.count()).isEqualTo(100);
      assertThat(t.scan(Scan.all()).count()).isEqualTo(300);
    }
    try (Coffer c = s.open(dir)) {
      Table t = c.table("orders");
      assertThat(t.query(Query.partition("P2").descending()).items().get(0).get("sk").n())
          .isEqualTo("299");
      for (int i = 0; i < 300; i += 2) {
        t.deleteItem(Key.of(AttributeValue.s("P" + (i % 3)), AttributeValue.n(i)));
      }
      assertThat(t.scan(Scan.all()).count()).isEqualTo(150);
    }
  }
}
