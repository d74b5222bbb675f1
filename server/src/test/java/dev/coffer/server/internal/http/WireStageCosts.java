package dev.coffer.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Query;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.internal.auth.AccessKeys;
import dev.coffer.server.internal.auth.SigV4Verifier;
import dev.coffer.server.internal.dynamodb.DynamoDbProtocol;
import dev.coffer.server.internal.json.JsonBytes;
import dev.coffer.server.internal.json.StrictJson;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Not a test: a harness with a main that measures, on one thread with no HTTP, what each stage of
 * the server's per-call work costs for the {@code ServeBenchmark}'s GetItem, PutItem and Query
 * (thread CPU time per call, median of interleaved rounds): SigV4 verification of a request signed
 * as the SDK's Apache client signs it (the same headers), the strict JSON parse of the body, the
 * whole protocol call ({@code DynamoDbProtocol.handle}: parse, the engine, the response JSON), the
 * engine call alone, the response tree written by {@link JsonBytes} and by the {@code ObjectMapper}
 * it replaced, CRC32 and a request id. What the server thread CPU per call (ServeBenchmark's
 * column) has beyond their sum is Jetty, the hand-over to a worker and the system calls.
 * docs/performance.md has the figures.
 *
 * <pre>
 * ./mvnw -B -ntp test-compile -pl server -am -q
 * java -cp "server/target/test-classes:server/target/classes:$(cat server/target/cp.txt)" \
 *     dev.coffer.server.internal.http.WireStageCosts [rounds] [calls per round]
 * </pre>
 */
public final class WireStageCosts {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String KEY_ID = "AKIASTAGECOSTS";
  private static final String SECRET = "stage-costs-secret";

