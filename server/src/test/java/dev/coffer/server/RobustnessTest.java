package dev.coffer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Key;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.server.RawClient.Call;
import dev.coffer.server.RawClient.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The server under abuse, on a store under a local keystore file: stalled connections (headers and
 * half a body; headers only) while a client keeps working; clients trickling headers a byte at a
 * time, closed at the header deadline; 200 concurrent SDK clients; oversized and malformed bodies.
 * Afterwards every item written is there, the keystore and the store reopen, and the stalled
 * connections were answered 408 or closed. No timing assertions: only that work completes and what
 * it returns.
 */
class RobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] RAW_KEY = new byte[32];

  @TempDir Path dir;

  private LocalKeyProvider keystore() {
    return LocalKeyProvider.builder()
        .keystore(dir.resolve("keystore"))
        .rawKey(SecretBytes.copyOf(RAW_KEY))
        .build();
  }

  private static void createTable(DynamoDbClient ddb) {
    ddb.createTable(
        b ->
            b.tableName("Load")
                .attributeDefinitions(
                    DynamoDbOperationsTest.def("pk", ScalarAttributeType.S),
                    DynamoDbOperationsTest.def("sk", ScalarAttributeType.N))
                .keySchema(
                    DynamoDbOperationsTest.key("pk", KeyType.HASH),
                    DynamoDbOperationsTest.key("sk", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
  }

  private static Socket stall(int port, boolean halfBody) throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    String headers =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
            + "X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Length: 1000\r\n\r\n";
    out.write(headers.getBytes(StandardCharsets.US_ASCII));
    if (halfBody) {
      out.write(
          ("{\"TableName\": \"Load\", \"Item\": {" + " ".repeat(470))
              .getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    return s;
  }

  @Test
  void stalledConnectionsDoNotStopOtherClients() throws Exception {
    try (ServeFixture serve =
            ServeFixture.start(
                dir.resolve("store"),
                this::keystore,
                b ->
                    b.workerThreads(2)
                        .queueCapacity(8)
                        .requestReadTimeout(Duration.ofSeconds(2))
                        .idleTimeout(Duration.ofSeconds(4)));
        DynamoDbClient ddb = serve.dynamo()) {
      createTable(ddb);
      List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          stalled.add(
              stall(serve.server.port(), i % 4 != 0)); // 30 with half a body, 10 with headers only
        }
        for (int i = 0; i < 100; i++) {
          int k = i;
          ddb.putItem(
              b ->
                  b.tableName("Load")
                      .item(
                          Map.of(
                              "pk",
                              AttributeValue.fromS("slow"),
                              "sk",
                              AttributeValue.fromN(Integer.toString(k)))));
          assertThat(
                  ddb.getItem(
                          b ->
                              b.tableName("Load")
                                  .key(
                                      Map.of(
                                          "pk",
                                          AttributeValue.fromS("slow"),
                                          "sk",
                                          AttributeValue.fromN(Integer.toString(k)))))
                      .hasItem())
              .isTrue();
        }
        // every stalled connection (headers only, or half a body) is answered 408 when its read
        // deadline passes
        int answered408 = 0;
        for (Socket s : stalled) {
          InputStream in = s.getInputStream();
          String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          if (response.startsWith("HTTP/1.1 408")) {
            answered408++;
            assertThat(response)
                .contains("RequestTimeoutException")
                .containsIgnoringCase("Connection: close");
          }
        }
        assertThat(answered408).isEqualTo(40);
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
      }
      assertThat(serve.store.table("Load").query(dev.coffer.Query.partition("slow")).count())
          .isEqualTo(100);
    }
  }

  @Test
  void clientsTricklingHeadersAreClosedAtTheHeaderDeadline() throws Exception {
    try (ServeFixture serve =
            ServeFixture.start(
                dir.resolve("store"),
                this::keystore,
                b ->
                    b.workerThreads(2)
                        .headerReadTimeout(Duration.ofSeconds(1))
                        .idleTimeout(Duration.ofSeconds(60)));
        DynamoDbClient ddb = serve.dynamo()) {
      createTable(ddb);
      List<Socket> tricklers = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket s = new Socket(InetAddress.getLoopbackAddress(), serve.server.port());
          s.setSoTimeout(30_000);
          tricklers.add(s);
        }
        String headers =
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n";
        int closed = 0;
        // A byte per connection every 100 ms restarts the 60 s idle timeout each time, never the
        // header deadline.
        for (int i = 0; i < headers.length() && closed < tricklers.size(); i++) {
          closed = 0;
          for (Socket s : tricklers) {
            try {
              s.getOutputStream().write(headers.charAt(i));
              s.getOutputStream().flush();
            } catch (IOException e) {
              closed++;
            }
          }
          assertThat(ddb.listTables().tableNames())
              .containsExactly("Load"); // the others are served meanwhile
          Thread.sleep(100);
        }
        for (Socket s : tricklers) {
          int read;
          try {
            read = s.getInputStream().read();
          } catch (IOException reset) {
            read = -1; // closed by the server, then reset by our writes
          }
          assertThat(read).as("the server closed the connection").isEqualTo(-1);
        }
      } finally {
        for (Socket s : tricklers) {
          s.close();
        }
      }
    }
  }

  @Test
  void twoHundredConcurrentClients() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try (ServeFixture serve =
        ServeFixture.start(dir.resolve("store"), this::keystore, b -> b.queueCapacity(1024))) {
      try (DynamoDbClient ddb = serve.dynamo()) {
        createTable(ddb);
      }
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < 200; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  try (DynamoDbClient ddb = serve.dynamo()) {
                    for (int i = 0; i < 10; i++) {
                      int k = i;
                      Map<String, AttributeValue> key =
                          Map.of(
                              "pk",
                              AttributeValue.fromS("c" + client),
                              "sk",
                              AttributeValue.fromN(Integer.toString(k)));
                      Map<String, AttributeValue> item = new java.util.HashMap<>(key);
                      item.put("v", AttributeValue.fromS("client " + client + " item " + k));
                      ddb.putItem(b -> b.tableName("Load").item(item));
                      assertThat(
                              ddb.getItem(b -> b.tableName("Load").key(key).consistentRead(true))
                                  .item())
                          .isEqualTo(item);
                    }
                    return ddb.query(
                            b ->
                                b.tableName("Load")
                                    .keyConditionExpression("pk = :p")
                                    .expressionAttributeValues(
                                        Map.of(":p", AttributeValue.fromS("c" + client))))
                        .count();
                  }
                }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get(5, TimeUnit.MINUTES)).isEqualTo(10);
      }
    } finally {
      pool.shutdownNow();
    }
    // the keystore and the store reopen, and hold every item
    try (LocalKeyProvider keys = keystore();
        Coffer store =
            Coffer.open(
                dir.resolve("store"),
                CofferOptions.builder()
                    .keyProvider(keys)
                    .masterKeyId("alias/serve")
                    .createIfMissing(false)
                    .build())) {
      for (int c = 0; c < 200; c++) {
        for (int i = 0; i < 10; i++) {
          assertThat(
                  store
                      .table("Load")
                      .getItem(
                          Key.of(
                              dev.coffer.AttributeValue.s("c" + c), dev.coffer.AttributeValue.n(i)))
                      .orElseThrow()
                      .get("v")
                      .s())
              .isEqualTo("client " + c + " item " + i);
        }
      }
    }
  }

  private static JsonNode json(Reply r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void oversizedAndMalformedBodiesAreRefusedCleanly() throws Exception {
    try (ServeFixture serve = ServeFixture.start(dir.resolve("store"), this::keystore, b -> {});
        DynamoDbClient ddb = serve.dynamo()) {
      createTable(ddb);
      // over the 4 MB cap of a single-item call: 413 (the body is read and dropped, the connection
      // stays usable)
      byte[] big =
          ("{\"TableName\": \"Load\", \"Item\": {\"pk\": {\"S\": \""
                  + "x".repeat(5 << 20)
                  + "\"}}}")
              .getBytes(StandardCharsets.UTF_8);
      Reply tooLarge = RawClient.send(serve.endpoint(), Call.dynamo("PutItem", "").withBody(big));
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(json(tooLarge).get("__type").asText())
          .isEqualTo("com.amazon.coral.service#RequestEntityTooLarge");
      // the same size is within BatchGetItem's 16 MB: read and answered (here: a validation error)
      Reply batch =
          RawClient.send(
              serve.endpoint(),
              Call.dynamo("BatchGetItem", "")
                  .withBody(
                      ("{\"RequestItems\": {\"Load\": {\"Keys\": [{\"pk\": {\"S\": \""
                              + "x".repeat(5 << 20)
                              + "\"}}]}}}")
                          .getBytes(StandardCharsets.UTF_8)));
      assertThat(batch.status()).isEqualTo(400);
      assertThat(json(batch).get("__type").asText())
          .isEqualTo("com.amazon.coral.validate#ValidationException");

      Map<String, String> malformed =
          Map.of(
              "{\"TableName\": \"Load\"} trailing",
              "after the end of the JSON value",
              "{\"TableName\": \"Load\", \"TableName\": \"Other\"}",
              "appears more than once",
              "{\"TableName\": ",
              "not valid JSON",
              "[1, 2]",
              "must be a JSON object",
              "{\"TableName\": \"Load\", \"Key\": {\"pk\": {\"S\": \"\\udc00\"}}}",
              "unpaired UTF-16 surrogate",
              "{\"TableName\": 12}",
              "NUMBER_VALUE cannot be converted to String",
              "{\"TableName\": \"Load\", \"Key\": [1]}",
              "Unrecognized collection type",
              "[".repeat(500) + "]".repeat(500),
              "deeper than");
      for (Map.Entry<String, String> m : malformed.entrySet()) {
        Reply r = RawClient.send(serve.endpoint(), Call.dynamo("GetItem", m.getKey()));
        assertThat(r.status()).as(m.getKey()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("__type").asText())
            .as(m.getKey())
            .isEqualTo("com.amazon.coral.service#SerializationException");
        assertThat(body.get("Message").asText())
            .as(m.getKey())
            .contains(m.getValue())
            .doesNotContainIgnoringCase("jackson")
            .doesNotContain("com.fasterxml")
            .doesNotContain("\tat ");
      }
      Reply invalidUtf8 =
          RawClient.send(
              serve.endpoint(),
              Call.dynamo("GetItem", "")
                  .withBody(
                      new byte[] {
                        '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
                      }));
      assertThat(json(invalidUtf8).get("__type").asText())
          .isEqualTo("com.amazon.coral.service#SerializationException");
      Reply wrongType =
          RawClient.send(
              serve.endpoint(), Call.dynamo("ListTables", "{}").withContentType("text/plain"));
      assertThat(json(wrongType).get("__type").asText())
          .isEqualTo("com.amazon.coral.service#SerializationException");
      Reply unknown =
          RawClient.send(serve.endpoint(), Call.dynamo("ListTables", "{}").withBody(new byte[0]));
      assertThat(unknown.status()).isEqualTo(400);
      // the server and the store are fine afterwards
      ddb.putItem(
          b ->
              b.tableName("Load")
                  .item(
                      Map.of(
                          "pk", AttributeValue.fromS("after"), "sk", AttributeValue.fromN("1"))));
      assertThat(ddb.scan(b -> b.tableName("Load")).count()).isEqualTo(1);
    }
  }
}
