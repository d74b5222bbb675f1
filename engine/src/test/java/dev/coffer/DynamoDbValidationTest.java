package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input DynamoDB refuses is refused here too, with DynamoDB's exception and words: numbers with
 * spaces, a Query's starting key outside its key condition, empty or too long key operands,
 * attribute names of 64 KiB or more, empty or overlapping projections, a Limit of 0 and bad
 * segments. And input DynamoDB accepts is accepted: a number written with 200 leading zeros.
 */
class DynamoDbValidationTest {
  @TempDir Path dir;

  private Coffer coffer;
  private Table orders;
  private Table users;

  @BeforeEach
  void open() {
    coffer = new TestStores().open(dir);
    orders =
        coffer.createTable(
            TableSpec.builder()
                .name("orders")
                .partitionKey("customer", AttributeType.S)
                .sortKey("day", AttributeType.S)
                .build());
    users =
        coffer.createTable(
            TableSpec.builder().name("users").partitionKey("id", AttributeType.N).build());
    for (String day : List.of("2026-01-01", "2026-01-02", "2026-02-01", "2026-03-01")) {
      orders.putItem(Item.builder().string("customer", "c").string("day", day).build());
    }
  }

  @AfterEach
  void close() {
    coffer.close();
  }

  private static Key start(String day) {
    return Key.of("c", day);
  }