  private WireStageCosts() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    Path dir = Files.createTempDirectory(Path.of("target"), "stage-costs");
    InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    keys.createAlias("alias/stage", keys.createKey(CreateKeyRequest.withDescription("s")).keyId());
    try (Coffer store =
        Coffer.open(
            dir, CofferOptions.builder().keyProvider(keys).masterKeyId("alias/stage").build())) {
      Table table =
          store.createTable(
              TableSpec.builder()
                  .name("ServeBench")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      String payload = "x".repeat(100);
      for (int p = 0; p < 200; p++) {
        for (int s = 0; s < 10; s++) {
          table.putItem(
              Item.builder().string("pk", "p" + p).number("sk", s).string("v", payload).build());
        }
      }
      AccessKeys accessKeys = new AccessKeys();
      accessKeys.add(KEY_ID, SECRET, "root");
      SigV4Verifier verifier = new SigV4Verifier(accessKeys, "us-east-1", Clock.systemUTC());
      DynamoDbProtocol protocol =
          new DynamoDbProtocol(store, "us-east-1", "111122223333", principal -> {});
      ObjectMapper mapper = new ObjectMapper();
      String key = "\"pk\":{\"S\":\"p17\"},\"sk\":{\"N\":\"3\"}";
      Map<String, String> bodies = new LinkedHashMap<>();
      bodies.put("GetItem", "{\"TableName\":\"ServeBench\",\"Key\":{" + key + "}}");
      bodies.put(
          "PutItem",
          "{\"TableName\":\"ServeBench\",\"Item\":{"
              + key
              + ",\"v\":{\"S\":\""
              + payload
              + "\"}}}");
      bodies.put(
          "Query",
          "{\"TableName\":\"ServeBench\",\"KeyConditionExpression\":\"pk = :p\","
              + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p17\"}}}");
      Map<String, Map<String, Runnable>> stages = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : bodies.entrySet()) {
        String op = e.getKey();
        byte[] body = e.getValue().getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = signed(op, body);
        JsonNode response =
            mapper.readTree(
                protocol
                    .handle(
                        "DynamoDB_20120810." + op, op, "application/x-amz-json-1.0", body, "root")
                    .body());
        byte[] responseBytes = JsonBytes.of(response);
        Map<String, Runnable> s = new LinkedHashMap<>();
        s.put(
            "SigV4 verify",
            () ->
                verifier.verify(
                    "dynamodb",
                    "POST",
                    "/",
                    null,
                    name -> headers.getOrDefault(name, List.of()),
                    body));
        s.put("JSON parse (StrictJson)", () -> StrictJson.parse(body));
        s.put(
            "protocol call (parse, engine, response JSON)",
            () ->
                protocol.handle(
                    "DynamoDB_20120810." + op, op, "application/x-amz-json-1.0", body, "root"));
        s.put("engine call alone", engineCall(op, table, payload));
        s.put("response JSON (JsonBytes)", () -> JsonBytes.of(response));
        s.put(
            "response JSON (ObjectMapper, before)",
            () -> {
              try {
                mapper.writeValueAsBytes(response);
              } catch (Exception x) {
                throw new IllegalStateException(x);
              }
            });
        s.put(
            "CRC32 of the response",
            () -> {
              CRC32 c = new CRC32();
              c.update(responseBytes);
              c.getValue();
            });
        s.put("request id", RequestIds::next);
        stages.put(op, s);
      }
      Map<String, List<Double>> results = new TreeMap<>();
      for (int round = -3; round < rounds; round++) { // three warm-up rounds
        for (Map.Entry<String, Map<String, Runnable>> op : stages.entrySet()) {
          List<Map.Entry<String, Runnable>> order = new ArrayList<>(op.getValue().entrySet());
          if (round % 2 != 0) {
            Collections.reverse(order);
          }
          for (Map.Entry<String, Runnable> stage : order) {
            long before = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
              stage.getValue().run();
            }
            double micros = (THREADS.getCurrentThreadCpuTime() - before) / 1000.0 / calls;
            if (round >= 0) {
              results
                  .computeIfAbsent(op.getKey() + "|" + stage.getKey(), k -> new ArrayList<>())
                  .add(micros);
            }
          }
        }
      }
      System.out.println("| operation | stage | thread CPU µs/call (median [min-max] of rounds) |");
      System.out.println("| --- | --- | ---: |");
      for (Map.Entry<String, Map<String, Runnable>> op : stages.entrySet()) {
        for (String stage : op.getValue().keySet()) {
          double[] v =
              results.get(op.getKey() + "|" + stage).stream()
                  .mapToDouble(d -> d)
                  .sorted()
                  .toArray();
          System.out.printf(
              Locale.ROOT,
              "| %s | %s | %.2f [%.2f-%.2f] |%n",
              op.getKey(),
              stage,
              v[v.length / 2],
              v[0],
              v[v.length - 1]);
        }
      }
    } finally {
      keys.close();
    }
  }

  private static Runnable engineCall(String op, Table table, String payload) {
    return switch (op) {
      case "GetItem" ->
          () -> table.getItem(Key.of(AttributeValue.s("p17"), AttributeValue.n(3))).orElseThrow();
      case "PutItem" ->
          () ->
              table.putItem(
                  Item.builder().string("pk", "p17").number("sk", 3).string("v", payload).build());
      default -> () -> table.query(Query.partition("p17")).count();
    };
  }

  /** The headers of a request signed as the SDK's Apache client signs it, by lower-case name. */
  private static Map<String, List<String>> signed(String op, byte[] body) {
    Supplier<SdkHttpRequest> unsigned =
        () ->
            SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8000"))
                .putHeader("Host", "127.0.0.1:8000")
                .putHeader("amz-sdk-invocation-id", "34d5e94c-5fd6-ddd2-caad-0784213f7b70")
                .putHeader("amz-sdk-request", "attempt=1; max=9")
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader(
                    "User-Agent",
                    "aws-sdk-java/2.40.2 md/io#sync md/http#Apache ua/2.1 api/DynamoDB#2.40.x"
                        + " os/Linux#6.18 lang/java#17.0.15 md/OpenJDK_64-Bit_Server_VM#17.0.15"
                        + " md/vendor#Debian m/D,N,P,e")
                .putHeader("X-Amz-Target", "DynamoDB_20120810." + op)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
                        .request(unsigned.get())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    Map<String, List<String>> headers = new TreeMap<>();
    signed
        .request()
        .forEachHeader(
            (k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(new ArrayList<>(v))));
    return headers;
  }
}
