package dev.coffer.bench;

import dev.coffer.Coffer;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.server.CofferServer;
import dev.coffer.testkit.Dynalite;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A DynamoDB endpoint behind the AWS SDK v2 {@link DynamoDbClient}: {@code coffer serve} (a {@link
 * CofferServer} over a store under an in-memory key provider) or dynalite. The same client code for
 * both; the HTTP client is the SDK's Apache client (its default synchronous one) or its
 * URL-connection client. Thread-safe (the SDK client is).
 */
class SdkTarget implements ServeBenchmark.Target {
  private static final String ACCESS_KEY = "AKIASERVEBENCH";
  private static final String SECRET = "serve-bench-secret";

  /** The prefix of {@code coffer serve}'s thread names (Jetty's I/O threads and the workers). */
  static final String SERVER_THREADS = "coffer-serve-";

  /** The pseudo-client of {@link RawHttpTarget}: pre-signed requests replayed over a socket. */
  static final String RAW = "raw-http";

  private final String name;
  private final LongSupplier serverCpu;
  private final DynamoDbClient ddb;
  private final ServeBenchmark bench;
  private final AutoCloseable[] resources;

  private SdkTarget(
      String name,
      LongSupplier serverCpu,
      DynamoDbClient ddb,
      ServeBenchmark bench,
      AutoCloseable... resources) {
    this.name = name;
    this.serverCpu = serverCpu;
    this.ddb = ddb;
    this.bench = bench;
    this.resources = resources;
  }

  /**
   * {@code coffer serve} over a new store in {@code dir}, preloaded in-process (the same items),
   * behind the SDK with {@code client}, or behind {@link RawHttpTarget} for {@code raw-http}.
   */
  static ServeBenchmark.Target cofferServe(Path dir, String client, ServeBenchmark bench) {
    InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
    Coffer store = ServeBenchmark.openStore(dir, keys, bench);
    CofferServer server =
        CofferServer.builder()
            .store(store)
            .keyProvider(keys)
            .credentials(ACCESS_KEY, SECRET, "root")
            .start();
    if (client.equals(RAW)) {
      return new RawHttpTarget(
          "coffer-serve[" + RAW + "]",
          () -> ThreadCpu.ofThreads(SERVER_THREADS),
          server.endpointUri(),
          ACCESS_KEY,
          SECRET,
          bench,
          server,
          store,
          keys);
    }
    DynamoDbClient ddb = client(server.endpointUri(), client);
    return new SdkTarget(
        "coffer-serve[" + client + "]",
        () -> ThreadCpu.ofThreads(SERVER_THREADS),
        ddb,
        bench,
        ddb,
        server,
        store,
        keys);
  }

  /**
   * The floor: the SDK with {@code client} against {@link CannedResponder}, which answers every
   * call with a fixed body and does nothing else.
   */
  static ServeBenchmark.Target floor(String client, ServeBenchmark bench) {
    CannedResponder responder = CannedResponder.start(bench.payload());
    DynamoDbClient ddb = client(responder.endpoint(), client);
    return new SdkTarget(
        "floor[" + client + "]",
        () -> ThreadCpu.ofThreads(CannedResponder.THREAD_PREFIX),
        ddb,
        bench,
        ddb,
        responder) {
      @Override
      public String note() {
        String head = responder.firstRequestHead();
        return head == null
            ? null
            : "what the SDK's "
                + client
                + " client sends (headers of its first request to the floor"
                + " responder): "
                + head.replaceAll("(?m)^(Authorization: \\S+ Credential=)\\S+.*$", "$1...")
                    .replace("\r\n", "; ");
      }
    };
  }

  /** dynalite (npm), preloaded through the SDK; behind the SDK with {@code client}, or raw. */
  static ServeBenchmark.Target dynalite(String client, ServeBenchmark bench) {
    Dynalite dynalite;
    try {
      dynalite = Dynalite.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          e.getMessage(), e); // e.g. node or npm missing (a JUnit assumption)
    }
    DynamoDbClient ddb = client(dynalite.endpoint(), client.equals(RAW) ? "apache" : client);
    ddb.createTable(
        b ->
            b.tableName(ServeBenchmark.TABLE)
                .attributeDefinitions(
                    d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                    d -> d.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    ddb.waiter().waitUntilTableExists(b -> b.tableName(ServeBenchmark.TABLE));
    for (int p = 0; p < bench.partitions(); p++) {
      List<WriteRequest> batch = new ArrayList<>();
      for (int s = 0; s < ServeBenchmark.ITEMS_PER_PARTITION; s++) {
        batch.add(
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item(p, s, bench.payload())).build())
                .build());
      }
      ddb.batchWriteItem(b -> b.requestItems(Map.of(ServeBenchmark.TABLE, batch)));
    }
    String port = Integer.toString(dynalite.port());
    LongSupplier dynaliteCpu = () -> ThreadCpu.ofChildProcess(port);
    if (client.equals(RAW)) {
      return new RawHttpTarget(
          "dynalite[" + RAW + "]",
          dynaliteCpu,
          dynalite.endpoint(),
          ACCESS_KEY,
          SECRET,
          bench,
          ddb,
          dynalite);
    }
    return new SdkTarget("dynalite[" + client + "]", dynaliteCpu, ddb, bench, ddb, dynalite);
  }

  static DynamoDbClient client(URI endpoint, String client) {
    SdkHttpClient http =
        switch (client) {
          case "apache" -> ApacheHttpClient.builder().maxConnections(64).build();
          case "url-connection" ->
              UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build();
          default ->
              throw new IllegalArgumentException(
                  "unknown HTTP client " + client + " (apache, url-connection, raw-http)");
        };
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
        .httpClient(http)
        .build();
  }

  static Map<String, AttributeValue> item(int partition, int sort, String payload) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("pk", AttributeValue.fromS("p" + partition));
    m.put("sk", AttributeValue.fromN(Integer.toString(sort)));
    m.put("v", AttributeValue.fromS(payload));
    return m;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long serverCpuNanos() {
    return serverCpu.getAsLong();
  }

  @Override
  public void run(ServeBenchmark.Op op, SplittableRandom r) {
    int p = r.nextInt(bench.partitions());
    switch (op) {
      case PUT_ITEM ->
          ddb.putItem(
              b ->
                  b.tableName(ServeBenchmark.TABLE)
                      .item(
                          item(p, r.nextInt(ServeBenchmark.ITEMS_PER_PARTITION), bench.payload())));
      case GET_ITEM -> {
        int s = r.nextInt(ServeBenchmark.ITEMS_PER_PARTITION);
        if (!ddb.getItem(
                b ->
                    b.tableName(ServeBenchmark.TABLE)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS("p" + p),
                                "sk",
                                AttributeValue.fromN(Integer.toString(s)))))
            .hasItem()) {
          throw new IllegalStateException(name + " lost an item");
        }
      }
      case QUERY -> {
        if (ddb.query(
                    b ->
                        b.tableName(ServeBenchmark.TABLE)
                            .keyConditionExpression("pk = :p")
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p" + p))))
                .count()
            != ServeBenchmark.ITEMS_PER_PARTITION) {
          throw new IllegalStateException(name + " lost items of a partition");
        }
      }
    }
  }

  @Override
  public void close() {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        // closing what the benchmark opened: nothing to do about a failure here
      }
    }
  }
}
