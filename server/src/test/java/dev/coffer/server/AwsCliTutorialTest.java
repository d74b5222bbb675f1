package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.testkit.AwsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README tutorial's DynamoDB steps, and its "principal bob" step, with the AWS CLI ({@code aws
 * --endpoint-url ... dynamodb ...}) against {@code coffer serve} over a local keystore; then the
 * data plane: a conditional put-item, update-item, transact-write-items (a token, a cancellation),
 * transact-get-items, batch-write-item and a filtered scan. Skipped when no AWS CLI can be found or
 * installed ({@link AwsCli}). Every command is killed after 60 s.
 */
class AwsCliTutorialTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  private Result aws(ServeFixture serve, String principal, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                AwsCli.require().toString(),
                "--endpoint-url",
                serve.endpoint().toString(),
                "--region",
                "us-east-1",
                "--output",
                "json"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", ServeFixture.accessKeyId(principal));
    env.put("AWS_SECRET_ACCESS_KEY", ServeFixture.secret(principal));
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_PAGER", "");
    env.remove("AWS_PROFILE");
    env.remove("AWS_SESSION_TOKEN");
    env.remove("AWS_DEFAULT_REGION");
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void theTutorialsDynamoDbCommandsWork() throws Exception {
    System.out.println("AWS CLI: " + AwsCli.version());
    try (ServeFixture serve =
        ServeFixture.start(
            dir.resolve("store"),
            () ->
                LocalKeyProvider.builder()
                    .keystore(dir.resolve("keystore"))
                    .rawKey(SecretBytes.copyOf(new byte[32]))
                    .build(),
            b -> b.accessCheckInterval(java.time.Duration.ZERO))) {
      Result created =
          aws(
              serve,
              "root",
              "dynamodb",
              "create-table",
              "--table-name",
              "Music",
              "--attribute-definitions",
              "AttributeName=Artist,AttributeType=S",
              "AttributeName=SongTitle,AttributeType=S",
              "--key-schema",
              "AttributeName=Artist,KeyType=HASH",
              "AttributeName=SongTitle,KeyType=RANGE",
              "--billing-mode",
              "PAY_PER_REQUEST");
      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.json().at("/TableDescription/TableStatus").asText()).isEqualTo("ACTIVE");
      assertThat(created.json().at("/TableDescription/TableName").asText()).isEqualTo("Music");

      for (String[] song : new String[][] {{"Call Me Today", "1"}, {"Howdy", "2"}}) {
        Result put =
            aws(
                serve,
                "root",
                "dynamodb",
                "put-item",
                "--table-name",
                "Music",
                "--item",
                "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \""
                    + song[0]
                    + "\"},"
                    + " \"AlbumTitle\": {\"S\": \"Somewhat Famous\"}, \"Awards\": {\"N\": \""
                    + song[1]
                    + "\"}}");
        assertThat(put.exit()).as(put.err()).isZero();
      }
      Result got =
          aws(
              serve,
              "root",
              "dynamodb",
              "get-item",
              "--table-name",
              "Music",
              "--key",
              "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \"Call Me Today\"}}");
      assertThat(got.exit()).as(got.err()).isZero();
      assertThat(got.json().get("Item"))
          .isEqualTo(
              JSON.readTree(
                  "{\"Artist\": {\"S\": \"No One You Know\"},"
                      + " \"SongTitle\": {\"S\": \"Call Me Today\"}, \"AlbumTitle\": {\"S\": \"Somewhat Famous\"},"
                      + " \"Awards\": {\"N\": \"1\"}}"));
      Result query =
          aws(
              serve,
              "root",
              "dynamodb",
              "query",
              "--table-name",
              "Music",
              "--key-condition-expression",
              "Artist = :a AND begins_with(SongTitle, :t)",
              "--expression-attribute-values",
              "{\":a\": {\"S\": \"No One You Know\"}, \":t\": {\"S\": \"Ho\"}}",
              "--query",
              "Items[].SongTitle.S");
      assertThat(query.exit()).as(query.err()).isZero();
      assertThat(query.json()).isEqualTo(JSON.readTree("[\"Howdy\"]"));
      Result scan =
          aws(serve, "root", "dynamodb", "scan", "--table-name", "Music", "--select", "COUNT");
      assertThat(scan.json().get("Count").asInt()).isEqualTo(2);
      assertThat(
              aws(serve, "root", "dynamodb", "describe-table", "--table-name", "Music")
                  .json()
                  .at("/Table/KeySchema/1/AttributeName")
                  .asText())
          .isEqualTo("SongTitle");
      assertThat(aws(serve, "root", "dynamodb", "list-tables").json().get("TableNames"))
          .isEqualTo(JSON.readTree("[\"Music\"]"));

      String howdy =
          "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \"Howdy\"}}";
      Result denied =
          aws(serve, "bob", "dynamodb", "get-item", "--table-name", "Music", "--key", howdy);
      assertThat(denied.exit()).isNotZero();
      assertThat(denied.err())
          .contains(
              "An error occurred (AccessDeniedException) when calling the GetItem operation:"
                  + " User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: "
                  + serve.masterKey.arn());
      Result policy =
          aws(
              serve,
              "root",
              "kms",
              "put-key-policy",
              "--key-id",
              "alias/serve",
              "--policy-name",
              "default",
              "--policy",
              "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
                  + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},"
                  + " {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/bob\"}, \"Action\":"
                  + " [\"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\"}]}");
      assertThat(policy.exit()).as(policy.err()).isZero();
      Result allowed =
          aws(
              serve,
              "bob",
              "dynamodb",
              "get-item",
              "--table-name",
              "Music",
              "--key",
              howdy,
              "--query",
              "Item.AlbumTitle.S");
      assertThat(allowed.exit()).as(allowed.err()).isZero();
      assertThat(allowed.json().asText()).isEqualTo("Somewhat Famous");

      Result deleted = aws(serve, "root", "dynamodb", "delete-table", "--table-name", "Music");
      assertThat(deleted.exit()).as(deleted.err()).isZero();
      assertThat(serve.store.listTables()).isEmpty();
    }
  }

  @Test
  void updateItemAndTransactWriteItems() throws Exception {
    try (ServeFixture serve = ServeFixture.start(dir.resolve("store"))) {
      Result created =
          aws(
              serve,
              "root",
              "dynamodb",
              "create-table",
              "--table-name",
              "Users",
              "--attribute-definitions",
              "AttributeName=email,AttributeType=S",
              "--key-schema",
              "AttributeName=email,KeyType=HASH",
              "--billing-mode",
              "PAY_PER_REQUEST");
      assertThat(created.exit()).as(created.err()).isZero();
      String ann = "{\"email\": {\"S\": \"ann@example.com\"}}";
      Result put =
          aws(
              serve,
              "root",
              "dynamodb",
              "put-item",
              "--table-name",
              "Users",
              "--item",
              "{\"email\": {\"S\": \"ann@example.com\"}, \"logins\": {\"N\": \"0\"}}",
              "--condition-expression",
              "attribute_not_exists(email)");
      assertThat(put.exit()).as(put.err()).isZero();
      Result again =
          aws(
              serve,
              "root",
              "dynamodb",
              "put-item",
              "--table-name",
              "Users",
              "--item",
              ann,
              "--condition-expression",
              "attribute_not_exists(email)");
      assertThat(again.exit()).isNotZero();
      assertThat(again.err())
          .contains(
              "An error occurred (ConditionalCheckFailedException) when calling the PutItem"
                  + " operation: The conditional request failed");

      Result updated =
          aws(
              serve,
              "root",
              "dynamodb",
              "update-item",
              "--table-name",
              "Users",
              "--key",
              ann,
              "--update-expression",
              "SET #n = :n ADD logins :one",
              "--condition-expression",
              "attribute_exists(email)",
              "--expression-attribute-names",
              "{\"#n\": \"name\"}",
              "--expression-attribute-values",
              "{\":n\": {\"S\": \"Ann\"}, \":one\": {\"N\": \"1\"}}",
              "--return-values",
              "UPDATED_NEW",
              "--return-consumed-capacity",
              "TOTAL");
      assertThat(updated.exit()).as(updated.err()).isZero();
      assertThat(updated.json().get("Attributes"))
          .isEqualTo(JSON.readTree("{\"name\": {\"S\": \"Ann\"}, \"logins\": {\"N\": \"1\"}}"));
      assertThat(updated.json().at("/ConsumedCapacity/CapacityUnits").asDouble()).isEqualTo(1.0);
      Result refused =
          aws(
              serve,
              "root",
              "dynamodb",
              "update-item",
              "--table-name",
              "Users",
              "--key",
              "{\"email\": {\"S\": \"nobody@example.com\"}}",
              "--update-expression",
              "SET logins = :z",
              "--condition-expression",
              "attribute_exists(email)",
              "--expression-attribute-values",
              "{\":z\": {\"N\": \"0\"}}");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err())
          .contains("(ConditionalCheckFailedException) when calling the UpdateItem operation");

      Path actions = dir.resolve("transact.json");
      Files.writeString(
          actions,
          """
          [
            {"Put": {"TableName": "Users", "Item": {"email": {"S": "bob@example.com"}, "logins": {"N": "0"}},
                     "ConditionExpression": "attribute_not_exists(email)"}},
            {"Update": {"TableName": "Users", "Key": {"email": {"S": "ann@example.com"}},
                        "UpdateExpression": "SET invited = :b", "ExpressionAttributeValues": {":b": {"S": "bob"}}}}
          ]""");
      Result tx =
          aws(
              serve,
              "root",
              "dynamodb",
              "transact-write-items",
              "--transact-items",
              "file://" + actions,
              "--client-request-token",
              "invite-bob",
              "--return-consumed-capacity",
              "TOTAL");
      assertThat(tx.exit()).as(tx.err()).isZero();
      assertThat(tx.json().at("/ConsumedCapacity/0/CapacityUnits").asDouble()).isEqualTo(4.0);
      Result cancelled =
          aws(
              serve,
              "root",
              "dynamodb",
              "transact-write-items",
              "--transact-items",
              "file://" + actions);
      assertThat(cancelled.exit()).isNotZero();
      assertThat(cancelled.err())
          .contains(
              "(TransactionCanceledException) when calling the TransactWriteItems"
                  + " operation: Transaction cancelled, please refer cancellation reasons for specific reasons"
                  + " [ConditionalCheckFailed, None]");
      Result got =
          aws(
              serve,
              "root",
              "dynamodb",
              "transact-get-items",
              "--transact-items",
              "[{\"Get\": {\"TableName\": \"Users\", \"Key\": "
                  + ann
                  + ", \"ProjectionExpression\": \"invited,"
                  + " logins\"}}]");
      assertThat(got.exit()).as(got.err()).isZero();
      assertThat(got.json().at("/Responses/0/Item"))
          .isEqualTo(JSON.readTree("{\"invited\": {\"S\": \"bob\"}, \"logins\": {\"N\": \"1\"}}"));
      Result denied =
          aws(
              serve,
              "bob",
              "dynamodb",
              "transact-write-items",
              "--transact-items",
              "file://" + actions);
      assertThat(denied.err())
          .contains("(AccessDeniedException) when calling the TransactWriteItems operation");
      Result batch =
          aws(
              serve,
              "root",
              "dynamodb",
              "batch-write-item",
              "--request-items",
              "{\"Users\": [{\"DeleteRequest\": {\"Key\": {\"email\": {\"S\": \"bob@example.com\"}}}}]}");
      assertThat(batch.exit()).as(batch.err()).isZero();
      assertThat(batch.json().get("UnprocessedItems")).isEqualTo(JSON.readTree("{}"));
      assertThat(
              aws(
                      serve,
                      "root",
                      "dynamodb",
                      "scan",
                      "--table-name",
                      "Users",
                      "--filter-expression",
                      "logins > :z",
                      "--expression-attribute-values",
                      "{\":z\": {\"N\": \"0\"}}")
                  .json()
                  .get("Count")
                  .asInt())
          .isEqualTo(1);
    }
  }
}
