package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.kms.KeyProviders;
import dev.coffer.testkit.Dynalite;
import dev.coffer.testkit.RawDynamoDbItems;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The table and store commands on a store kept in DynamoDB ({@code --backend dynamodb:...}, {@code
 * COFFER_BACKEND}), against dynalite (the JVM's one {@link Dynalite#shared()}; skipped without
 * node/npm): create-table, put-item, get-item, query, info, verify, export and import; two
 * invocations (one in another JVM) sharing one store; no plaintext in the raw DynamoDB items; a
 * command that creates no store creates no DynamoDB table. The errors that need no backend: {@link
 * BackendOptionErrorsTest}.
 */
class BackendStoreTest {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final List<String> MARKERS =
      List.of("TblMarkerCliQ9", "PkNameMarkerCliQ9", "SkMarkerCliQ9", "ValueMarkerCliQ9");

  private static URI endpoint;
  private static DynamoDbClient client;

  @TempDir Path dir;

  private final CliRun cli = new CliRun();

  @BeforeAll
  static void startDynalite() {
    endpoint = Dynalite.shared().endpoint();
    client =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  /** A DynamoDB table no other test of this JVM uses. */
  static String freshTable(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
  }

  /** The {@code dynamodb:} URI of {@code table} in dynalite. */
  static String uri(String table) {
    return "dynamodb:" + table + "?region=us-east-1&endpoint=" + endpoint;
  }

  private static String item(int i) {
    return "{\"PkNameMarkerCliQ9\": {\"S\": \"artist-"
        + (i % 3)
        + "\"}, \"Song\": {\"S\": \"SkMarkerCliQ9-"
        + String.format("%03d", i)
        + "\"}, \"Lyrics\": {\"S\": \"ValueMarkerCliQ9 "
        + i
        + "\"}}";
  }

  private void createMusicTable(String... global) {
    List<String> args = new ArrayList<>(List.of(global));
    args.addAll(
        List.of(
            "dynamodb",
            "create-table",
            "--table-name",
            "TblMarkerCliQ9",
            "--attribute-definitions",
            "AttributeName=PkNameMarkerCliQ9,AttributeType=S",
            "AttributeName=Song,AttributeType=S",
            "--key-schema",
            "AttributeName=PkNameMarkerCliQ9,KeyType=HASH",
            "AttributeName=Song,KeyType=RANGE",
            "--billing-mode",
            "PAY_PER_REQUEST"));
    cli.run(args.toArray(String[]::new)).ok();
  }

  @Test
  @Timeout(180)
  void tableCommandsRunOnAStoreInDynamoDbAndLeaveNoPlaintextThere() throws IOException {
    String table = freshTable("cli-commands");
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("backend"));
    createMusicTable("--backend", uri(table));
    cli.env.put("COFFER_BACKEND", uri(table));
    for (int i = 0; i < 12; i++) {
      cli.run("dynamodb", "put-item", "--table-name", "TblMarkerCliQ9", "--item", item(i)).ok();
    }

    JsonNode got =
        cli.run(
                "dynamodb",
                "get-item",
                "--table-name",
                "TblMarkerCliQ9",
                "--key",
                "{\"PkNameMarkerCliQ9\": {\"S\": \"artist-1\"}, \"Song\": {\"S\":"
                    + " \"SkMarkerCliQ9-004\"}}")
            .ok()
            .json();
    assertThat(got.at("/Item/Lyrics/S").asText()).isEqualTo("ValueMarkerCliQ9 4");
    JsonNode query =
        cli.run(
                "dynamodb",
                "query",
                "--table-name",
                "TblMarkerCliQ9",
                "--key-condition-expression",
                "PkNameMarkerCliQ9 = :a",
                "--expression-attribute-values",
                "{\":a\": {\"S\": \"artist-2\"}}")
            .ok()
            .json();
    assertThat(query.get("Count").asInt()).isEqualTo(4);
    assertThat(query.at("/Items/0/Song/S").asText()).isEqualTo("SkMarkerCliQ9-002");
    assertThat(query.at("/Items/3/Song/S").asText()).isEqualTo("SkMarkerCliQ9-011");

    JsonNode info = cli.run("info", "--count-items").ok().json();
    assertThat(info.get("Store").asText())
        .isEqualTo("dynamodb:" + table + " (us-east-1, " + endpoint + ")");
    assertThat(info.at("/Tables/0/ItemCount").asInt()).isEqualTo(12);
    JsonNode verify = cli.run("verify").ok().json();
    assertThat(verify.get("FindingCount").asInt()).isZero();
    assertThat(verify.at("/Tables/0/ItemsRead").asInt()).isEqualTo(12);

    Path export = dir.resolve("music.jsonl");
    cli.run("export", "--table-name", "TblMarkerCliQ9", "--output-file", export.toString()).ok();
    assertThat(Files.readAllLines(export, StandardCharsets.UTF_8)).hasSize(12);
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Copy",
            "--attribute-definitions",
            "AttributeName=PkNameMarkerCliQ9,AttributeType=S",
            "AttributeName=Song,AttributeType=S",
            "--key-schema",
            "AttributeName=PkNameMarkerCliQ9,KeyType=HASH",
            "AttributeName=Song,KeyType=RANGE")
        .ok();
    cli.run("import", "--table-name", "Copy", "--input-file", export.toString()).ok();
    assertThat(cli.run("dynamodb", "scan", "--table-name", "Copy").ok().json().get("Count").asInt())
        .isEqualTo(12);