  @Test
  void numbersAreDynamoDbNumbers() {
    assertThatThrownBy(() -> Item.builder().number("id", " 1"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("The parameter cannot be converted to a numeric value:  1");
    assertThatThrownBy(() -> users.getItem(Key.of(AttributeValue.n("1 "))))
        .isInstanceOf(ValidationException.class);
    users.putItem(Item.builder().number("id", "0".repeat(200) + "1").build());
    assertThat(users.getItem(Key.of(AttributeValue.n(1))))
        .contains(Item.builder().number("id", 1).build());
    assertThat(users.getItem(Key.of(AttributeValue.n("1.000")))).isPresent();
  }

  @Test
  void aStartingKeyOutsideTheKeyConditionIsRefused() {
    String predicate = "The provided starting key does not match the range key predicate";
    Query feb = Query.partition("c").sortBeginsWith("2026-02");
    assertThatThrownBy(() -> orders.query(feb.exclusiveStartKey(start("2026-01-02"))))
        .isInstanceOf(ValidationException.class)
        .hasMessage(predicate);
    assertThatThrownBy(
            () ->
                orders.query(
                    Query.partition("c")
                        .sortGreaterThan("2026-02-01")
                        .exclusiveStartKey(start("2026-02-01"))))
        .hasMessage(predicate);
    assertThatThrownBy(
            () ->
                orders.query(
                    Query.partition("c")
                        .sortLessThanOrEqual("2026-01-02")
                        .exclusiveStartKey(start("2026-02-01"))))
        .hasMessage(predicate);
    assertThatThrownBy(
            () ->
                orders.query(
                    Query.partition("c")
                        .sortBetween("2026-01-02", "2026-02-01")
                        .exclusiveStartKey(start("2026-01-01"))))
        .hasMessage(predicate);
    assertThatThrownBy(
            () ->
                orders.query(
                    Query.partition("c")
                        .sortEquals("2026-01-01")
                        .exclusiveStartKey(start("2026-01-02"))))
        .hasMessage(predicate);
    assertThatThrownBy(
            () -> orders.query(Query.partition("c").exclusiveStartKey(Key.of("d", "2026-01-01"))))
        .hasMessage(
            "The provided starting key is outside query boundaries based on provided conditions");
    assertThatThrownBy(() -> orders.query(Query.partition("c").exclusiveStartKey(Key.of("c", ""))))
        .hasMessageStartingWith(
            "The provided starting key is invalid: One or more parameter values are not valid."
                + " The AttributeValue for a key attribute cannot contain an empty string value. Key: day");
    assertThatThrownBy(
            () -> orders.scan(Scan.all().exclusiveStartKey(Key.of(AttributeValue.s("c")))))
        .hasMessageStartingWith(
            "The provided starting key is invalid: The provided key element does not match");
    // a starting key inside the condition continues after it, both ways
    assertThat(
            orders
                .query(
                    Query.partition("c")
                        .sortBetween("2026-01-01", "2026-02-01")
                        .exclusiveStartKey(start("2026-01-01")))
                .items())
        .hasSize(2);
    assertThat(
            orders
                .query(
                    Query.partition("c")
                        .sortBetween("2026-01-01", "2026-02-01")
                        .descending()
                        .exclusiveStartKey(start("2026-02-01")))
                .items())
        .hasSize(2);
    assertThat(orders.query(feb.exclusiveStartKey(start("2026-02-01"))).items()).isEmpty();
  }

  @Test
  void emptyAndTooLongKeyOperandsAreRefused() {
    assertThatThrownBy(() -> orders.query(Query.partition("")))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot"
                + " contain an empty string value. Key: customer");
    assertThatThrownBy(() -> orders.query(Query.partition("x".repeat(2049))))
        .hasMessage(
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit"
                + " of2048 bytes");
    assertThatThrownBy(() -> orders.query(Query.partition("c").sortBeginsWith("")))
        .hasMessage(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot"
                + " contain an empty string value. Key: day");
    assertThatThrownBy(() -> orders.query(Query.partition("c").sortLessThan("d".repeat(1025))))
        .hasMessage(
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the"
                + " size limit of 1024 bytes");
    assertThatThrownBy(() -> orders.query(Query.partition("c").sortBetween("", "z")))
        .hasMessageContaining("empty string value. Key: day");
    assertThat(orders.query(Query.partition("x".repeat(2048))).items()).isEmpty();
    assertThat(orders.query(Query.partition("c").sortLessThan("d".repeat(1024))).items())
        .hasSize(4);
  }

  @Test
  void attributeNamesOf64KiBOrMoreAreRefused() {
    String longest = "a".repeat(65535);
    Item item = Item.builder().number("id", 1).string(longest, "v").build();
    users.putItem(item);
    assertThat(users.getItem(Key.of(AttributeValue.n(1)))).contains(item);
    assertThatThrownBy(() -> Item.builder().string("a".repeat(65536), "v"))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Attribute name is too large, must be less than 65536 bytes");
    assertThatThrownBy(() -> Item.of(Map.of("\u00e9".repeat(32768), AttributeValue.n(1))))
        .hasMessage("Attribute name is too large, must be less than 65536 bytes");
  }

  @Test
  void emptyAndOverlappingProjectionsAreRefused() {
    Key k = start("2026-01-01");
    assertThatThrownBy(() -> orders.getItem(k, List.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("Invalid ProjectionExpression: The expression can not be empty;");
    assertThatThrownBy(() -> orders.getItem(k, List.of("day", "customer", "day")))
        .hasMessage(
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or"
                + " rewrite one of these paths; path one: [day], path two: [day]");
    assertThatThrownBy(() -> orders.getItem(k, List.of("")))
        .hasMessageContaining("may not be empty");
    assertThat(orders.getItem(k, List.of("day")))
        .contains(Item.builder().string("day", "2026-01-01").build());
  }

  @Test
  void limitAndSegmentsAreValidationErrorsInDynamoDbWords() {
    String limit =
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have"
            + " value greater than or equal to 1";
    assertThatThrownBy(() -> Query.partition("c").limit(0))
        .isInstanceOf(ValidationException.class)
        .hasMessage(limit);
    assertThatThrownBy(() -> Scan.all().limit(0))
        .isInstanceOf(ValidationException.class)
        .hasMessage(limit);
    assertThatThrownBy(() -> Scan.all().segment(-1, 4))
        .isInstanceOf(ValidationException.class)
        .hasMessage(
            "1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must"
                + " have value greater than or equal to 0");
    assertThatThrownBy(() -> Scan.all().segment(0, 0))
        .hasMessage(
            "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member"
                + " must have value greater than or equal to 1");
    assertThatThrownBy(() -> Scan.all().segment(0, 1_000_001))
        .hasMessageContaining("Member must have value less than or equal to 1000000");
    assertThatThrownBy(() -> Scan.all().segment(-1, 0))
        .hasMessageStartingWith("2 validation errors detected: ");
    assertThatThrownBy(() -> Scan.all().segment(4, 4))
        .hasMessage(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is"
                + " not less than TotalSegments: 4");
    assertThat(orders.scan(Scan.all().segment(999_999, 1_000_000)).items())
        .hasSizeLessThanOrEqualTo(4);
  }
}
