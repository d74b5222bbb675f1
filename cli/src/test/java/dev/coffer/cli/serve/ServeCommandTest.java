package dev.coffer.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliEnvironment;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.Main;
import dev.coffer.cli.PassphrasePrompt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code coffer serve}: prints its endpoint and access keys, answers DynamoDB (signed requests) and
 * KMS (the SDK's KmsClient) on one port, refuses a principal without kms:Decrypt, and stops cleanly
 * when interrupted, closing the store.
 */
class ServeCommandTest {
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static String[] key(String output, String principal) {
    Matcher m =
        Pattern.compile(
                "principal "
                    + principal
                    + "\\s+AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+)")
            .matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return new String[] {m.group(1), m.group(2)};
  }

  static HttpResponse<String> dynamo(URI endpoint, String[] key, String operation, String body)
      throws Exception {
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .putHeader("Content-Type", "application/x-amz-json-1.0")
            .putHeader("X-Amz-Target", "DynamoDB_20120810." + operation)
            .build();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(key[0], key[1]))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> b.header(name, v));
              }
            });
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Timeout(120)
  void servesDynamoDbAndKmsOnOnePortAndStopsCleanly() throws Exception {
    CliRun cli = new CliRun();
    String keyId = cli.createKey("serve");
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    cli.env.put("COFFER_MASTER_KEY", keyId);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd =
        Main.newCommandLine(
            CliEnvironment.builder()
                .variables(cli.env::get)
                .opener(cli.opener)
                .prompt(PassphrasePrompt.none())
                .build());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server =
        new Thread(
            () ->
                exit.set(
                    cmd.execute(
                        "serve",
                        "--principal-key",
                        "root",
                        "--principal-key",
                        "bob",
                        "--max-seconds",
                        "100")));
    server.start();
    try {
      while (!out.toString().contains("Press Ctrl-C")) {
        assertThat(server.isAlive()).as(out + " / " + err).isTrue();
        Thread.sleep(20);
      }
      String text = out.toString();
      Matcher url = URL.matcher(text);
      assertThat(url.find()).as(text).isTrue();
      assertThat(text).contains("(DynamoDB and KMS, region us-east-1)");
      URI endpoint = URI.create(url.group(1));
      String[] root = key(text, "root");
      String[] bob = key(text, "bob");

      assertThat(
              dynamo(
                      endpoint,
                      root,
                      "CreateTable",
                      """
          {"TableName": "Music", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
           "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}""")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              dynamo(
                      endpoint,
                      root,
                      "PutItem",
                      "{\"TableName\": \"Music\", \"Item\": {\"Artist\": {\"S\": \"A\"}, \"Album\": {\"S\": \"Famous\"}}}")
                  .statusCode())
          .isEqualTo(200);
      JsonNode got =
          JSON.readTree(
              dynamo(
                      endpoint,
                      root,
                      "GetItem",
                      "{\"TableName\": \"Music\", \"Key\": {\"Artist\": {\"S\": \"A\"}}}")
                  .body());
      assertThat(got.at("/Item/Album/S").asText()).isEqualTo("Famous");
      HttpResponse<String> denied =
          dynamo(
              endpoint,
              bob,
              "GetItem",
              "{\"TableName\": \"Music\", \"Key\": {\"Artist\": {\"S\": \"A\"}}}");
      assertThat(denied.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(denied.body()).get("__type").asText())
          .isEqualTo("com.amazon.coral.service#AccessDeniedException");

      try (KmsClient kms =
          KmsClient.builder()
              .endpointOverride(endpoint)
              .region(Region.US_EAST_1)
              .httpClient(UrlConnectionHttpClient.create())
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create(root[0], root[1])))
              .build()) {
        assertThat(kms.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId()).isEqualTo(keyId);
      }
    } finally {
      server.interrupt();
      server.join(60_000);
    }
    assertThat(exit.get()).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Stopping: letting running requests finish, then closing the store.");
    // the store was closed: it opens again in another run and holds the item
    CliRun.Result again =
        cli.run(
            "dynamodb",
            "get-item",
            "--table-name",
            "Music",
            "--key",
            "{\"Artist\": {\"S\": \"A\"}}");
    assertThat(again.ok().json().at("/Item/Album/S").asText()).isEqualTo("Famous");
  }

  @Test
  void refusesAProviderThatDoesNotKeepItsOwnKeys() {
    CliRun cli = new CliRun();
    cli.env.put(
        "COFFER_KEY_PROVIDER",
        "aws-kms:arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    cli.opener = (uri, context) -> dev.coffer.kms.KeyProviders.open(uri, context);
    cli.env.put("COFFER_STORE", dir.resolve("store").toString());
    CliRun.Result r = cli.run("serve", "--max-seconds", "1");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err())
        .contains("coffer serve needs a key provider that keeps its own keys (local: or memory:)");
  }
}
