package dev.coffer.server.internal.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.KeySchema;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.internal.http.ProtocolHandler.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz target: the DynamoDB JSON 1.0 protocol of {@code coffer serve} without HTTP: a request body
 * and an operation name through {@link DynamoDbProtocol#handle}, which parses the body ({@code
 * StrictJson}), decodes the operation's request and runs it on a real store (RocksDB under an
 * in-memory key provider) holding three small tables.
 *
 * <p><b>Documented outcomes:</b> HTTP 200 with a JSON object, or HTTP 400 with one of DynamoDB's
 * errors a request can cause (docs/serve.md): {@code
 * com.amazon.coral.validate#ValidationException}, the data plane's ConditionalCheckFailed,
 * TransactionCanceled and IdempotentParameterMismatch, {@code
 * com.amazon.coral.service#SerializationException}, {@code
 * com.amazonaws.dynamodb.v20120810#ResourceNotFoundException}, {@code ...#ResourceInUseException},
 * with a message. Never HTTP 500 ({@code InternalServerError}: the store is healthy, so a 500 is an
 * exception the protocol did not expect) and never an exception out of {@code handle}.
 *
 * <p><b>Input:</b> {@code OperationName\n} then the body, when the first line names an operation
 * served; otherwise the first byte picks the operation (in sorted order) and the rest is the body.
 * After a call that changed the store, the fixture tables and items are put back, so that every
 * input runs against the same store.
 */
public class DynamoDbProtocolFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final Set<String> CHANGES =
      Set.of(
          "CreateTable",
          "DeleteTable",
          "UpdateTable",
          "PutItem",
          "DeleteItem",
          "BatchWriteItem",
          "UpdateItem",
          "TransactWriteItems");
  private static final Set<String> ERRORS =
      Set.of(
          "com.amazon.coral.validate#ValidationException",
          "com.amazon.coral.service#SerializationException",
          "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
          "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
          "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
          "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
          "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException");
  private static Store store;

  /** The store and the protocol over it, made once per JVM. */
  private static final class Store {
    final InMemoryKeyProvider keys =
        InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    final Coffer coffer;
    final Map<String, TableSpec> specs =
        Map.of(
            "Music",
                TableSpec.builder()
                    .name("Music")
                    .partitionKey("Artist", AttributeType.S)
                    .sortKey("SongTitle", AttributeType.S)
                    .build(),
            "Numbers",
                TableSpec.builder().name("Numbers").partitionKey("id", AttributeType.N).build(),
            "Bin",
                TableSpec.builder()
                    .name("Bin")
                    .partitionKey("pk", AttributeType.B)
                    .sortKey("sk", AttributeType.N)
                    .build());
    final Map<String, List<Item>> items =
        Map.of(
            "Music",
                List.of(
                    Item.builder()
                        .string("Artist", "Acme Band")
                        .string("SongTitle", "Happy Day")
                        .number("Awards", 10)
                        .build(),
                    Item.builder()
                        .string("Artist", "Acme Band")
                        .string("SongTitle", "PartiQL Rocks")
                        .put("Tags", AttributeValue.ss("a", "b"))
                        .build(),
                    Item.builder()
                        .string("Artist", "No One You Know")
                        .string("SongTitle", "Call Me Today")
                        .put(
                            "Meta",
                            AttributeValue.m(
                                Map.of(
                                    "live",
                                    AttributeValue.bool(true),
                                    "tracks",
                                    AttributeValue.l(AttributeValue.s("x"), AttributeValue.n(2)))))
                        .build()),
            "Numbers",
                List.of(
                    Item.builder().number("id", 1).string("v", "one").build(),
                    Item.builder().number("id", "-2.5").put("n", AttributeValue.nul()).build()),
            "Bin",
                List.of(
                    Item.builder()
                        .put("pk", AttributeValue.b(new byte[] {1}))
                        .number("sk", 1)
                        .build(),
                    Item.builder()
                        .put("pk", AttributeValue.b(new byte[] {1}))
                        .number("sk", 2)
                        .put("bs", AttributeValue.bs(List.of(new byte[] {9})))
                        .build()));
    DynamoDbProtocol protocol;

    Store() {
      String key = keys.createKey(CreateKeyRequest.withDescription("fuzz")).keyId();
      Path dir;
      try {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "fuzz-store-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      coffer = Coffer.open(dir, CofferOptions.builder().keyProvider(keys).masterKeyId(key).build());
      Runtime.getRuntime().addShutdownHook(new Thread(coffer::close));
      reset();
    }

    /**
     * The fixture tables with exactly their items, and a fresh protocol (its echoed settings
     * forgotten).
     */
    void reset() {
      for (String name : coffer.listTables()) {
        if (!specs.containsKey(name)
            || !coffer.describeTable(name).keySchema().equals(specs.get(name).keySchema())) {
          coffer.deleteTable(name);
        }
      }
      for (Map.Entry<String, TableSpec> e : specs.entrySet()) {
        Table t =
            coffer.listTables().contains(e.getKey())
                ? coffer.table(e.getKey())
                : coffer.createTable(e.getValue());
        KeySchema schema = t.keySchema();
        Set<Object> wanted = new HashSet<>();
        for (Item item : items.get(e.getKey())) {
          wanted.add(schema.keyOf(item));
          if (!t.getItem(schema.keyOf(item)).equals(Optional.of(item))) {
            t.putItem(item);
          }
        }
        for (Item item : t.scan(Scan.all()).items()) {
          if (!wanted.contains(schema.keyOf(item))) {
            t.deleteItem(schema.keyOf(item));
          }
        }
      }
      protocol = new DynamoDbProtocol(coffer, "us-east-1", "111122223333", principal -> {});
    }
  }

  private static synchronized Store store() {
    if (store == null) {
      store = new Store();
    }
    return store;
  }

  @FuzzTest(maxDuration = "30s")
  void fuzz(byte[] input) {
    check(input);
  }

  /** The check of one input (see the class comment). */
  public static synchronized void check(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Store s = store();
    List<String> operations = new ArrayList<>(s.protocol.operations());
    String operation = null;
    byte[] body = null;
    int newline = indexOf(input, (byte) '\n');
    if (newline > 0) {
      String first = new String(input, 0, newline, StandardCharsets.UTF_8);
      if (operations.contains(first)) {
        operation = first;
        body = Arrays.copyOfRange(input, newline + 1, input.length);
      }
    }
    if (operation == null) {
      operation = operations.get((input[0] & 0xFF) % operations.size());
      body = Arrays.copyOfRange(input, 1, input.length);
    }
    Answer a =
        s.protocol.handle("DynamoDB_20120810." + operation, operation, CONTENT_TYPE, body, "root");
    String text = new String(a.body(), StandardCharsets.UTF_8);
    assertThat(a.status()).as(operation + " answered " + text).isIn(200, 400);
    JsonNode answer;
    try {
      answer = JSON.readTree(a.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
    assertThat(answer.isObject()).as(text).isTrue();
    if (a.status() == 400) {
      assertThat(answer.path("__type").asText()).as(text).isIn(ERRORS);
      String message =
          answer.has("message") ? answer.get("message").asText() : answer.path("Message").asText();
      assertThat(message).as(text).isNotBlank();
    } else if (CHANGES.contains(operation)) {
      s.reset();
    }
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length && i < 64; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
