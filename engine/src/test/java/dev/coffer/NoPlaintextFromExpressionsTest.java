package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that reach the engine through expressions (conditions, updates, filters), batches and
 * transactions, including failed ones, never reach the disk in plaintext: every file under the
 * store directory is searched for each marker in UTF-8, UTF-16LE and UTF-16BE while open, after a
 * flush and after close, as {@link NoPlaintextOnDiskTest} does for plain writes.
 */
class NoPlaintextFromExpressionsTest {
  private static final List<String> MARKERS =
      List.of(
          "CondMarkerZq8",
          "UpdateMarkerZq8",
          "AddSetMarkerZq8",
          "FilterMarkerZq8",
          "TxnMarkerZq8",
          "TxnCheckMarkerZq8",
          "BatchMarkerZq8",
          "FailedMarkerZq8",
          "ProjMarkerZq8",
          "UpdNameMarkerZq8");

  @TempDir Path dir;

  @Test
  void noMarkerInAnyFile() throws IOException {
    TestStores stores = new TestStores();
    try (Coffer c = stores.open(dir)) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("things")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(512)
                  .build());
      for (int i = 0; i < 120; i++) {
        Key key = Key.of(AttributeValue.s("p" + (i % 5)), AttributeValue.n(i));
        t.putItem(
            PutItemRequest.builder()
                .item(
                    Item.builder()
                        .string("pk", "p" + (i % 5))
                        .number("sk", i)
                        .string("state", "CondMarkerZq8")
                        .build())
                .condition(
                    Condition.attributeNotExists("pk")
                        .or(Condition.path("state").eq(AttributeValue.s("CondMarkerZq8"))))
                .build());
        t.updateItem(
            UpdateItemRequest.builder()
                .key(key)
                .update(
                    Update.expression(
                        "SET #n = :v ADD tags :t",
                        Map.of("#n", "UpdNameMarkerZq8"),
                        Map.of(
                            ":v",
                            AttributeValue.s("UpdateMarkerZq8 " + i),
                            ":t",
                            AttributeValue.ss("AddSetMarkerZq8"))))
                .condition(Condition.path("state").eq(AttributeValue.s("CondMarkerZq8")))
                .build());
        assertThatThrownBy(
                () ->
                    t.deleteItem(
                        DeleteItemRequest.builder()
                            .key(key)
                            .condition(
                                Condition.path("state").eq(AttributeValue.s("FailedMarkerZq8")))
                            .build()))
            .isInstanceOf(ConditionalCheckFailedException.class);
      }
      t.scan(
          ScanRequest.builder()
              .filter(Condition.path("state").beginsWith(AttributeValue.s("FilterMarkerZq8")))
              .projection(Projection.expression("#p", Map.of("#p", "ProjMarkerZq8")))
              .build());
      for (int i = 0; i < 30; i++) {
        c.transactWriteItems(
            TransactWriteItemsRequest.builder()
                .transactItems(
                    TransactWriteItem.put(
                        "things",
                        Item.builder()
                            .string("pk", "tx")
                            .number("sk", i)
                            .string("v", "TxnMarkerZq8")
                            .build()),
                    TransactWriteItem.conditionCheck(
                        "things",
                        Key.of(AttributeValue.s("p1"), AttributeValue.n(1)),
                        Condition.path("state").ne(AttributeValue.s("TxnCheckMarkerZq8"))))
                .clientRequestToken("tok" + i)
                .build());
        c.batchWriteItem(
            BatchWriteItemRequest.builder()
                .requestItems(
                    "things",
                    List.of(
                        WriteRequest.put(
                            Item.builder()
                                .string("pk", "batch")
                                .number("sk", i)
                                .string("v", "BatchMarkerZq8")
                                .build())))
                .build());
      }
      assertThat(t.query(Query.partition("tx")).count()).isEqualTo(30);
      assertNoMarkers("while open");
      c.flush();
      assertNoMarkers("after flush");
    }
    assertNoMarkers("after close");
  }

  private void assertNoMarkers(String when) throws IOException {
    PlaintextScan.assertNoMarkers(dir, MARKERS, when);
  }
}
