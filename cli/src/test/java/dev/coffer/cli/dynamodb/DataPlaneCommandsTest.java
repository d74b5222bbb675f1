package dev.coffer.cli.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.IdempotentParameterMismatchException;
import dev.coffer.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * update-item, conditional put-item and delete-item, filters and --select on query and scan,
 * batch-get-item, transact-write-items and transact-get-items: the AWS CLI's arguments and output
 * shapes, DynamoDB's errors, and nothing written when a request is refused.
 */
class DataPlaneCommandsTest {
  private final CliRun cli = new CliRun();
  @TempDir Path dir;

  @BeforeEach
  void store() {
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("store key"));
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Accounts",
            "--attribute-definitions",
            "AttributeName=Id,AttributeType=S",
            "--key-schema",
            "AttributeName=Id,KeyType=HASH")
        .ok();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "AttributeName=Song,AttributeType=N",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH",
            "AttributeName=Song,KeyType=RANGE")
        .ok();
  }

  private static String account(String id, int balance) {
    return "{\"Id\": {\"S\": \"" + id + "\"}, \"Balance\": {\"N\": \"" + balance + "\"}}";
  }

  private static String id(String id) {
    return "{\"Id\": {\"S\": \"" + id + "\"}}";
  }

  private JsonNode get(String id) {
    return cli.run("dynamodb", "get-item", "--table-name", "Accounts", "--key", id(id)).ok().json();
  }

  @Test
  void aClientRequestTokenHoldsAcrossTwoInvocations() {
    cli.run("dynamodb", "put-item", "--table-name", "Accounts", "--item", account("erin", 0)).ok();
    String deposit =
        "[{\"Update\": {\"TableName\": \"Accounts\", \"Key\": "
            + id("erin")
            + ", \"UpdateExpression\": \"ADD Balance :d\","
            + " \"ExpressionAttributeValues\": {\":d\": {\"N\": \"%d\"}}}}]";
    String[] first = {
      "dynamodb",
      "transact-write-items",
      "--transact-items",
      String.format(deposit, 5),
      "--client-request-token",
      "deposit-erin-1"
    };
    assertThat(cli.run(first).ok().out()).isEmpty();
    // a second process (each invocation opens and closes the store): not applied again
    assertThat(cli.run(first).ok().out()).isEmpty();
    assertThat(get("erin").at("/Item/Balance/N").asText()).isEqualTo("5");
    String[] other = first.clone();
    other[3] = String.format(deposit, 6);
    assertThat(cli.run(other).failsWith(1))
        .isEqualTo(
            "An error occurred (IdempotentParameterMismatchException) when calling the"
                + " TransactWriteItems operation: "
                + IdempotentParameterMismatchException.MESSAGE);
    assertThat(get("erin").at("/Item/Balance/N").asText()).isEqualTo("5");
  }

  @Test
  void conditionalPutCreatesOnlyOnce() {
    String[] create = {
      "dynamodb",
      "put-item",
      "--table-name",
      "Accounts",
      "--item",
      account("alice", 10),
      "--condition-expression",
      "attribute_not_exists(Id)"
    };
    assertThat(cli.run(create).ok().out()).isEmpty();
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Accounts",
                    "--item",
                    account("alice", 99),
                    "--condition-expression",
                    "attribute_not_exists(Id)",
                    "--return-values-on-condition-check-failure",
                    "ALL_OLD")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The"
                + " conditional request failed");
    assertThat(get("alice").at("/Item/Balance/N").asText()).isEqualTo("10");
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Accounts",
                    "--item",
                    account("alice", 11),
                    "--condition-expression",
                    "Balance = :b",
                    "--expression-attribute-values",
                    "{\":b\": {\"N\": \"10\"}}",
                    "--return-values",
                    "ALL_OLD")
                .ok()
                .json()
                .at("/Attributes/Balance/N")
                .asText())
        .isEqualTo("10");
  }

  @Test
  void updateItemUpsertsAndPrintsWhatWasAskedFor() {
    JsonNode created =
        cli.run(
                "dynamodb",
                "update-item",
                "--table-name",
                "Accounts",
                "--key",
                id("bob"),
                "--update-expression",
                "SET #o = :o ADD Balance :n",
                "--expression-attribute-names",
                "{\"#o\": \"Owner\"}",
                "--expression-attribute-values",
                "{\":o\": {\"S\": \"Bob\"}, \":n\": {\"N\": \"5\"}}",
                "--return-values",
                "ALL_NEW")
            .ok()
            .json();
    assertThat(created.at("/Attributes/Balance/N").asText()).isEqualTo("5");
    assertThat(created.at("/Attributes/Owner/S").asText()).isEqualTo("Bob");
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--update-expression",
                    "ADD Balance :n",
                    "--expression-attribute-values",
                    "{\":n\": {\"N\": \"2\"}}",
                    "--return-values",
                    "UPDATED_NEW")
                .ok()
                .json()
                .at("/Attributes")
                .toString())
        .isEqualTo("{\"Balance\":{\"N\":\"7\"}}");
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--update-expression",
                    "REMOVE #o",
                    "--expression-attribute-names",
                    "{\"#o\": \"Owner\"}")
                .ok()
                .out())
        .isEmpty();
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--update-expression",
                    "SET Balance = Balance - :n",
                    "--condition-expression",
                    "Balance >= :n",
                    "--expression-attribute-values",
                    "{\":n\": {\"N\": \"100\"}}")
                .failsWith(1))
        .contains("(ConditionalCheckFailedException)");
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--update-expression",
                    "ADD Balance :l",
                    "--expression-attribute-values",
                    "{\":l\": {\"L\": [{\"N\": \"1\"}]}}")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the UpdateItem operation: Invalid"
                + " UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST");
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--update-expression",
                    "SET Balance = Balance +",
                    "--expression-attribute-values",
                    "{}")
                .failsWith(1))
        .contains("ValidationException");
    assertThat(
            cli.run(
                    "dynamodb",
                    "update-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("bob"),
                    "--expression-attribute-values",
                    "{\":n\": {\"N\": \"1\"}}")
                .failsWith(1))
        .endsWith(
            "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and"
                + " ConditionExpression are null");
    assertThat(get("bob").at("/Item").toString())
        .isEqualTo("{\"Id\":{\"S\":\"bob\"},\"Balance\":{\"N\":\"7\"}}");
  }

  @Test
  void conditionalDeleteDeletesOnlyWhenTheConditionHolds() {
    cli.run("dynamodb", "put-item", "--table-name", "Accounts", "--item", account("carol", 0)).ok();
    assertThat(
            cli.run(
                    "dynamodb",
                    "delete-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("carol"),
                    "--condition-expression",
                    "Balance > :z",
                    "--expression-attribute-values",
                    "{\":z\": {\"N\": \"0\"}}")
                .failsWith(1))
        .contains("ConditionalCheckFailedException");
    assertThat(get("carol").has("Item")).isTrue();
    assertThat(
            cli.run(
                    "dynamodb",
                    "delete-item",
                    "--table-name",
                    "Accounts",
                    "--key",
                    id("carol"),
                    "--condition-expression",
                    "Balance = :z",
                    "--expression-attribute-values",
                    "{\":z\": {\"N\": \"0\"}}",
                    "--return-values",
                    "ALL_OLD")
                .ok()
                .json()
                .at("/Attributes/Id/S")
                .asText())
        .isEqualTo("carol");
    assertThat(get("carol").has("Item")).isFalse();
  }

  private void songs() {
    StringBuilder batch = new StringBuilder("{\"Music\": [");
    for (int i = 0; i < 20; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append(
              "{\"PutRequest\": {\"Item\": {\"Artist\": {\"S\": \"A\"}, \"Song\": {\"N\":" + " \"")
          .append(i)
          .append("\"}, \"Plays\": {\"N\": \"")
          .append(i * 10)
          .append("\"}}}}");
    }
    cli.run("dynamodb", "batch-write-item", "--request-items", batch + "]}").ok();
  }

  @Test
  void queryAndScanFilterProjectAndCount() {
    songs();
    JsonNode q =
        cli.run(
                "dynamodb",
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                "Artist = :a",
                "--filter-expression",
                "Plays >= :p",
                "--projection-expression",
                "Song",
                "--expression-attribute-values",
                "{\":a\": {\"S\": \"A\"}, \":p\": {\"N\": \"150\"}}")
            .ok()
            .json();
    assertThat(q.at("/Count").asInt()).isEqualTo(5);
    assertThat(q.at("/ScannedCount").asInt()).isEqualTo(20);
    assertThat(q.at("/Items/0").toString()).isEqualTo("{\"Song\":{\"N\":\"15\"}}");
    JsonNode page =
        cli.run(
                "dynamodb",
                "query",
                "--table-name",
                "Music",
                "--key-condition-expression",
                "Artist = :a",
                "--filter-expression",
                "Plays >= :p",
                "--limit",
                "10",
                "--expression-attribute-values",
                "{\":a\": {\"S\": \"A\"}, \":p\": {\"N\": \"150\"}}")
            .ok()
            .json();
    assertThat(page.at("/Count").asInt()).isZero();
    assertThat(page.at("/ScannedCount").asInt()).isEqualTo(10);
    assertThat(page.at("/LastEvaluatedKey/Song/N").asText()).isEqualTo("9");
    JsonNode count =
        cli.run(
                "dynamodb",
                "scan",
                "--table-name",
                "Music",
                "--select",
                "COUNT",
                "--filter-expression",
                "Plays < :p",
                "--expression-attribute-values",
                "{\":p\": {\"N\": \"50\"}}")
            .ok()
            .json();
    assertThat(count.has("Items")).isFalse();
    assertThat(count.at("/Count").asInt()).isEqualTo(5);
    assertThat(count.at("/ScannedCount").asInt()).isEqualTo(20);
    assertThat(
            cli.run(
                    "dynamodb",
                    "query",
                    "--table-name",
                    "Music",
                    "--key-condition-expression",
                    "Artist = :a",
                    "--filter-expression",
                    "Song > :s",
                    "--expression-attribute-values",
                    "{\":a\": {\"S\": \"A\"}, \":s\": {\"N\": \"1\"}}")
                .failsWith(1))
        .endsWith(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: Song");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music", "--select", "SPECIFIC_ATTRIBUTES")
                .failsWith(1))
        .endsWith(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
    assertThat(
            cli.run(
                    "dynamodb",
                    "scan",
                    "--table-name",
                    "Music",
                    "--expression-attribute-values",
                    "{\":p\": {\"N\": \"50\"}}")
                .failsWith(1))
        .endsWith(
            "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null");
  }

  @Test
  void transactionsApplyAllOrNothing() throws Exception {
    cli.run("dynamodb", "put-item", "--table-name", "Accounts", "--item", account("alice", 100))
        .ok();
    cli.run("dynamodb", "put-item", "--table-name", "Accounts", "--item", account("bob", 0)).ok();
    Path transfer = dir.resolve("transfer.json");
    Files.writeString(transfer, transfer(60));
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "file://" + transfer,
                    "--client-request-token",
                    "t-1")
                .ok()
                .out())
        .isEmpty();
    assertThat(
            cli.run("dynamodb", "transact-write-items", "--transact-items", "file://" + transfer)
                .failsWith(1))
        .isEqualTo(
            "An error occurred (TransactionCanceledException) when calling the TransactWriteItems operation:"
                + " Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed,"
                + " None, None]");
    JsonNode got =
        cli.run(
                "dynamodb",
                "transact-get-items",
                "--transact-items",
                "[{\"Get\": {\"TableName\": \"Accounts\", \"Key\": "
                    + id("alice")
                    + "}},"
                    + " {\"Get\": {\"TableName\": \"Accounts\", \"Key\": "
                    + id("bob")
                    + ", \"ProjectionExpression\": \"#b\","
                    + " \"ExpressionAttributeNames\": {\"#b\": \"Balance\"}}},"
                    + " {\"Get\": {\"TableName\": \"Accounts\", \"Key\": "
                    + id("nobody")
                    + "}}]")
            .ok()
            .json();
    assertThat(got.toString())
        .isEqualTo(
            "{\"Responses\":[{\"Item\":{\"Id\":{\"S\":\"alice\"},\"Balance\":{\"N\":"
                + "\"40\"}}},{\"Item\":{\"Balance\":{\"N\":\"60\"}}},{}]}");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music", "--select", "COUNT")
                .ok()
                .json()
                .at("/Count")
                .asInt())
        .isEqualTo(1);
  }

  private static String transfer(int amount) {
    return "[{\"Update\": {\"TableName\": \"Accounts\", \"Key\": "
        + id("alice")
        + ","
        + " \"UpdateExpression\": \"SET Balance = Balance - :a\", \"ConditionExpression\": \"Balance >= :a\","
        + " \"ExpressionAttributeValues\": {\":a\": {\"N\": \""
        + amount
        + "\"}}}},"
        + " {\"Update\": {\"TableName\": \"Accounts\", \"Key\": "
        + id("bob")
        + ","
        + " \"UpdateExpression\": \"SET Balance = Balance + :a\", \"ExpressionAttributeValues\": {\":a\": {\"N\": \""
        + amount
        + "\"}}}},"
        + " {\"Put\": {\"TableName\": \"Music\", \"Item\": {\"Artist\": {\"S\": \"log\"}, \"Song\": {\"N\": \"1\"}}}}]";
  }

  @Test
  void badTransactionsAreRefusedBeforeAnythingIsWritten() {
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"Put\": {\"TableName\": \"Accounts\", \"Item\": "
                        + account("d", 1)
                        + "}},"
                        + " {\"Delete\": {\"TableName\": \"Accounts\", \"Key\": "
                        + id("d")
                        + "}}]")
                .failsWith(1))
        .endsWith(
            "ValidationException) when calling the TransactWriteItems operation: Transaction request cannot"
                + " include multiple operations on one item");
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"Put\": {\"TableName\": \"Accounts\"}}]")
                .failsWith(2))
        .isEqualTo(
            "Parameter validation failed: Missing required parameter in TransactItems[0].Put: \"Item\"");
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"Put\": {\"TableName\": \"Accounts\", \"Item\": "
                        + account("d", 1)
                        + ", \"Bogus\": 1}}]")
                .failsWith(2))
        .startsWith(
            "Parameter validation failed: Unknown parameter in TransactItems[0].Put: \"Bogus\"");
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"Put\": {\"TableName\": \"Accounts\", \"Item\": "
                        + account("d", 1)
                        + "}, \"Delete\": {}}]")
                .failsWith(1))
        .endsWith("TransactItems can only contain one of Check, Put, Update or Delete");
    assertThat(
            cli.run("dynamodb", "transact-write-items", "--transact-items", "{\"Put\": {}}")
                .failsWith(2))
        .startsWith("Parameter validation failed: Invalid type for parameter TransactItems");
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"ConditionCheck\": {\"TableName\": \"Accounts\", \"Key\": "
                        + id("d")
                        + ", \"ConditionExpression\":"
                        + " \"status = :s\", \"ExpressionAttributeValues\": {\":s\": {\"S\": \"x\"}}}}]")
                .failsWith(1))
        .endsWith(
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    assertThat(
            cli.run(
                    "dynamodb",
                    "transact-write-items",
                    "--transact-items",
                    "[{\"Put\": {\"TableName\": \"Nope\","
                        + " \"Item\": "
                        + account("d", 1)
                        + "}}]")
                .failsWith(1))
        .contains("ResourceNotFoundException");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Accounts", "--select", "COUNT")
                .ok()
                .json()
                .at("/Count")
                .asInt())
        .isZero();
  }

  @Test
  void batchGetItemPrintsResponsesAndUnprocessedKeys() {
    songs();
    cli.run("dynamodb", "put-item", "--table-name", "Accounts", "--item", account("erin", 3)).ok();
    JsonNode r =
        cli.run(
                "dynamodb",
                "batch-get-item",
                "--request-items",
                "{\"Music\": {\"Keys\": ["
                    + "{\"Artist\": {\"S\": \"A\"}, \"Song\": {\"N\": \"1\"}}, {\"Artist\": {\"S\": \"A\"}, \"Song\": {\"N\": \"99\"}}],"
                    + " \"ProjectionExpression\": \"Plays\"}, \"Accounts\": {\"Keys\": ["
                    + id("erin")
                    + "],"
                    + " \"ConsistentRead\": true}}")
            .ok()
            .json();
    assertThat(r.toString())
        .isEqualTo(
            "{\"Responses\":{\"Music\":[{\"Plays\":{\"N\":\"10\"}}],\"Accounts\":"
                + "[{\"Id\":{\"S\":\"erin\"},\"Balance\":{\"N\":\"3\"}}]},\"UnprocessedKeys\":{}}");
    assertThat(
            cli.run(
                    "dynamodb",
                    "batch-get-item",
                    "--request-items",
                    "{\"Accounts\": {\"Keys\": [" + id("x") + ", " + id("x") + "]}}")
                .failsWith(1))
        .endsWith("Provided list of item keys contains duplicates");
    assertThat(
            cli.run(
                    "dynamodb",
                    "batch-get-item",
                    "--request-items",
                    "{\"Accounts\": {\"Key\": []}}")
                .failsWith(2))
        .startsWith(
            "Parameter validation failed: Unknown parameter in RequestItems.Accounts: \"Key\"");
  }
}
