package dev.coffer.bench;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code coffer serve} through the AWS SDK v2 {@code DynamoDbClient} over loopback, against
 * dynalite through the same client, and against Coffer in-process (the engine's {@link Table} API),
 * in one run (issue 12's benchmark). For PutItem (overwriting items of the preloaded set), GetItem
 * and Query (one partition of 10 items): p50 and p99 latency and throughput of one client thread,
 * and throughput of {@code --threads} client threads sharing one client. Each round measures every
 * operation on every target back to back, the order of the targets reversed every other round; the
 * report gives the median over the rounds. Targets (docs/performance.md): {@code coffer serve} at
 * least 20 times dynalite's throughput, and the wire adding at most 60 µs per call at p50 over the
 * in-process call.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.coffer.bench.ServeBenchmark --rounds=5 --ops=20000 --threads=4
 * java -cp bench/target/benchmarks.jar dev.coffer.bench.ServeBenchmark --clients=apache,url-connection
 * </pre>
 *
 * Options (defaults in brackets): {@code --rounds} [3], {@code --warmup} ops per target and op
 * before the first round [3000], {@code --ops} timed single-thread ops per round [5000], {@code
 * --threads} [4] and {@code --throughput-ops} [20000] for the concurrent phase, {@code
 * --partitions} [200] (10 items each), {@code --item-bytes} [100], {@code --targets}
 * [in-process,coffer-serve,floor,dynalite] ({@code floor}: the SDK client against {@link
 * CannedResponder}, which answers with fixed bodies and does no work: what the client and loopback
 * cost, the floor under any server), {@code --clients} [apache] (the SDK's HTTP clients to use:
 * {@code apache}, {@code url-connection}; and {@code raw-http}, pre-signed requests replayed over a
 * socket, {@link RawHttpTarget}, to show the server's share without the SDK client's), {@code
 * --out} (a Markdown file for the report; it is always printed). dynalite needs node and npm;
 * without them it is left out with a message. Every target behind the SDK gets the same client
 * ({@link SdkTarget#client}: one HTTP client of the named kind, 64 pooled keep-alive connections).
 *
 * <p>Besides latency and throughput, each single-thread run counts CPU time per call (user and
 * system, from the JVM's thread counters): the calling thread's (the client's work, its system
 * calls included) and, where the server runs in this JVM ({@code coffer serve}, the floor
 * responder), the server threads'.
 */
public final class ServeBenchmark {
  /** The operations measured. */
  enum Op {
    PUT_ITEM("PutItem"),
    GET_ITEM("GetItem"),
    QUERY("Query");

    final String label;

    Op(String label) {
      this.label = label;
    }
  }

  /** One target: a store behind some API, preloaded with the same items. */
  interface Target extends AutoCloseable {
    String name();

    void run(Op op, SplittableRandom random);

    /**
     * The CPU time the server behind this target has used so far, in nanoseconds (its threads in
     * this JVM, or its process), or a negative number when it is not known (in-process: there is no
     * server).
     */
    default long serverCpuNanos() {
      return -1;
    }

    /** A line for the report's notes (what was seen while measuring), or null. */
    default String note() {
      return null;
    }

    @Override
    void close();
  }

  /** One measurement of one operation on one target in one round. */
  record Sample(
      double p50Micros,
      double p99Micros,
      double singleOpsPerSecond,
      double concurrentOpsPerSecond,
      double clientCpuMicros,
      double serverCpuMicros) {}

  /** One single-thread run: each call's latency and the CPU the caller and the server used. */
  record Timed(long[] nanos, long clientCpuNanos, long serverCpuNanos) {}

  private final ServeOptions options;
  private final String payload;

  private ServeBenchmark(ServeOptions options) {
    this.options = options;
    this.payload = "x".repeat(options.itemBytes());
  }

  /** A benchmark with these options; {@link #run()} runs it. */
  static ServeBenchmark create(ServeOptions options) {
    return new ServeBenchmark(options);
  }

  public static void main(String[] args) throws Exception {
    ServeOptions options = ServeOptions.parse(args);
    String report = create(options).run();
    System.out.println(report);
    if (options.out() != null) {
      Files.createDirectories(options.out().toAbsolutePath().getParent());
      Files.writeString(options.out(), report, StandardCharsets.UTF_8);
    }
  }

  /** Runs every round on every target and returns the report. */
  String run() throws Exception {
    Path scratch =
        Files.createTempDirectory(Files.createDirectories(options.scratch()), "serve-bench");
    List<Target> targets = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      for (String t : options.targets()) {
        switch (t) {
          case "in-process" ->
              targets.add(InProcess.open(Files.createTempDirectory(scratch, "inproc"), this));
          case "coffer-serve" -> {
            for (String client : options.clients()) {
              targets.add(
                  SdkTarget.cofferServe(Files.createTempDirectory(scratch, "serve"), client, this));
            }
          }
          case "floor" -> {
            for (String client : options.clients()) {
              if (!client.equals(SdkTarget.RAW)) {
                targets.add(SdkTarget.floor(client, this));
              }
            }
          }
          case "dynalite" -> {
            for (String client : options.clients()) {
              try {
                targets.add(SdkTarget.dynalite(client, this));
              } catch (RuntimeException e) {
                notes.add("dynalite left out: " + e.getMessage());
              }
            }
          }
          default -> throw new IllegalArgumentException("unknown target " + t);
        }
      }
      Map<String, List<Sample>> samples = new LinkedHashMap<>();
      for (Target target : targets) {
        for (Op op : Op.values()) {
          measureSingle(target, op, options.warmup()); // warm up the JIT, caches, connections
        }
      }
      for (int round = 0; round < options.rounds(); round++) {
        List<Target> order = new ArrayList<>(targets);
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (Op op : Op.values()) {
          for (Target target : order) {
            Timed timed = measureSingle(target, op, options.ops());
            double concurrent = measureConcurrent(target, op);
            samples
                .computeIfAbsent(target.name() + "|" + op.label, k -> new ArrayList<>())
                .add(sample(timed, concurrent));
          }
        }
      }
      for (Target t : targets) {
        if (t.note() != null) {
          notes.add(t.note());
        }
      }
      return ServeReport.markdown(
          options, targets.stream().map(Target::name).toList(), samples, notes);
    } finally {
      for (Target t : targets) {
        t.close();
      }
      deleteQuietly(scratch);
    }
  }

  private static Sample sample(Timed timed, double concurrentOpsPerSecond) {
    long[] nanos = timed.nanos();
    long total = 0;
    for (long n : nanos) {
      total += n;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Sample(
        sorted[sorted.length / 2] / 1000.0,
        sorted[(int) (sorted.length * 0.99)] / 1000.0,
        nanos.length / (total / 1e9),
        concurrentOpsPerSecond,
        timed.clientCpuNanos() / 1000.0 / nanos.length,
        timed.serverCpuNanos() < 0 ? Double.NaN : timed.serverCpuNanos() / 1000.0 / nanos.length);
  }

  /**
   * {@code count} calls on one thread: the latency of each, the calling thread's CPU time (user and
   * system: the client's work, its syscalls included) and the CPU time of the target's server (its
   * threads in this JVM, or its process) over the whole run.
   */
  private static Timed measureSingle(Target target, Op op, int count) {
    SplittableRandom random = new SplittableRandom(count * 31L + op.ordinal());
    long[] nanos = new long[Math.max(1, count)];
    long serverBefore = target.serverCpuNanos();
    long clientBefore = ThreadCpu.current();
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      target.run(op, random);
      nanos[i] = System.nanoTime() - start;
    }
    long client = ThreadCpu.current() - clientBefore;
    long serverAfter = target.serverCpuNanos();
    long server = serverBefore < 0 || serverAfter < 0 ? -1 : serverAfter - serverBefore;
    return new Timed(nanos, client, server);
  }

  /** {@code --throughput-ops} calls spread over {@code --threads} threads; calls per second. */
  private double measureConcurrent(Target target, Op op) throws Exception {
    int threads = options.threads();
    int each = Math.max(1, options.throughputOps() / threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = new SplittableRandom(t * 7919L + op.ordinal());
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < each; i++) {
                    target.run(op, random);
                  }
                  return null;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : done) {
        f.get(10, TimeUnit.MINUTES);
      }
      return (double) each * threads / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  String payload() {
    return payload;
  }

  int partitions() {
    return options.partitions();
  }

  /** Coffer's own API in this JVM: what the wire is measured against. */
  static final class InProcess implements Target {
    private final InMemoryKeyProvider keys;
    private final Coffer store;
    private final Table table;
    private final ServeBenchmark bench;

    private InProcess(InMemoryKeyProvider keys, Coffer store, ServeBenchmark bench) {
      this.keys = keys;
      this.store = store;
      this.table = store.table(TABLE);
      this.bench = bench;
    }

    static InProcess open(Path dir, ServeBenchmark bench) {
      InMemoryKeyProvider keys = InMemoryKeyProvider.builder().auditSink(AuditSink.none()).build();
      Coffer store = openStore(dir, keys, bench);
      return new InProcess(keys, store, bench);
    }

    @Override
    public String name() {
      return "in-process";
    }

    @Override
    public void run(Op op, SplittableRandom r) {
      int p = r.nextInt(bench.partitions());
      switch (op) {
        case PUT_ITEM -> table.putItem(item(p, r.nextInt(ITEMS_PER_PARTITION), bench.payload()));
        case GET_ITEM ->
            table
                .getItem(
                    Key.of(
                        AttributeValue.s("p" + p),
                        AttributeValue.n(r.nextInt(ITEMS_PER_PARTITION))))
                .orElseThrow();
        case QUERY -> {
          if (table.query(Query.partition("p" + p)).count() != ITEMS_PER_PARTITION) {
            throw new IllegalStateException("a partition lost items");
          }
        }
      }
    }

    @Override
    public void close() {
      store.close();
      keys.close();
    }
  }

  static final String TABLE = "ServeBench";
  static final int ITEMS_PER_PARTITION = 10;

  static Item item(int partition, int sort, String payload) {
    return Item.builder()
        .string("pk", "p" + partition)
        .number("sk", sort)
        .string("v", payload)
        .build();
  }

  /** A store under an in-memory key provider, with the benchmark's table preloaded. */
  static Coffer openStore(Path dir, InMemoryKeyProvider keys, ServeBenchmark bench) {
    keys.createAlias(
        "alias/serve-bench", keys.createKey(CreateKeyRequest.withDescription("bench")).keyId());
    Coffer store =
        Coffer.open(
            dir,
            CofferOptions.builder().keyProvider(keys).masterKeyId("alias/serve-bench").build());
    Table t =
        store.createTable(
            TableSpec.builder()
                .name(TABLE)
                .partitionKey("pk", AttributeType.S)
                .sortKey("sk", AttributeType.N)
                .build());
    for (int p = 0; p < bench.partitions(); p++) {
      for (int s = 0; s < ITEMS_PER_PARTITION; s++) {
        t.putItem(item(p, s, bench.payload()));
      }
    }
    return store;
  }

  /** For docs: when the run was made. */
  static String now() {
    return Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC";
  }

  /** The scratch directory's default. */
  static Path defaultScratch() {
    String d =
        System.getProperty(
            "coffer.bench.dir", System.getenv().getOrDefault("COFFER_BENCH_DIR", ""));
    return d.isBlank() ? Path.of("bench", "target", "scratch") : Path.of(d);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // scratch left behind under target/ is harmless
    }
  }
}