    // the key lifecycle: a new data-key version and a master-key rewrap, then the items still read
    assertThat(
            cli.run("rotate", "data-key", "--table-name", "TblMarkerCliQ9")
                .ok()
                .json()
                .get("PrimaryDataKeyVersion")
                .asInt())
        .isEqualTo(2);
    assertThat(cli.run("rotate", "master-key").ok().json().get("KeysRewrapped").asInt())
        .isPositive();
    cli.run("dynamodb", "put-item", "--table-name", "TblMarkerCliQ9", "--item", item(12)).ok();
    assertThat(cli.run("verify").ok().json().at("/Tables/1/ItemsRead").asInt()).isEqualTo(13);

    RawDynamoDbItems.Search raw = RawDynamoDbItems.search(client, table, MARKERS);
    assertThat(raw.items()).isGreaterThan(5);
    assertThat(raw.hits()).isEmpty();
  }

  @Test
  @Timeout(180)
  void twoInvocationsInTwoJvmsShareOneStore() throws Exception {
    String table = freshTable("cli-shared");
    byte[] keystoreKey = new byte[32];
    new SecureRandom().nextBytes(keystoreKey);
    Map<String, String> shared =
        Map.of(
            "COFFER_KEY_PROVIDER", "local:" + dir.resolve("keystore") + "?create",
            "COFFER_KEYSTORE_KEY", Base64.getEncoder().encodeToString(keystoreKey),
            "COFFER_BACKEND", uri(table));
    cli.env.putAll(shared);
    cli.opener = KeyProviders::open;
    String keyId = cli.createKey("shared");
    cli.env.put("COFFER_MASTER_KEY", keyId);
    createMusicTable();
    cli.run("dynamodb", "put-item", "--table-name", "TblMarkerCliQ9", "--item", item(7)).ok();

    // another JVM, another invocation: reads what this one wrote, and writes
    Child read =
        child(
            shared,
            keyId,
            "dynamodb",
            "get-item",
            "--table-name",
            "TblMarkerCliQ9",
            "--key",
            "{\"PkNameMarkerCliQ9\": {\"S\": \"artist-1\"}, \"Song\": {\"S\": \"SkMarkerCliQ9-007\"}}",
            "--query",
            "Item.Lyrics.S",
            "--output",
            "text");
    assertThat(read.exitCode()).as(read.err()).isZero();
    assertThat(read.out().strip()).isEqualTo("ValueMarkerCliQ9 7");
    Child write =
        child(
            shared,
            keyId,
            "dynamodb",
            "put-item",
            "--table-name",
            "TblMarkerCliQ9",
            "--item",
            item(8));
    assertThat(write.exitCode()).as(write.err()).isZero();

    JsonNode scan = cli.run("dynamodb", "scan", "--table-name", "TblMarkerCliQ9").ok().json();
    assertThat(scan.get("Count").asInt()).isEqualTo(2);
  }

  @Test
  @Timeout(180)
  void collectGarbageDeletesWhatClosedInvocationsLeftBehind() throws InterruptedException {
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("garbage"));
    cli.env.put("COFFER_BACKEND", uri(freshTable("cli-garbage")));
    createMusicTable();
    // one partition of several pages: each put-item below replaces a leaf, and each invocation
    // closes before the grace period in which it would have deleted the old one
    for (int i = 0; i < 10; i++) {
      String big =
          "{\"PkNameMarkerCliQ9\": {\"S\": \"one\"}, \"Song\": {\"S\": \"s"
              + i
              + "\"}, \"Lyrics\": {\"S\": \""
              + "x".repeat(1500)
              + "\"}}";
      cli.run("dynamodb", "put-item", "--table-name", "TblMarkerCliQ9", "--item", big).ok();
    }
    Thread.sleep(1_500); // every node replaced above is now older than the grace period below
    JsonNode first = cli.run("collect-garbage", "--grace-period", "1").ok().json();
    assertThat(first.get("Partitions").asLong()).isEqualTo(1);
    assertThat(first.get("NodesDeleted").asLong()).isPositive();
    JsonNode second = cli.run("collect-garbage", "--grace-period", "1").ok().json();
    assertThat(second.get("NodesDeleted").asLong()).isZero();
    JsonNode verify = cli.run("verify").ok().json();
    assertThat(verify.at("/Tables/0/ItemsRead").asInt()).isEqualTo(10);
    assertThat(verify.get("FindingCount").asInt()).isZero();
  }

  private String fails(int code, String... args) {
    String line = cli.run(args).failsWith(code);
    ErrorLines.assertPrintableLine(line);
    ErrorLines.assertNoJavaInternals(line);
    return line;
  }

  @Test
  void aCommandThatCreatesNoStoreCreatesNoDynamoDbTable() {
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("no table"));
    String missing = freshTable("cli-missing");
    assertThat(fails(1, "--backend", uri(missing), "dynamodb", "list-tables"))
        .startsWith(
            "An error occurred (InternalServerError) when calling the ListTables operation: Cannot"
                + " open the store in "
                + uri(missing)
                + ": DynamoDB table "
                + missing
                + " does not exist");
    assertThat(client.listTables().tableNames()).doesNotContain(missing);

    // create=true in the URI creates the DynamoDB table, but only create-table and serve a store
    String empty = freshTable("cli-empty");
    assertThat(fails(1, "--backend", uri(empty) + "&create=true", "info"))
        .isEqualTo(
            "An error occurred (InternalServerError): No Coffer store in dynamodb:"
                + empty
                + " (us-east-1, "
                + endpoint
                + "): it holds no record (only create-table and serve create a store)");
    assertThat(client.listTables().tableNames()).contains(empty);
  }

  private record Child(int exitCode, String out, String err) {}

  /** Runs {@code coffer args} in a child JVM on this test's class path, with {@code env}. */
  private Child child(Map<String, String> env, String masterKey, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test",
                "-Daws.secretAccessKey=test",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "child", ".out");
    Path err = Files.createTempFile(dir, "child", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    pb.environment().put("COFFER_MASTER_KEY", masterKey);
    pb.environment().remove("COFFER_STORE");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child coffer did not finish: " + Files.readString(err));
    }
    return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
