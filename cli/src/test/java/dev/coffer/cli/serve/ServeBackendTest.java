package dev.coffer.cli.serve;

import static dev.coffer.cli.serve.ServeCommandTest.dynamo;
import static dev.coffer.cli.serve.ServeCommandTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.cli.CliEnvironment;
import dev.coffer.cli.CliRun;
import dev.coffer.cli.Main;
import dev.coffer.cli.PassphrasePrompt;
import dev.coffer.testkit.Dynalite;
import dev.coffer.testkit.RawDynamoDbItems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code coffer serve --backend dynamodb:...}: the store kept in DynamoDB (dynalite, the JVM's one
 * {@link Dynalite#shared()}; skipped without node/npm) answers DynamoDB's PutItem and GetItem over
 * HTTP, while another instance (a {@code coffer} command on the same backend) writes and reads the
 * same table; the raw DynamoDB items hold none of the values.
 */
class ServeBackendTest {
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(180)
  void servesAStoreInDynamoDbSharedWithTheCommandLine() throws Exception {
    URI dynalite = Dynalite.shared().endpoint();
    String table = "cli-serve-" + ProcessHandle.current().pid();
    String uri = "dynamodb:" + table + "?region=us-east-1&endpoint=" + dynalite;
    CliRun cli = new CliRun();
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("serve backend"));
    cli.env.put("COFFER_BACKEND", uri);
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
                        "--backend",
                        uri,
                        "--principal-key",
                        "root",
                        "--max-seconds",
                        "150")));
    server.start();
    try {
      while (!out.toString().contains("Press Ctrl-C")) {
        assertThat(server.isAlive()).as(out + " / " + err).isTrue();
        Thread.sleep(20);
      }
      String text = out.toString();
      assertThat(text).contains("store dynamodb:" + table + " (us-east-1, " + dynalite + ")");
      Matcher url = URL.matcher(text);
      assertThat(url.find()).as(text).isTrue();
      URI endpoint = URI.create(url.group(1));
      String[] root = key(text, "root");

      assertThat(
              dynamo(
                      endpoint,
                      root,
                      "CreateTable",
                      """
          {"TableName": "Songs", "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}],
           "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}""")
                  .statusCode())
          .isEqualTo(200);
      HttpResponse<String> put =
          dynamo(
              endpoint,
              root,
              "PutItem",
              "{\"TableName\": \"Songs\", \"Item\": {\"Artist\": {\"S\": \"ArtistMarkerSrv5\"},"
                  + " \"Album\": {\"S\": \"AlbumMarkerSrv5\"}}}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(getAlbum(endpoint, root, "ArtistMarkerSrv5")).isEqualTo("AlbumMarkerSrv5");

      // another instance on the same backend, while serve has the store open
      JsonNode read =
          cli.run(
                  "dynamodb",
                  "get-item",
                  "--table-name",
                  "Songs",
                  "--key",
                  "{\"Artist\": {\"S\": \"ArtistMarkerSrv5\"}}")
              .ok()
              .json();
      assertThat(read.at("/Item/Album/S").asText()).isEqualTo("AlbumMarkerSrv5");
      cli.run(
              "dynamodb",
              "put-item",
              "--table-name",
              "Songs",
              "--item",
              "{\"Artist\": {\"S\": \"OtherMarkerSrv5\"}, \"Album\": {\"S\": \"SecondMarkerSrv5\"}}")
          .ok();
      assertThat(getAlbum(endpoint, root, "OtherMarkerSrv5")).isEqualTo("SecondMarkerSrv5");
    } finally {
      server.interrupt();
      server.join(60_000);
    }
    assertThat(exit.get()).as(err.toString()).isZero();

    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(dynalite)
            .region(Region.US_EAST_1)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build()) {
      RawDynamoDbItems.Search raw =
          RawDynamoDbItems.search(
              client,
              table,
              List.of(
                  "Songs",
                  "ArtistMarkerSrv5",
                  "AlbumMarkerSrv5",
                  "OtherMarkerSrv5",
                  "SecondMarkerSrv5"));
      assertThat(raw.items()).isGreaterThan(2);
      assertThat(raw.hits()).isEmpty();
    }
  }

  private static String getAlbum(URI endpoint, String[] key, String artist) throws Exception {
    HttpResponse<String> got =
        dynamo(
            endpoint,
            key,
            "GetItem",
            "{\"TableName\": \"Songs\", \"Key\": {\"Artist\": {\"S\": \"" + artist + "\"}}}");
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    return JSON.readTree(got.body()).at("/Item/Album/S").asText();
  }
}
