package dev.coffer.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.cli.CliRun;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.CofferServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --return-consumed-capacity} of the {@code coffer dynamodb} item commands prints the same
 * {@code ConsumedCapacity} as {@code coffer serve} answers for the same request on a store in the
 * same state: the same sequence of requests runs through the command line on one store and over the
 * wire on another, and each response's ConsumedCapacity is compared (both computed by {@code
 * dev.coffer.server.CapacityUnits}).
 *
 * <p>Over 400 lines because it holds one request pair per command the option applies to (ten
 * commands, seventeen requests) beside the two stores it drives; split, each part would repeat the
 * set-up.
 */
class ConsumedCapacityParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final CliRun cli = new CliRun();
  private InMemoryKeyProvider keys;
  private Coffer served;
  private CofferServer server;
  private URI endpoint;
  private final String[] root = {"AKIAROOT", "secret/root/EXAMPLEKEY"};
  private final List<String> compared = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cli.env.put("COFFER_STORE", dir.resolve("cli-store").toString());
    cli.env.put("COFFER_MASTER_KEY", cli.createKey("cli store"));
    keys = InMemoryKeyProvider.create();
    String key = keys.createKey(CreateKeyRequest.withDescription("served store")).keyId();
    served =
        Coffer.open(
            dir.resolve("served-store"),
            CofferOptions.builder().keyProvider(keys).masterKeyId(key).build());
    server =
        CofferServer.builder()
            .store(served)
            .keyProvider(keys)
            .credentials(root[0], root[1], "root")
            .start();
    endpoint = server.endpointUri();
    cli.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "Music",
            "--attribute-definitions",
            "AttributeName=Artist,AttributeType=S",
            "AttributeName=Song,AttributeType=S",
            "--key-schema",
            "AttributeName=Artist,KeyType=HASH",
            "AttributeName=Song,KeyType=RANGE")
        .ok();
    wire(
        "CreateTable",
        "{\"TableName\": \"Music\", \"AttributeDefinitions\": [{\"AttributeName\": \"Artist\","
            + " \"AttributeType\": \"S\"}, {\"AttributeName\": \"Song\", \"AttributeType\": \"S\"}],"
            + " \"KeySchema\": [{\"AttributeName\": \"Artist\", \"KeyType\": \"HASH\"},"
            + " {\"AttributeName\": \"Song\", \"KeyType\": \"RANGE\"}], \"BillingMode\":"
            + " \"PAY_PER_REQUEST\"}");
  }

  @AfterEach
  void stop() {
    server.close();
    served.close();
    keys.close();
  }

  private JsonNode wire(String operation, String body) throws Exception {
    HttpResponse<String> r = ServeCommandTest.dynamo(endpoint, root, operation, body);
    assertThat(r.statusCode()).as(operation + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /**
   * Runs {@code args} with {@code --return-consumed-capacity mode} through the command line and
   * {@code body} (with {@code ReturnConsumedCapacity}) over the wire; both must report the same.
   */
  private JsonNode both(String operation, String body, String mode, String... args)
      throws Exception {
    String[] run = new String[args.length + 3];
    run[0] = "dynamodb";
    System.arraycopy(args, 0, run, 1, args.length);
    run[args.length + 1] = "--return-consumed-capacity";
    run[args.length + 2] = mode;
    JsonNode fromCli = cli.run(run).ok().json().get("ConsumedCapacity");
    JsonNode fromWire =
        wire(
                operation,
                body.substring(0, body.length() - 1)
                    + ", \"ReturnConsumedCapacity\": \""
                    + mode
                    + "\"}")
            .get("ConsumedCapacity");
    assertThat(fromCli)
        .as("%s %s on the command line and on the wire", operation, mode)
        .isEqualTo(fromWire);
    compared.add(operation);
    return fromCli;
  }

  private static String item(String artist, String song, String extra) {
    return "{\"Artist\": {\"S\": \""
        + artist
        + "\"}, \"Song\": {\"S\": \""
        + song
        + "\"}"
        + extra
        + "}";
  }

  private static String key(String artist, String song) {
    return item(artist, song, "");
  }

  @Test
  void everyItemCommandReportsTheWiresConsumedCapacity() throws Exception {
    String lyrics = ", \"Lyrics\": {\"S\": \"" + "la".repeat(1500) + "\"}";
    String big = item("a1", "s1", lyrics);
    JsonNode put =
        both(
            "PutItem",
            "{\"TableName\": \"Music\", \"Item\": " + big + "}",
            "TOTAL",
            "put-item",
            "--table-name",
            "Music",
            "--item",
            big);
    assertThat(put.toString()).isEqualTo("{\"TableName\":\"Music\",\"CapacityUnits\":3.0}");
    String small = item("a1", "s1", ", \"Plays\": {\"N\": \"1\"}");
    JsonNode replace =
        both(
            "PutItem",
            "{\"TableName\": \"Music\", \"Item\": " + small + "}",
            "INDEXES",
            "put-item",
            "--table-name",
            "Music",
            "--item",
            small);
    assertThat(replace.toString())
        .as("the replaced item's size counts")
        .isEqualTo(
            "{\"TableName\":\"Music\",\"CapacityUnits\":3.0,\"Table\":{\"CapacityUnits\":3.0}}");
    String second = item("a1", "s2", lyrics + ", \"Plays\": {\"N\": \"7\"}");
    both(
        "PutItem",
        "{\"TableName\": \"Music\", \"Item\": " + second + ", \"ReturnValues\": \"ALL_OLD\"}",
        "TOTAL",
        "put-item",
        "--table-name",
        "Music",
        "--item",
        second,
        "--return-values",
        "ALL_OLD");
    both(
        "GetItem",
        "{\"TableName\": \"Music\", \"Key\": " + key("a1", "s2") + ", \"ConsistentRead\": true}",
        "TOTAL",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key("a1", "s2"),
        "--consistent-read");
    JsonNode missing =
        both(
            "GetItem",
            "{\"TableName\": \"Music\", \"Key\": " + key("a1", "none") + "}",
            "TOTAL",
            "get-item",
            "--table-name",
            "Music",
            "--key",
            key("a1", "none"));
    assertThat(missing.get("CapacityUnits").asDouble()).isEqualTo(0.5);
    both(
        "GetItem",
        "{\"TableName\": \"Music\", \"Key\": "
            + key("a1", "s2")
            + ", \"ProjectionExpression\": \"Plays\"}",
        "INDEXES",
        "get-item",
        "--table-name",
        "Music",
        "--key",
        key("a1", "s2"),
        "--projection-expression",
        "Plays");
    both(
        "UpdateItem",
        "{\"TableName\": \"Music\", \"Key\": "
            + key("a1", "s1")
            + ", \"UpdateExpression\": \"ADD Plays :one\", \"ExpressionAttributeValues\":"
            + " {\":one\": {\"N\": \"1\"}}}",
        "TOTAL",
        "update-item",
        "--table-name",
        "Music",
        "--key",
        key("a1", "s1"),
        "--update-expression",
        "ADD Plays :one",
        "--expression-attribute-values",
        "{\":one\": {\"N\": \"1\"}}");
    both(
        "UpdateItem",
        "{\"TableName\": \"Music\", \"Key\": "
            + key("a1", "s3")
            + ", \"UpdateExpression\": \"SET Lyrics = :l\", \"ExpressionAttributeValues\":"
            + " {\":l\": {\"S\": \""
            + "x".repeat(2500)
            + "\"}}, \"ReturnValues\": \"UPDATED_NEW\"}",
        "INDEXES",
        "update-item",
        "--table-name",
        "Music",
        "--key",
        key("a1", "s3"),
        "--update-expression",
        "SET Lyrics = :l",
        "--expression-attribute-values",
        "{\":l\": {\"S\": \"" + "x".repeat(2500) + "\"}}",
        "--return-values",
        "UPDATED_NEW");
    JsonNode query =
        both(
            "Query",
            "{\"TableName\": \"Music\", \"KeyConditionExpression\": \"Artist = :a\","
                + " \"FilterExpression\": \"Plays > :z\", \"ExpressionAttributeValues\":"
                + " {\":a\": {\"S\": \"a1\"}, \":z\": {\"N\": \"1\"}}}",
            "TOTAL",
            "query",
            "--table-name",
            "Music",
            "--key-condition-expression",
            "Artist = :a",
            "--filter-expression",
            "Plays > :z",
            "--expression-attribute-values",
            "{\":a\": {\"S\": \"a1\"}, \":z\": {\"N\": \"1\"}}");
    assertThat(query.get("CapacityUnits").asDouble())
        .as("the items read before the filter count, eventually consistent")
        .isEqualTo(1.0);
    both(
        "Query",
        "{\"TableName\": \"Music\", \"KeyConditionExpression\": \"Artist = :a\","
            + " \"ExpressionAttributeValues\": {\":a\": {\"S\": \"a1\"}}, \"Limit\": 2,"
            + " \"ConsistentRead\": true}",
        "INDEXES",
        "query",
        "--table-name",
        "Music",
        "--key-condition-expression",
        "Artist = :a",
        "--expression-attribute-values",
        "{\":a\": {\"S\": \"a1\"}}",
        "--limit",
        "2",
        "--consistent-read");
    both(
        "Scan",
        "{\"TableName\": \"Music\", \"Select\": \"COUNT\", \"ConsistentRead\": true}",
        "TOTAL",
        "scan",
        "--table-name",
        "Music",
        "--select",
        "COUNT",
        "--consistent-read");
    String batchWrite =
        "{\"Music\": [{\"PutRequest\": {\"Item\": "
            + item("a2", "s1", lyrics)
            + "}}, {\"PutRequest\": {\"Item\": "
            + key("a2", "s2")
            + "}}, {\"DeleteRequest\": {\"Key\": "
            + key("a1", "s3")
            + "}}]}";
    JsonNode batch =
        both(
            "BatchWriteItem",
            "{\"RequestItems\": " + batchWrite + "}",
            "TOTAL",
            "batch-write-item",
            "--request-items",
            batchWrite);
    assertThat(batch.toString()).isEqualTo("[{\"TableName\":\"Music\",\"CapacityUnits\":7.0}]");
    String batchGet =
        "{\"Music\": {\"Keys\": ["
            + key("a2", "s1")
            + ", "
            + key("a2", "s2")
            + ", "
            + key("a2", "none")
            + "], \"ConsistentRead\": true, \"ProjectionExpression\": \"Song\"}}";
    both(
        "BatchGetItem",
        "{\"RequestItems\": " + batchGet + "}",
        "INDEXES",
        "batch-get-item",
        "--request-items",
        batchGet);
    String transact =
        "[{\"Put\": {\"TableName\": \"Music\", \"Item\": "
            + item("a3", "s1", lyrics)
            + "}}, {\"Update\": {\"TableName\": \"Music\", \"Key\": "
            + key("a1", "s1")
            + ", \"UpdateExpression\": \"ADD Plays :one\", \"ExpressionAttributeValues\":"
            + " {\":one\": {\"N\": \"1\"}}}}, {\"ConditionCheck\": {\"TableName\": \"Music\","
            + " \"Key\": "
            + key("a2", "s1")
            + ", \"ConditionExpression\": \"attribute_exists(Song)\"}}]";
    JsonNode tx =
        both(
            "TransactWriteItems",
            "{\"TransactItems\": " + transact + "}",
            "TOTAL",
            "transact-write-items",
            "--transact-items",
            transact);
    assertThat(tx.get(0).get("CapacityUnits").asDouble())
        .as("twice (3 + 1 + 3) write units")
        .isEqualTo(14.0);
    String transactGet =
        "[{\"Get\": {\"TableName\": \"Music\", \"Key\": "
            + key("a3", "s1")
            + ", \"ProjectionExpression\": \"Song\"}}, {\"Get\": {\"TableName\": \"Music\","
            + " \"Key\": "
            + key("a9", "none")
            + "}}]";
    both(
        "TransactGetItems",
        "{\"TransactItems\": " + transactGet + "}",
        "INDEXES",
        "transact-get-items",
        "--transact-items",
        transactGet);
    both(
        "DeleteItem",
        "{\"TableName\": \"Music\", \"Key\": " + key("a3", "s1") + "}",
        "TOTAL",
        "delete-item",
        "--table-name",
        "Music",
        "--key",
        key("a3", "s1"));
    assertThat(
            both(
                "DeleteItem",
                "{\"TableName\": \"Music\", \"Key\": " + key("a2", "s2") + "}",
                "NONE",
                "delete-item",
                "--table-name",
                "Music",
                "--key",
                key("a2", "s2")))
        .as("NONE: no ConsumedCapacity")
        .isNull();
    assertThat(compared).hasSize(17);
  }

  @Test
  void anUnknownModeIsDynamoDbsValidationErrorAndWritesNothing() {
    assertThat(
            cli.run(
                    "dynamodb",
                    "put-item",
                    "--table-name",
                    "Music",
                    "--item",
                    key("a1", "s1"),
                    "--return-consumed-capacity",
                    "SOME")
                .failsWith(1))
        .isEqualTo(
            "An error occurred (ValidationException) when calling the PutItem operation: 1"
                + " validation error detected: Value 'SOME' at 'returnConsumedCapacity' failed to"
                + " satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
    assertThat(
            cli.run("dynamodb", "scan", "--table-name", "Music").ok().json().get("Count").asInt())
        .isZero();
  }
}
