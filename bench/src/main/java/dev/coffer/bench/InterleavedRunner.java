package dev.coffer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Coffer and plain RocksDB taking turns in one JVM, in rounds: the measurement issue 14's targets
 * are stated in (JMH runs each competitor in its own iterations, so load that drifts between them
 * lands in the ratio; here every round measures all of them back to back, and the ratio is taken
 * within the round).
 *
 * <p>Per dataset (item count x layout x payload): plain RocksDB and Coffer are filled with the same
 * items in the same shuffled order, flushed, and copied, so that four stores hold the same data:
 * {@code rocksdb} and {@code coffer-cache-off} (the same block cache, no page cache), {@code
 * rocksdb-cache-on} and {@code coffer-cache-on} (Coffer's page cache bytes added to RocksDB's block
 * cache): see {@link ItemStore}. Then {@code warmupRounds + rounds} rounds; in each, for each
 * operation, every store takes one turn of the same operations (the same keys and payloads, from a
 * seed of the round), in an order that alternates between rounds. A turn records:
 *
 * <ul>
 *   <li>the measuring thread's CPU time and allocated bytes ({@code ThreadMXBean}),
 *   <li>each call's latency ({@code System.nanoTime}), for p50 and p99,
 *   <li>the whole process's CPU time from the start of the turn until the process is quiet again
 *       ({@link CpuMeter}): the turn's foreground work plus the flushes, compactions and any other
 *       background work it caused, which never overlaps another store's turn.
 * </ul>
 *
 * <p>Operations and their unit: {@code put} (overwrite a random existing item) and {@code get}
 * (read one), per item; for the {@value #PER_PARTITION} layout also {@code query} (all 100 items of
 * a random partition), per query, and {@code scan} (a table scan in pages of {@value #SCAN_PAGE},
 * continuing where the last turn stopped), per item. Each ratio is Coffer's cost per unit over its
 * baseline's in the same round; the report gives the median of the per-round ratios and their
 * interquartile range. Bytes on disk per item are read after the fill, after the rounds (which
 * overwrite), and after a full compaction of {@code rocksdb} and {@code coffer-cache-off} (see
 * {@link ItemStore#compactFully()}), each once background work is over.
 *
 * <p>Usage ({@code bench/run.sh} runs it in its {@code quick}, {@code full} and {@code smoke}
 * profiles): {@code java -cp bench/target/benchmarks.jar dev.coffer.bench.InterleavedRunner
 * --items=100000,1000000 --rounds=10 --out=results.json}; options and defaults in {@link Config}.
 * Writes a JSON file that {@code ReportGenerator} turns into tables and a chart of the ratios
 * against item count.
 */
public final class InterleavedRunner {
  static final String PK_ONLY = "pk-only";
  static final String PER_PARTITION = "100-per-partition";
  static final int ITEMS_PER_PARTITION = 100;
  static final int SCAN_PAGE = 1000;
  static final List<String> OPS = List.of("put", "get", "query", "scan");

  private final Config config;
  private final CpuMeter meter;
  private final ObjectMapper json = new ObjectMapper();

  InterleavedRunner(Config config) {
    this.config = config;
    this.meter = new CpuMeter(config.maxDrainMillis);
  }

  public static void main(String[] args) throws IOException {
    Config config;
    try {
      config = Config.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Config.USAGE);
      System.exit(2);
      return;
    }
    Path out = new InterleavedRunner(config).run();
    System.out.println("wrote " + out);
  }

  /** Runs every dataset of the configuration; writes and returns the JSON result file. */
  Path run() throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("harness", "InterleavedRunner");
    root.put("format", 1);
    root.put("started", Instant.now().toString());
    root.put(
        "jdk",
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    root.put("processors", Runtime.getRuntime().availableProcessors());
    root.put("loadAverageAtStart", CpuMeter.loadAverage());
    root.put("engineBlockCacheBytes", EngineRocksOptions.get().blockCacheBytes());
    root.set("config", config.toJson(json));
    ArrayNode datasets = root.putArray("datasets");
    for (int items : config.items) {
      for (String layout : config.layouts) {
        for (String payload : config.payloads) {
          datasets.add(new Dataset(this, items, layout, payload).run());
        }
      }
    }
    root.put("loadAverageAtEnd", CpuMeter.loadAverage());
    root.put("finished", Instant.now().toString());
    Files.createDirectories(config.out.toAbsolutePath().getParent());
    json.enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.out.toFile(), root);
    return config.out;
  }

  Config config() {
    return config;
  }

  CpuMeter meter() {
    return meter;
  }

  ObjectMapper json() {
    return json;
  }

  /** Copies a closed store's directory tree. */
  static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + from + " to " + to, e);
    }
  }

  /** Moves a closed store's directory. */
  static void moveTree(Path from, Path to) {
    try {
      Files.move(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot move " + from + " to " + to, e);
    }
  }

  /** The harness's settings, from {@code --name=value} arguments. */
  static final class Config {
    static final String USAGE =
        "usage: InterleavedRunner [--items=100000,...] [--layouts=pk-only,100-per-partition]"
            + " [--payloads=random,compressible] [--ops=put,get,query,scan]"
            + " [--stores=rocksdb,coffer-cache-off,rocksdb-cache-on,coffer-cache-on,coffer-fresh-cache-off] [--rounds=10] [--warmup-rounds=3]"
            + " [--max-warmup-rounds=20] [--ops-per-turn=10000] [--item-bytes=256] [--cache-bytes=67108864] [--max-drain-millis=60000]"
            + " [--compact=true] --out=<file.json>";

    /** Item counts, one dataset each (per layout and payload). */
    List<Integer> items = List.of(100_000);

    List<String> layouts = List.of(PK_ONLY, PER_PARTITION);
    List<String> payloads = List.of(BenchData.RANDOM, BenchData.COMPRESSIBLE);

    /**
     * Operations; {@code query} and {@code scan} run on the {@value #PER_PARTITION} layout only.
     */
    List<String> ops = OPS;

    List<String> stores =
        List.of(
            ItemStore.ROCKSDB,
            ItemStore.COFFER_CACHE_OFF,
            ItemStore.ROCKSDB_CACHE_ON,
            ItemStore.COFFER_CACHE_ON);

    /** Measured rounds. */
    int rounds = 10;

    /** Rounds run first and not recorded (JIT, caches). */
    int warmupRounds = 3;

    /**
     * The most warm-up rounds: after {@link #warmupRounds}, warm-up goes on while the JIT's
     * compilation time was more than {@value Dataset#JIT_QUIET_PERCENT} % of the last round's
     * process CPU (the compiler threads' CPU would land in the process CPU of the first measured
     * rounds, mostly in Coffer's, whose code is larger), up to this many rounds in all.
     */
    int maxWarmupRounds = 20;

    /** Units per turn: items for put, get and scan; a hundredth as many queries. */
    int opsPerTurn = 10_000;

    /** Encoded item size. */
    int itemBytes = 256;

    /** Coffer's page cache in the cache-on pair, and what {@code rocksdb-cache-on} adds. */
    long cacheBytes = ItemStore.DEFAULT_CACHE_BYTES;

    /** The longest wait for background work after a turn. */
    long maxDrainMillis = 60_000;

    /** Whether to measure bytes on disk after a full compaction too. */
    boolean compact = true;

    Path out;

    static Config parse(String[] args) {
      Config c = new Config();
      for (String a : args) {
        int eq = a.indexOf('=');
        if (!a.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("not --name=value: " + a);
        }
        String name = a.substring(2, eq);
        String value = a.substring(eq + 1);
        switch (name) {
          case "items":
            c.items =
                Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
            break;
          case "layouts":
            c.layouts = checked(value, List.of(PK_ONLY, PER_PARTITION), name);
            break;
          case "payloads":
            c.payloads = checked(value, List.of(BenchData.RANDOM, BenchData.COMPRESSIBLE), name);
            break;
          case "ops":
            c.ops = checked(value, OPS, name);
            break;
          case "stores":
            c.stores =
                checked(
                    value,
                    List.of(
                        ItemStore.ROCKSDB,
                        ItemStore.COFFER_CACHE_OFF,
                        ItemStore.ROCKSDB_CACHE_ON,
                        ItemStore.COFFER_CACHE_ON,
                        ItemStore.COFFER_FRESH_CACHE_OFF),
                    name);
            break;
          case "rounds":
            c.rounds = positive(value, name);
            break;
          case "warmup-rounds":
            c.warmupRounds = Integer.parseInt(value);
            break;
          case "max-warmup-rounds":
            c.maxWarmupRounds = Integer.parseInt(value);
            break;
          case "ops-per-turn":
            c.opsPerTurn = positive(value, name);
            break;
          case "item-bytes":
            c.itemBytes = positive(value, name);
            break;
          case "cache-bytes":
            c.cacheBytes = Long.parseLong(value);
            break;
          case "max-drain-millis":
            c.maxDrainMillis = Long.parseLong(value);
            break;
          case "compact":
            c.compact = Boolean.parseBoolean(value);
            break;
          case "out":
            c.out = Paths.get(value);
            break;
          default:
            throw new IllegalArgumentException("unknown option --" + name);
        }
      }
      if (c.out == null) {
        throw new IllegalArgumentException("--out=<file.json> is required");
      }
      for (int n : c.items) {
        if (n < ITEMS_PER_PARTITION || n % ITEMS_PER_PARTITION != 0) {
          throw new IllegalArgumentException(
              "--items must be multiples of " + ITEMS_PER_PARTITION + ": " + n);
        }
      }
      return c;
    }

    private static List<String> checked(String value, List<String> allowed, String name) {
      List<String> out = new ArrayList<>();
      for (String v : value.split(",")) {
        if (!allowed.contains(v.trim())) {
          throw new IllegalArgumentException("--" + name + ": " + v + " is not one of " + allowed);
        }
        out.add(v.trim());
      }
      return List.copyOf(out);
    }

    private static int positive(String value, String name) {
      int v = Integer.parseInt(value);
      if (v < 1) {
        throw new IllegalArgumentException("--" + name + " must be at least 1");
      }
      return v;
    }

    ObjectNode toJson(ObjectMapper json) {
      ObjectNode n = json.createObjectNode();
      n.putPOJO("items", items);
      n.putPOJO("layouts", layouts);
      n.putPOJO("payloads", payloads);
      n.putPOJO("ops", ops);
      n.putPOJO("stores", stores);
      n.put("rounds", rounds);
      n.put("warmupRounds", warmupRounds);
      n.put("maxWarmupRounds", maxWarmupRounds);
      n.put("opsPerTurn", opsPerTurn);
      n.put("itemBytes", itemBytes);
      n.put("cacheBytes", cacheBytes);
      n.put("maxDrainMillis", maxDrainMillis);
      n.put("compact", compact);
      n.put("quietSampleMillis", CpuMeter.SAMPLE_MILLIS);
      n.put("quietSamples", CpuMeter.QUIET_SAMPLES);
      n.put("quietCpuPercent", CpuMeter.QUIET_CPU_PERCENT);
      return n;
    }
  }

  /**
   * The item of unit {@code i} of a dataset: partition {@code i / 100}, sort {@code i % 100} when
   * sorted.
   */
  static Item item(int i, boolean sorted, byte[] payload) {
    return sorted
        ? BenchData.item(i / ITEMS_PER_PARTITION, i % ITEMS_PER_PARTITION, payload)
        : BenchData.item(i, -1, payload);
  }

  /** The key of unit {@code i} of a dataset. */
  static Key key(int i, boolean sorted) {
    return sorted
        ? Key.of(
            BenchData.partitionKey(i / ITEMS_PER_PARTITION),
            BenchData.sortKey(i % ITEMS_PER_PARTITION))
        : Key.of(BenchData.partitionKey(i));
  }

  /** One line of the console summary. */
  static String line(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
