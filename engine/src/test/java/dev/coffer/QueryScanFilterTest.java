package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query and Scan with FilterExpression, ProjectionExpression and Select, as DynamoDB pages them.
 */
class QueryScanFilterTest {
  @TempDir Path dir;

  private final TestStores stores = new TestStores();
  private Coffer coffer;
  private Table orders;

  @BeforeEach
  void open() {
    coffer = stores.open(dir);
    orders =
        coffer.createTable(
            TableSpec.builder()
                .name("orders")
                .partitionKey("customer", AttributeType.S)
                .sortKey("n", AttributeType.N)
                .build());
    for (int i = 0; i < 100; i++) {
      orders.putItem(
          Item.builder()
              .string("customer", "c")
              .number("n", i)
              .number("amount", i * 10)
              .put(
                  "info",
                  AttributeValue.m(
                      Map.of(
                          "color",
                          AttributeValue.s(i % 2 == 0 ? "red" : "blue"),
                          "size",
                          AttributeValue.n(i % 7))))
              .build());
    }
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  private static Condition amountAtLeast(int v) {
    return Condition.path("amount").ge(AttributeValue.n(v));
  }

  @Test
  void limitCountsItemsReadBeforeTheFilter() {
    Page p =
        orders.query(
            QueryRequest.builder()
                .query(Query.partition("c").limit(10))
                .filter(amountAtLeast(950))
                .build());
    assertThat(p.scannedCount()).isEqualTo(10);
    assertThat(p.count()).isZero();
    assertThat(p.items()).isEmpty();
    assertThat(p.lastEvaluatedKey()).contains(Key.of(AttributeValue.s("c"), AttributeValue.n(9)));

    // paging through with the filter returns exactly the matching items
    List<Item> matched = new ArrayList<>();
    int scanned = 0;
    Query q = Query.partition("c").limit(7);
    while (true) {
      Page page = orders.query(QueryRequest.builder().query(q).filter(amountAtLeast(900)).build());
      matched.addAll(page.items());
      scanned += page.scannedCount();
      if (page.lastEvaluatedKey().isEmpty()) {
        break;
      }
      q = q.exclusiveStartKey(page.lastEvaluatedKey().get());
    }
    assertThat(matched)
        .extracting(i -> i.get("n").n())
        .containsExactly("90", "91", "92", "93", "94", "95", "96", "97", "98", "99");
    assertThat(scanned).isEqualTo(100);
  }

  @Test
  void withoutLimitTheWholePartitionIsReadAndCountedAfterTheFilter() {
    Page p =
        orders.query(
            QueryRequest.builder()
                .query(Query.partition("c"))
                .filter(
                    Condition.path("info")
                        .attribute("color")
                        .eq(AttributeValue.s("red"))
                        .and(amountAtLeast(500)))
                .build());
    assertThat(p.scannedCount()).isEqualTo(100);
    assertThat(p.count()).isEqualTo(25);
    assertThat(p.lastEvaluatedKey()).isEmpty();
  }

  @Test
  void selectCountReturnsCountsOnly() {
    Page p =
        orders.query(
            QueryRequest.builder()
                .query(Query.partition("c"))
                .filter(amountAtLeast(900))
                .select(Select.COUNT)
                .build());
    assertThat(p.items()).isEmpty();
    assertThat(p.count()).isEqualTo(10);
    assertThat(p.scannedCount()).isEqualTo(100);
    Page s = orders.scan(ScanRequest.builder().select(Select.COUNT).build());
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.items()).isEmpty();
  }

  @Test
  void projectionsApplyToTheItemsThatPassed() {
    Page p =
        orders.query(
            QueryRequest.builder()
                .query(Query.partition("c").descending().limit(3))
                .projection(Projection.expression("n, info.color"))
                .build());
    assertThat(p.items())
        .containsExactly(
            Item.builder()
                .number("n", 99)
                .put("info", AttributeValue.m(Map.of("color", AttributeValue.s("blue"))))
                .build(),
            Item.builder()
                .number("n", 98)
                .put("info", AttributeValue.m(Map.of("color", AttributeValue.s("red"))))
                .build(),
            Item.builder()
                .number("n", 97)
                .put("info", AttributeValue.m(Map.of("color", AttributeValue.s("blue"))))
                .build());
    Page s =
        orders.scan(
            ScanRequest.builder()
                .filter(Condition.path("n").lt(AttributeValue.n(2)))
                .projection(Projection.attributes("amount"))
                .select(Select.SPECIFIC_ATTRIBUTES)
                .build());
    assertThat(s.items())
        .containsExactlyInAnyOrder(
            Item.builder().number("amount", 0).build(),
            Item.builder().number("amount", 10).build());
  }

  @Test
  void scanFiltersMayNameKeysQueryFiltersMayNot() {
    Page s =
        orders.scan(
            ScanRequest.builder()
                .filter(Condition.path("n").between(AttributeValue.n(10), AttributeValue.n(19)))
                .build());
    assertThat(s.count()).isEqualTo(10);
    assertThatThrownBy(
            () ->
                orders.query(
                    QueryRequest.builder()
                        .query(Query.partition("c"))
                        .filter(Condition.path("n").gt(AttributeValue.n(3)))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: n");
    assertThatThrownBy(
            () ->
                orders.query(
                    QueryRequest.builder()
                        .query(Query.partition("c"))
                        .filter(
                            Condition.attributeExists("customer")
                                .and(Condition.attributeExists("n")))
                        .build()))
        .hasMessage(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: customer");
  }

  @Test
  void selectAndProjectionMustAgreeAsInDynamoDb() {
    assertThatThrownBy(
            () -> orders.scan(ScanRequest.builder().select(Select.SPECIFIC_ATTRIBUTES).build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
    assertThatThrownBy(
            () ->
                orders.scan(
                    ScanRequest.builder()
                        .select(Select.COUNT)
                        .projection(Projection.attributes("amount"))
                        .build()))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "Cannot specify the AttributesToGet or ProjectionExpression when choosing to get COUNT");
    assertThatThrownBy(
            () ->
                orders.query(
                    QueryRequest.builder()
                        .query(Query.partition("c"))
                        .select(Select.ALL_ATTRIBUTES)
                        .projection(Projection.attributes("amount"))
                        .build()))
        .hasMessage(
            "Cannot specify the AttributesToGet or ProjectionExpression when choosing to get ALL_ATTRIBUTES");
    assertThat(orders.scan(ScanRequest.builder().select(Select.ALL_ATTRIBUTES).build()).count())
        .isEqualTo(100);
  }

  @Test
  void aScanPageStopsAtOneMegabyteReadEvenWhenTheFilterKeepsNothing() {
    Table big =
        coffer.createTable(
            TableSpec.builder().name("big").partitionKey("k", AttributeType.N).build());
    for (int i = 0; i < 40; i++) {
      big.putItem(Item.builder().number("k", i).string("blob", "b".repeat(40_000)).build());
    }
    Page p = big.scan(ScanRequest.builder().filter(Condition.attributeExists("nothere")).build());
    assertThat(p.count()).isZero();
    assertThat(p.scannedCount()).isBetween(25, 27);
    assertThat(p.lastEvaluatedKey()).isPresent();
    Page rest =
        big.scan(
            ScanRequest.builder()
                .scan(Scan.all().exclusiveStartKey(p.lastEvaluatedKey().get()))
                .filter(Condition.attributeExists("nothere"))
                .build());
    assertThat(p.scannedCount() + rest.scannedCount()).isEqualTo(40);
    assertThat(rest.lastEvaluatedKey()).isEmpty();
  }
}
