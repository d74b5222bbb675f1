package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Key conditions and projections on the wire go through the engine's expression API ({@code
 * dev.coffer.Expressions}): nested document paths in projections, DynamoDB's reserved words,
 * placeholder checks and messages. The same client code runs against {@code coffer serve} and
 * against dynalite, with the same expected answers (skipped for dynalite when node/npm are
 * missing).
 */
class ExpressionsOnTheWireTest {
  @TempDir Path dir;

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static void table(DynamoDbClient ddb) {
    ddb.createTable(
        b ->
            b.tableName("Films")
                .attributeDefinitions(
                    DynamoDbOperationsTest.def("pk", ScalarAttributeType.S),
                    DynamoDbOperationsTest.def("sk", ScalarAttributeType.N))
                .keySchema(
                    DynamoDbOperationsTest.key("pk", KeyType.HASH),
                    DynamoDbOperationsTest.key("sk", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    ddb.waiter().waitUntilTableExists(b -> b.tableName("Films"));
    ddb.putItem(
        b ->
            b.tableName("Films")
                .item(
                    Map.of(
                        "pk",
                        s("f"),
                        "sk",
                        AttributeValue.fromN("1"),
                        "info",
                        AttributeValue.fromM(
                            Map.of("rating", AttributeValue.fromN("5"), "plot", s("long"))),
                        "tags",
                        AttributeValue.fromL(List.of(s("t0"), s("t1"), s("t2"))),
                        "Year",
                        AttributeValue.fromN("2013"))));
  }

  private static String message(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (DynamoDbException e) {
      assertThat(e.awsErrorDetails().errorCode())
          .as(e.getMessage())
          .isEqualTo("ValidationException");
      return e.awsErrorDetails().errorMessage();
    }
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  void nestedPathsAreProjected(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbClient ddb = t.client();
      table(ddb);
      Map<String, AttributeValue> expected =
          Map.of(
              "info", AttributeValue.fromM(Map.of("rating", AttributeValue.fromN("5"))),
              "tags", AttributeValue.fromL(List.of(s("t1"))));
      Map<String, AttributeValue> key = Map.of("pk", s("f"), "sk", AttributeValue.fromN("1"));
      assertThat(
              ddb.getItem(
                      b ->
                          b.tableName("Films")
                              .key(key)
                              .projectionExpression("info.rating, tags[1]"))
                  .item())
          .isEqualTo(expected);
      assertThat(
              ddb.query(
                      b ->
                          b.tableName("Films")
                              .keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                              .expressionAttributeValues(
                                  Map.of(
                                      ":p",
                                      s("f"),
                                      ":a",
                                      AttributeValue.fromN("0"),
                                      ":b",
                                      AttributeValue.fromN("9")))
                              .projectionExpression("#i.#r, tags[1]")
                              .expressionAttributeNames(Map.of("#i", "info", "#r", "rating")))
                  .items())
          .containsExactly(expected);
      assertThat(
              ddb.scan(b -> b.tableName("Films").projectionExpression("info.rating, tags[1]"))
                  .items())
          .containsExactly(expected);
      assertThat(
              ddb.getItem(
                      b ->
                          b.tableName("Films")
                              .key(key)
                              .projectionExpression("#y")
                              .expressionAttributeNames(Map.of("#y", "Year")))
                  .item())
          .isEqualTo(Map.of("Year", AttributeValue.fromN("2013")));
    }
  }

  @ParameterizedTest
  @EnumSource(Targets.class)
  void badExpressionsGetDynamoDbsMessages(Targets target) {
    try (Targets.Running t = target.start(dir)) {
      DynamoDbClient ddb = t.client();
      table(ddb);
      Map<String, AttributeValue> key = Map.of("pk", s("f"), "sk", AttributeValue.fromN("1"));
      assertThat(
              message(
                  () ->
                      ddb.getItem(b -> b.tableName("Films").key(key).projectionExpression("Year"))))
          .isEqualTo(
              "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Year");
      assertThat(
              message(
                  () ->
                      ddb.query(b -> b.tableName("Films").keyConditionExpression("pk = :missing"))))
          .isEqualTo(
              "Invalid KeyConditionExpression: An expression attribute value used in expression is not"
                  + " defined; attribute value: :missing");
      assertThat(
              message(
                  () ->
                      ddb.query(
                          b ->
                              b.tableName("Films")
                                  .keyConditionExpression("pk = :p")
                                  .expressionAttributeValues(
                                      Map.of(":p", s("f"), ":unused", s("x"))))))
          .isEqualTo(
              "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
      assertThat(
              message(
                  () ->
                      ddb.query(
                          b ->
                              b.tableName("Films")
                                  .keyConditionExpression("pk = :p")
                                  .expressionAttributeValues(Map.of(":p", s("f")))
                                  .expressionAttributeNames(Map.of("#n", "x")))))
          .isEqualTo(
              "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
      assertThat(
              message(
                  () ->
                      ddb.query(
                          b ->
                              b.tableName("Films")
                                  .keyConditionExpression("sk = :v")
                                  .expressionAttributeValues(
                                      Map.of(":v", AttributeValue.fromN("1"))))))
          .isEqualTo("Query condition missed key schema element: pk");
      assertThat(
              message(
                  () ->
                      ddb.scan(
                          b -> b.tableName("Films").projectionExpression("info, info.rating"))))
          .isEqualTo(
              "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or"
                  + " rewrite one of these paths; path one: [info], path two: [info, rating]");
      assertThatThrownBy(
              () ->
                  ddb.query(
                      b ->
                          b.tableName("Films")
                              .keyConditionExpression("pk = :p OR sk = :s")
                              .expressionAttributeValues(
                                  Map.of(":p", s("f"), ":s", AttributeValue.fromN("1")))))
          .isInstanceOf(DynamoDbException.class)
          .hasMessageContaining("Invalid operator used in KeyConditionExpression: OR");
    }
  }
}
