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
 * --endpoint-url ... dynamodb ...}) against {@code coffer serve} over a local keystore. Skipped
 * when no AWS CLI can be found or installed ({@link AwsCli}). Every command is killed after 60 s.
 */
class AwsCliTutorialTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private record Result(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  private Result aws(ServeFixture serve, String principal, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(AwsCli.require().toString(), "--endpoint-url",
        serve.endpoint().toString(), "--region", "us-east-1", "--output", "json"));
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
    try (ServeFixture serve = ServeFixture.start(dir.resolve("store"), () -> LocalKeyProvider.builder()
        .keystore(dir.resolve("keystore")).rawKey(SecretBytes.copyOf(new byte[32])).build(),
        b -> b.accessCheckInterval(java.time.Duration.ZERO))) {
      Result created = aws(serve, "root", "dynamodb", "create-table", "--table-name", "Music",
          "--attribute-definitions", "AttributeName=Artist,AttributeType=S", "AttributeName=SongTitle,AttributeType=S",
          "--key-schema", "AttributeName=Artist,KeyType=HASH", "AttributeName=SongTitle,KeyType=RANGE",
          "--billing-mode", "PAY_PER_REQUEST");
      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.json().at("/TableDescription/TableStatus").asText()).isEqualTo("ACTIVE");
      assertThat(created.json().at("/TableDescription/TableName").asText()).isEqualTo("Music");

      for (String[] song : new String[][] {{"Call Me Today", "1"}, {"Howdy", "2"}}) {
        Result put = aws(serve, "root", "dynamodb", "put-item", "--table-name", "Music", "--item",
            "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \"" + song[0] + "\"},"
                + " \"AlbumTitle\": {\"S\": \"Somewhat Famous\"}, \"Awards\": {\"N\": \"" + song[1] + "\"}}");
        assertThat(put.exit()).as(put.err()).isZero();
      }
      Result got = aws(serve, "root", "dynamodb", "get-item", "--table-name", "Music", "--key",
          "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \"Call Me Today\"}}");
      assertThat(got.exit()).as(got.err()).isZero();
      assertThat(got.json().get("Item")).isEqualTo(JSON.readTree("{\"Artist\": {\"S\": \"No One You Know\"},"
          + " \"SongTitle\": {\"S\": \"Call Me Today\"}, \"AlbumTitle\": {\"S\": \"Somewhat Famous\"},"
          + " \"Awards\": {\"N\": \"1\"}}"));
      Result query = aws(serve, "root", "dynamodb", "query", "--table-name", "Music", "--key-condition-expression",
          "Artist = :a AND begins_with(SongTitle, :t)", "--expression-attribute-values",
          "{\":a\": {\"S\": \"No One You Know\"}, \":t\": {\"S\": \"Ho\"}}", "--query", "Items[].SongTitle.S");
      assertThat(query.exit()).as(query.err()).isZero();
      assertThat(query.json()).isEqualTo(JSON.readTree("[\"Howdy\"]"));
      Result scan = aws(serve, "root", "dynamodb", "scan", "--table-name", "Music", "--select", "COUNT");
      assertThat(scan.json().get("Count").asInt()).isEqualTo(2);
      assertThat(aws(serve, "root", "dynamodb", "describe-table", "--table-name", "Music").json()
          .at("/Table/KeySchema/1/AttributeName").asText()).isEqualTo("SongTitle");
      assertThat(aws(serve, "root", "dynamodb", "list-tables").json().get("TableNames"))
          .isEqualTo(JSON.readTree("[\"Music\"]"));

      String howdy = "{\"Artist\": {\"S\": \"No One You Know\"}, \"SongTitle\": {\"S\": \"Howdy\"}}";
      Result denied = aws(serve, "bob", "dynamodb", "get-item", "--table-name", "Music", "--key", howdy);
      assertThat(denied.exit()).isNotZero();
      assertThat(denied.err()).contains("An error occurred (AccessDeniedException) when calling the GetItem operation:"
          + " User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Decrypt on resource: "
          + serve.masterKey.arn());
      Result policy = aws(serve, "root", "kms", "put-key-policy", "--key-id", "alias/serve", "--policy-name",
          "default", "--policy", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
              + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},"
              + " {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/bob\"}, \"Action\":"
              + " [\"kms:Decrypt\", \"kms:DescribeKey\"], \"Resource\": \"*\"}]}");
      assertThat(policy.exit()).as(policy.err()).isZero();
      Result allowed = aws(serve, "bob", "dynamodb", "get-item", "--table-name", "Music", "--key", howdy, "--query",
          "Item.AlbumTitle.S");
      assertThat(allowed.exit()).as(allowed.err()).isZero();
      assertThat(allowed.json().asText()).isEqualTo("Somewhat Famous");

      Result deleted = aws(serve, "root", "dynamodb", "delete-table", "--table-name", "Music");
      assertThat(deleted.exit()).as(deleted.err()).isZero();
      assertThat(serve.store.listTables()).isEmpty();
    }
  }
}
