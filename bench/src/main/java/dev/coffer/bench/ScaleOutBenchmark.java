package dev.coffer.bench;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.CollectedGarbage;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import dev.coffer.store.dynamodb.DynamoDbBackend;
import dev.coffer.testkit.Dynalite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Issue 18's benchmark (not a test): Coffer with its records in DynamoDB ({@code
 * coffer-store-dynamodb}) against the same items written directly with the AWS SDK (unencrypted),
 * both against one dynalite, in one run:
 *
 * <ol>
 *   <li><b>DynamoDB requests per operation</b>, counted by an SDK interceptor on every request the
 *       client sends: PutItem of new items and over existing ones (from the instance that wrote
 *       them, and the first and later ones from another instance, whose blind writes expect no root
 *       at first) and GetItem on a table without a sort key, and in partitions of 100 items (warm
 *       page cache);
 *   <li><b>bytes stored per item</b>: every item of each DynamoDB table read back by Scan and sized
 *       as DynamoDB bills it (attribute names plus values), Coffer's after {@code collectGarbage()}
 *       (the store is in this build's layout, layout 2);
 *   <li><b>throughput with 1, 2 and 4 client JVMs</b>, each putting and getting its own items of a
 *       table without a sort key, all started at once after a warm-up of {@value #WARM_UP} puts and
 *       gets each; operations per second of wall time, all clients together.
 * </ol>
 *
 * dynalite serves a few hundred requests a second on one core, so the throughput figures say how
 * the two compare on one small server, not what DynamoDB itself does. Run: {@code java -cp
 * bench/target/benchmarks.jar dev.coffer.bench.ScaleOutBenchmark [--items=N] [--ops=N]
 * [--clients=1,2,4] [--scratch=DIR] [--out=FILE]}; node and npm install dynalite on first use.
 *
 * <p>One file of ~600 lines on purpose: the parent's measurements and the client JVMs' loop share
 * the item shapes and the client setup, and a reader checks the two sides against each other.
 */
public final class ScaleOutBenchmark {
  private static final String ALIAS = "alias/scale-out-bench";
  private static final String STORE_TABLE = "coffer-store";
  private static final String DIRECT_FLAT = "direct-flat";
  private static final String DIRECT_ROWS = "direct-rows";

  /**
   * Puts and gets each client JVM does before the clock starts (JIT, connections, catalog, keys).
   */
  private static final int WARM_UP = 100;

  private ScaleOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args);
      return;
    }
    Map<String, String> o =
        new HashMap<>(
            Map.of(
                "items",
                "400",
                "ops",
                "200",
                "clients",
                "1,2,4",
                "scratch",
                "bench/target/scale-out",
                "out",
                ""));
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0 || !o.containsKey(a.substring(2, eq))) {
        throw new IllegalArgumentException("unknown argument " + a + "; known: " + o.keySet());
      }
      o.put(a.substring(2, eq), a.substring(eq + 1));
    }
    long began = System.nanoTime();
    Path scratch =
        Files.createTempDirectory(Files.createDirectories(Path.of(o.get("scratch"))), "run");
    String report;
    try (Dynalite dynalite = Dynalite.start()) {
      report =
          run(
              dynalite.endpoint(),
              scratch,
              Integer.parseInt(o.get("items")),
              Integer.parseInt(o.get("ops")),
              o.get("clients"));
    }
    report +=
        String.format(Locale.ROOT, "%nThe run took %.0f s.%n", (System.nanoTime() - began) / 1e9);
    System.out.println(report);
    if (!o.get("out").isEmpty()) {
      Files.writeString(Path.of(o.get("out")), report, StandardCharsets.UTF_8);
    }
  }

  /** Counts the requests a client sends. */
  static final class Counter implements ExecutionInterceptor {
    final LongAdder requests = new LongAdder();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      requests.increment();
    }
  }

  static DynamoDbClient client(String endpoint, Counter counter) {
    var b =
        DynamoDbClient.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")));
    if (counter != null) {
      b.overrideConfiguration(c -> c.addExecutionInterceptor(counter));
    }
    return b.build();
  }

  static LocalKeyProvider provider(Path keystore, byte[] rawKey) {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  static Coffer open(LocalKeyProvider provider, DynamoDbClient client) {
    return Coffer.open(
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(ALIAS)
            .auditSink(AuditSink.none())
            .garbageGracePeriod(Duration.ofSeconds(1))
            .backend(
                DynamoDbBackend.builder()
                    .client(client)
                    .tableName(STORE_TABLE)
                    .createTableIfMissing(true)
                    .build())
            .build());
  }

  private static Item flatItem(String id, int i) {
    return Item.builder()
        .string("id", id)
        .string("status", "shipped")
        .string("address", "1 Example Street, Springfield")
        .number("total", 100 + i)
        .build();
  }

  private static Map<String, AttributeValue> flatDirect(String id, int i) {
    return Map.of(
        "id",
        AttributeValue.fromS(id),
        "status",
        AttributeValue.fromS("shipped"),
        "address",
        AttributeValue.fromS("1 Example Street, Springfield"),
        "total",
        AttributeValue.fromN("" + (100 + i)));
  }

  private static Item rowItem(int p, int s) {
    return Item.builder()
        .string("pk", "customer-" + p)
        .number("sk", s)
        .string("status", "shipped")
        .string("address", "1 Example Street, Springfield")
        .number("total", 100 + s)
        .build();
  }

  private static void putDirectFlat(DynamoDbClient client, String id, int i) {
    client.putItem(b -> b.tableName(DIRECT_FLAT).item(flatDirect(id, i)));
  }

  private static Map<String, AttributeValue> rowDirect(int p, int s) {
    return Map.of(
        "pk",
        AttributeValue.fromS("customer-" + p),
        "sk",
        AttributeValue.fromN("" + s),
        "status",
        AttributeValue.fromS("shipped"),
        "address",
        AttributeValue.fromS("1 Example Street, Springfield"),
        "total",
        AttributeValue.fromN("" + (100 + s)));
  }

  static String run(URI endpoint, Path scratch, int items, int ops, String clients)
      throws Exception {
    StringBuilder r =
        new StringBuilder(
            "# Scale-out benchmark (issue 18): Coffer on DynamoDB vs the SDK directly\n\n"
                + "The store is written by this build: layout 2 of the shared record backend"
                + " (store format 4).\n\n");
    r.append(
        String.format(
            Locale.ROOT,
            "dynalite %s at %s; %d items per table; %d operations per client JVM.%n%n",
            Dynalite.VERSION,
            endpoint,
            items,
            ops));
    byte[] rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    Path keystore = scratch.resolve("keystore");
    try (LocalKeyProvider p = provider(keystore, rawKey)) {
      p.createAlias(
          ALIAS, p.createKey(CreateKeyRequest.withDescription("scale-out bench")).keyId());
    }
    Counter counter = new Counter();
    int partitions = Math.max(1, items / 100);
    try (DynamoDbClient client = client(endpoint.toString(), counter)) {
      createDirectTables(client);
      r.append(
          "## DynamoDB requests per operation\n\n| operation | Coffer on DynamoDB | SDK directly |\n| --- | --- | --- |\n");
      try (LocalKeyProvider p = provider(keystore, rawKey);
          Coffer c = open(p, client)) {
        Table flat =
            c.createTable(
                TableSpec.builder().name("flat").partitionKey("id", AttributeType.S).build());
        Table rows =
            c.createTable(
                TableSpec.builder()
                    .name("rows")
                    .partitionKey("pk", AttributeType.S)
                    .sortKey("sk", AttributeType.N)
                    .build());
        List<String> names = new ArrayList<>();
        List<double[]> counts = new ArrayList<>(); // {coffer, direct}
        names.add("PutItem, no sort key (new items)");
        counts.add(
            new double[] {
              perOp(counter, items, i -> flat.putItem(flatItem("order-" + i, i))),
              perOp(counter, items, i -> putDirectFlat(client, "order-" + i, i))
            });
        names.add("PutItem, no sort key, over each item (the instance that wrote it)");
        counts.add(
            new double[] {
              perOp(counter, items, i -> flat.putItem(flatItem("order-" + i, i + 1))),
              perOp(counter, items, i -> putDirectFlat(client, "order-" + i, i + 1))
            });
        // Another instance: its blind writes expect no root until most of them find one.
        try (LocalKeyProvider p2 = provider(keystore, rawKey);
            Coffer other = open(p2, client)) {
          Table otherFlat = other.table("flat");
          otherFlat.putItem(flatItem("warm-other", 0)); // its first write, with a catalog write
          names.add("PutItem, no sort key, first over each item from another instance");
          counts.add(
              new double[] {
                perOp(counter, items, i -> otherFlat.putItem(flatItem("order-" + i, i + 2))),
                perOp(counter, items, i -> putDirectFlat(client, "order-" + i, i + 2))
              });
          names.add("PutItem, no sort key, later over each item from that instance");
          counts.add(
              new double[] {
                perOp(counter, items, i -> otherFlat.putItem(flatItem("order-" + i, i + 3))),
                perOp(counter, items, i -> putDirectFlat(client, "order-" + i, i + 3))
              });
          otherFlat.deleteItem(Key.of("warm-other")); // its index entry is collected below
        }
        names.add("GetItem, no sort key");
        counts.add(
            new double[] {
              perOp(counter, items, i -> flat.getItem(Key.of("order-" + i))),
              perOp(
                  counter,
                  items,
                  i ->
                      client.getItem(
                          b ->
                              b.tableName(DIRECT_FLAT)
                                  .consistentRead(true)
                                  .key(Map.of("id", AttributeValue.fromS("order-" + i)))))
            });
        names.add(
            "PutItem, "
                + (items / partitions)
                + "-item partitions (new items, average while they grow)");
        counts.add(
            new double[] {
              perOp(counter, items, i -> rows.putItem(rowItem(i % partitions, i / partitions))),
              perOp(
                  counter,
                  items,
                  i ->
                      client.putItem(
                          b ->
                              b.tableName(DIRECT_ROWS)
                                  .item(rowDirect(i % partitions, i / partitions))))
            });
        names.add("GetItem, " + (items / partitions) + "-item partitions (warm cache)");
        counts.add(
            new double[] {
              perOp(
                  counter,
                  items,
                  i ->
                      rows.getItem(
                          Key.of(
                              dev.coffer.AttributeValue.s("customer-" + (i % partitions)),
                              dev.coffer.AttributeValue.n(i / partitions)))),
              perOp(
                  counter,
                  items,
                  i ->
                      client.getItem(
                          b ->
                              b.tableName(DIRECT_ROWS)
                                  .consistentRead(true)
                                  .key(
                                      Map.of(
                                          "pk",
                                          AttributeValue.fromS("customer-" + (i % partitions)),
                                          "sk",
                                          AttributeValue.fromN("" + (i / partitions))))))
            });
        for (int i = 0; i < names.size(); i++) {
          r.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %.2f | %.2f |%n",
                  names.get(i),
                  counts.get(i)[0],
                  counts.get(i)[1]));
        }
        // Every replaced node and stale index entry older than the grace period (1 s), then
        // collected: what stays.
        Thread.sleep(1_500);
        CollectedGarbage g = c.collectGarbage();
        r.append(
            String.format(
                Locale.ROOT,
                "%nRequests include the SDK's own retries, if dynalite answered with an error. Then"
                    + " collectGarbage(): %d nodes, %d stray records and %d index entries deleted,"
                    + " %d index entries added.%n",
                g.nodesDeleted(),
                g.strayRecordsDeleted(),
                g.indexEntriesDeleted(),
                g.indexEntriesAdded()));
      }
      long cofferBytes = tableBytes(client, STORE_TABLE);
      long directBytes = tableBytes(client, DIRECT_FLAT) + tableBytes(client, DIRECT_ROWS);
      r.append(
          String.format(
              Locale.ROOT,
              "%n## Bytes stored per item (as DynamoDB sizes items), after collectGarbage()%n%n"
                  + "| | Coffer on DynamoDB | SDK directly | ratio |%n| --- | --- | --- | --- |%n"
                  + "| %d items (both tables) | %.1f | %.1f | %.2fx |%n",
              2 * items,
              (double) cofferBytes / (2 * items),
              (double) directBytes / (2 * items),
              (double) cofferBytes / directBytes));
      r.append(
          "\nCoffer's bytes include its catalog, index entries and namespace records (a fixed few hundred"
              + " bytes per store and per partition).\n");
    }
    r.append(
        "\n## Throughput, client JVMs on one dynalite (PutItem + GetItem alternating, no sort key)\n\n"
            + "| client JVMs | Coffer on DynamoDB, ops/s | SDK directly, ops/s |\n| --- | --- | --- |\n");
    for (String n : clients.split(",")) {
      int k = Integer.parseInt(n.trim());
      double coffer = throughput("coffer", k, ops, endpoint, keystore, rawKey);
      double direct = throughput("direct", k, ops, endpoint, keystore, rawKey);
      r.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f |%n", k, coffer, direct));
    }
    return r.toString();
  }

  private static void createDirectTables(DynamoDbClient client) {
    client.createTable(
        b ->
            b.tableName(DIRECT_FLAT)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    client.createTable(
        b ->
            b.tableName(DIRECT_ROWS)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    d -> d.attributeName("pk").attributeType(ScalarAttributeType.S),
                    d -> d.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    client.waiter().waitUntilTableExists(b -> b.tableName(DIRECT_FLAT));
    client.waiter().waitUntilTableExists(b -> b.tableName(DIRECT_ROWS));
  }

  private interface Op {
    void run(int i) throws Exception;
  }

  private static double perOp(Counter counter, int n, Op op) throws Exception {
    long before = counter.requests.sum();
    for (int i = 0; i < n; i++) {
      op.run(i);
    }
    return (counter.requests.sum() - before) / (double) n;
  }

  /** The bytes of every item of a table as DynamoDB sizes them: attribute names and values. */
  private static long tableBytes(DynamoDbClient client, String table) {
    long bytes = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> s = start;
      ScanResponse page = client.scan(b -> b.tableName(table).exclusiveStartKey(s));
      for (Map<String, AttributeValue> item : page.items()) {
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
          bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return bytes;
  }

  private static long size(AttributeValue v) {
    if (v.s() != null) {
      return v.s().getBytes(StandardCharsets.UTF_8).length;
    }
    if (v.n() != null) {
      return (v.n().replace("-", "").replace(".", "").length() + 1) / 2 + 1;
    }
    if (v.b() != null) {
      return v.b().asByteArray().length;
    }
    throw new IllegalArgumentException("unexpected attribute " + v);
  }

  /** Starts {@code k} client JVMs at once; the operations they all did per second of wall time. */
  private static double throughput(
      String target, int k, int ops, URI endpoint, Path keystore, byte[] rawKey) throws Exception {
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  ScaleOutBenchmark.class.getName(),
                  "--child",
                  target,
                  endpoint.toString(),
                  keystore.toString(),
                  Base64.getEncoder().encodeToString(rawKey),
                  target + "-" + k + "-" + i,
                  Integer.toString(ops))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      children.add(p);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      outs.add(out);
      expect(out, "READY");
    }
    long start = System.nanoTime();
    for (Process p : children) {
      p.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().flush();
    }
    for (BufferedReader out : outs) {
      expect(out, "DONE");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Process p : children) {
      if (p.waitFor() != 0) {
        throw new IllegalStateException("a client JVM failed (exit " + p.exitValue() + ")");
      }
    }
    return k * ops / seconds;
  }

  private static void expect(BufferedReader out, String line) throws IOException {
    String l;
    while ((l = out.readLine()) != null) {
      if (l.equals(line)) {
        return;
      }
    }
    throw new IllegalStateException("a client JVM ended before " + line);
  }

  /**
   * A client JVM: opens its target, waits for GO, alternates PutItem and GetItem of its own items.
   */
  private static void child(String[] args) throws Exception {
    String target = args[1];
    String endpoint = args[2];
    String prefix = args[5];
    int ops = Integer.parseInt(args[6]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (DynamoDbClient client = client(endpoint, null)) {
      if (target.equals("coffer")) {
        try (LocalKeyProvider p = provider(Path.of(args[3]), Base64.getDecoder().decode(args[4]));
            Coffer c = open(p, client)) {
          Table flat = c.table("flat");
          for (int i = 0;
              i < WARM_UP;
              i++) { // the JIT, the catalog and the keys, before the clock starts
            flat.putItem(flatItem("warm-" + prefix + "-" + i, i));
            flat.getItem(Key.of("warm-" + prefix + "-" + i));
          }
          out.println("READY");
          awaitGo();
          for (int i = 0; i < ops; i++) {
            String id = prefix + "-" + (i / 2);
            if (i % 2 == 0) {
              flat.putItem(flatItem(id, i));
            } else {
              flat.getItem(Key.of(id));
            }
          }
        }
      } else {
        for (int i = 0; i < WARM_UP; i++) {
          String id = "warm-" + prefix + "-" + i;
          client.putItem(b -> b.tableName(DIRECT_FLAT).item(flatDirect(id, 0)));
          client.getItem(
              b ->
                  b.tableName(DIRECT_FLAT)
                      .consistentRead(true)
                      .key(Map.of("id", AttributeValue.fromS(id))));
        }
        out.println("READY");
        awaitGo();
        for (int i = 0; i < ops; i++) {
          String id = prefix + "-" + (i / 2);
          if (i % 2 == 0) {
            client.putItem(b -> b.tableName(DIRECT_FLAT).item(flatDirect(id, 0)));
          } else {
            client.getItem(
                b ->
                    b.tableName(DIRECT_FLAT)
                        .consistentRead(true)
                        .key(Map.of("id", AttributeValue.fromS(id))));
          }
        }
      }
    }
    out.println("DONE");
  }

  private static void awaitGo() {
    try {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
