package dev.coffer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.Item;
import dev.coffer.Key;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One dataset of {@link InterleavedRunner}: fill, copy, rounds of turns, bytes on disk. Not
 * thread-safe (one measuring thread).
 */
final class Dataset {
  private final InterleavedRunner runner;
  private final InterleavedRunner.Config config;
  private final int items;
  private final String layout;
  private final String payload;
  private final boolean sorted;
  private final byte[][] payloads;
  private final List<String> ops = new ArrayList<>();
  private final Path scratch;
  private final List<ItemStore> stores = new ArrayList<>();

  /**
   * Warm-up ends (after the configured minimum) once the JIT compiled for at most this share of a
   * round's process CPU.
   */
  static final double JIT_QUIET_PERCENT = 2.0;

  /** Process CPU attributed to measured turns, to compare with the process's total meanwhile. */
  private long attributedCpu;

  Dataset(InterleavedRunner runner, int items, String layout, String payload) {
    this.runner = runner;
    this.config = runner.config();
    this.items = items;
    this.layout = layout;
    this.payload = payload;
    this.sorted = InterleavedRunner.PER_PARTITION.equals(layout);
    this.payloads = BenchData.payloads(config.itemBytes, sorted, 42, payload);
    for (String op : config.ops) {
      if (sorted || op.equals("put") || op.equals("get")) {
        ops.add(op);
      }
    }
    this.scratch = BenchData.scratchDir("interleaved-");
  }

  /** Runs the dataset; returns its JSON. */
  ObjectNode run() {
    System.out.println(
        InterleavedRunner.line("== %,d items, %s, %s payload", items, layout, payload));
    long started = System.nanoTime();
    ObjectNode out = runner.json().createObjectNode();
    out.put("items", items);
    out.put("layout", layout);
    out.put("payload", payload);
    out.put("itemBytes", config.itemBytes);
    ObjectNode disk = out.putObject("diskBytesPerItem");
    try {
      ItemStore.CofferKeys keys = ItemStore.CofferKeys.create();
      Map<String, Path> sources = fill(out.putObject("fill"), disk.putObject("afterFill"), keys);
      for (int i = 0; i < config.stores.size(); i++) {
        String name = config.stores.get(i);
        String family = family(name);
        Path dir = scratch.resolve(name);
        boolean lastUser =
            config.stores.subList(i + 1, config.stores.size()).stream()
                .noneMatch(s -> family(s).equals(family));
        if (lastUser) {
          InterleavedRunner.moveTree(sources.get(family), dir);
        } else {
          InterleavedRunner.copyTree(sources.get(family), dir);
        }
        stores.add(ItemStore.open(name, sorted, config.cacheBytes, dir, keys));
      }
      ArrayNode opsJson = out.putArray("ops");
      Map<String, Recorder> recorders = new LinkedHashMap<>();
      for (String op : ops) {
        recorders.put(op, new Recorder(op, stores));
      }
      runner.meter().drain();
      int warmups = 0;
      double jitPercent = Double.POSITIVE_INFINITY;
      while (warmups < config.warmupRounds
          || (warmups < config.maxWarmupRounds && jitPercent > JIT_QUIET_PERCENT)) {
        long jit0 = jitMillis();
        long cpu0 = ProcessCpu.nanos();
        runRound(warmups, recorders, false);
        warmups++;
        jitPercent = 100.0 * (jitMillis() - jit0) * 1e6 / Math.max(1, ProcessCpu.nanos() - cpu0);
        System.out.println(
            InterleavedRunner.line(
                "  warm-up round %d: JIT compilation time %.1f%% of the round's process CPU",
                warmups, jitPercent));
      }
      out.put("warmupRoundsRun", warmups);
      long precise0 = ProcessCpu.nanos();
      long coarse0 = ProcessCpu.coarse();
      long jitStart = jitMillis();
      attributedCpu = 0;
      for (int round = 0; round < config.rounds; round++) {
        runRound(warmups + round, recorders, true);
        System.out.println(InterleavedRunner.line("  round %d of %d", round + 1, config.rounds));
      }
      out.put("jitMillisDuringRounds", jitMillis() - jitStart);
      ObjectNode accounting = out.putObject("cpuAccounting");
      accounting.put("attributedToTurnsNanos", attributedCpu);
      accounting.put("processNanos", ProcessCpu.nanos() - precise0);
      accounting.put("processCoarseNanos", ProcessCpu.coarse() - coarse0);
      accounting.put("precise", ProcessCpu.precise());
      System.out.println(
          InterleavedRunner.line(
              "  CPU attributed to turns: %.1f%% of the process's (clock ticks: %.1f%%)",
              100.0 * attributedCpu / (ProcessCpu.nanos() - precise0),
              100.0 * attributedCpu / (ProcessCpu.coarse() - coarse0)));
      for (Recorder r : recorders.values()) {
        opsJson.add(r.toJson(runner.json()));
        r.print();
      }
      ObjectNode after = disk.putObject("afterRounds");
      for (ItemStore s : stores) {
        s.settle();
        runner.meter().drain();
        after.put(s.name(), s.diskBytes() / (double) items);
      }
      if (config.compact) {
        ObjectNode compacted = disk.putObject("compacted");
        for (ItemStore s : stores) {
          if (s.name().equals(ItemStore.ROCKSDB) || s.name().equals(ItemStore.COFFER_CACHE_OFF)) {
            s.compactFully();
            runner.meter().drain();
            compacted.put(s.name(), s.diskBytes() / (double) items);
          }
        }
      }
      printDisk(disk);
      double seconds = (System.nanoTime() - started) / 1e9;
      out.put("seconds", seconds);
      System.out.println(InterleavedRunner.line("  dataset done in %.0f s", seconds));
      return out;
    } finally {
      stores.forEach(ItemStore::close);
      BenchData.deleteRecursively(scratch);
    }
  }

  /** One round: every operation, every store one turn, in an order that alternates by round. */
  private void runRound(int round, Map<String, Recorder> recorders, boolean measured) {
    List<ItemStore> order = new ArrayList<>(stores);
    if (round % 2 == 1) {
      Collections.reverse(order);
    }
    for (int o = 0; o < ops.size(); o++) {
      String op = ops.get(o);
      for (ItemStore s : order) {
        recorders.get(op).turn(s, new SplittableRandom(round * 1_000_003L + o), measured);
      }
    }
  }

  /** Milliseconds the JIT compiled so far (0 when the JVM does not say). */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  /** The store a competitor's data is copied from: plain RocksDB or Coffer. */
  private static String family(String store) {
    return store.startsWith("coffer") ? ItemStore.COFFER_CACHE_OFF : ItemStore.ROCKSDB;
  }

  /**
   * Fills plain RocksDB and Coffer with the dataset (same items, same shuffled order), flushes them
   * and waits for their background work; returns their closed directories.
   */
  private Map<String, Path> fill(
      ObjectNode fillJson, ObjectNode diskJson, ItemStore.CofferKeys keys) {
    int[] order = BenchData.shuffled(items, 7);
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String name : List.of(ItemStore.ROCKSDB, ItemStore.COFFER_CACHE_OFF)) {
      if (config.stores.stream().noneMatch(s -> family(s).equals(name))) {
        continue;
      }
      Path dir = scratch.resolve("fill-" + name);
      ItemStore s = ItemStore.open(name, sorted, 0, dir, keys);
      long wall0 = System.nanoTime();
      long cpu0 = CpuMeter.processCpu();
      for (int i : order) {
        s.put(InterleavedRunner.item(i, sorted, payloads[i % payloads.length]));
      }
      s.settle();
      runner.meter().drain();
      long cpu = CpuMeter.processCpu() - cpu0;
      double seconds = (System.nanoTime() - wall0) / 1e9;
      ObjectNode f = fillJson.putObject(name);
      f.put("seconds", seconds);
      f.put("processCpuNanosPerItem", cpu / (double) items);
      diskJson.put(name, s.diskBytes() / (double) items);
      System.out.println(
          InterleavedRunner.line(
              "  fill %-17s %6.1f s, %6.2f us CPU per item, %6.1f B on disk per item",
              name, seconds, cpu / 1e3 / items, s.diskBytes() / (double) items));
      s.closeKeepingFiles(); // the directory is copied for the competitors
      dirs.put(name, dir);
    }
    return dirs;
  }

  private void printDisk(ObjectNode disk) {
    disk.fields()
        .forEachRemaining(
            e -> {
              StringBuilder b = new StringBuilder("  disk " + e.getKey() + ":");
              e.getValue()
                  .fields()
                  .forEachRemaining(
                      s ->
                          b.append(
                              InterleavedRunner.line(
                                  " %s %.1f B/item", s.getKey(), s.getValue().asDouble())));
              System.out.println(b);
            });
  }

  /** The turns of one operation: costs per round and latencies per call, per store. */
  private final class Recorder {
    private final String op;
    private final Map<String, double[][]> perRound =
        new LinkedHashMap<>(); // store -> metric -> round
    private final Map<String, long[]> latencies = new LinkedHashMap<>();
    private final Map<String, Integer> latencyCount = new LinkedHashMap<>();
    private final Map<String, Integer> rounds = new LinkedHashMap<>();
    private final int calls;

    Recorder(String op, List<ItemStore> stores) {
      this.op = op;
      this.calls =
          op.equals("query")
              ? Math.max(1, config.opsPerTurn / InterleavedRunner.ITEMS_PER_PARTITION)
              : op.equals("scan")
                  ? (config.opsPerTurn + InterleavedRunner.SCAN_PAGE - 1)
                          / InterleavedRunner.SCAN_PAGE
                      + 1
                  : config.opsPerTurn;
      for (ItemStore s : stores) {
        perRound.put(s.name(), new double[Metric.values().length][config.rounds]);
        latencies.put(s.name(), new long[calls * config.rounds]);
        latencyCount.put(s.name(), 0);
        rounds.put(s.name(), 0);
      }
    }

    /** One turn of store {@code s}; recorded when {@code measured}. */
    void turn(ItemStore s, SplittableRandom random, boolean measured) {
      long[] lat = latencies.get(s.name());
      int off = latencyCount.get(s.name());
      int n = 0;
      long units = 0;
      CpuMeter.Turn t = runner.meter().start();
      switch (op) {
        case "put":
          for (; n < config.opsPerTurn; n++) {
            Item item =
                InterleavedRunner.item(
                    random.nextInt(items), sorted, payloads[random.nextInt(payloads.length)]);
            long t0 = System.nanoTime();
            s.put(item);
            long d = System.nanoTime() - t0;
            if (measured) {
              lat[off + n] = d;
            }
          }
          units = n;
          break;
        case "get":
          for (; n < config.opsPerTurn; n++) {
            Key key = InterleavedRunner.key(random.nextInt(items), sorted);
            long t0 = System.nanoTime();
            s.get(key);
            long d = System.nanoTime() - t0;
            if (measured) {
              lat[off + n] = d;
            }
          }
          units = n;
          break;
        case "query":
          for (; n < calls; n++) {
            String pk =
                BenchData.partitionKey(
                    random.nextInt(items / InterleavedRunner.ITEMS_PER_PARTITION));
            long t0 = System.nanoTime();
            int found = s.query(pk, null, 0).size();
            long d = System.nanoTime() - t0;
            if (found != InterleavedRunner.ITEMS_PER_PARTITION) {
              throw new IllegalStateException(
                  s.name() + " returned " + found + " items of partition " + pk);
            }
            if (measured) {
              lat[off + n] = d;
            }
          }
          units = n;
          break;
        case "scan":
          while (units < config.opsPerTurn && n < calls) {
            long t0 = System.nanoTime();
            int read = s.scanNext(InterleavedRunner.SCAN_PAGE);
            long d = System.nanoTime() - t0;
            if (measured) {
              lat[off + n] = d;
            }
            n++;
            units += read;
          }
          break;
        default:
          throw new IllegalArgumentException(op);
      }
      t.end();
      attributedCpu += t.processCpuNanos;
      if (!measured) {
        return;
      }
      int r = rounds.get(s.name());
      double[][] m = perRound.get(s.name());
      m[Metric.THREAD_CPU.ordinal()][r] = t.threadCpuNanos / (double) units;
      m[Metric.PROCESS_CPU.ordinal()][r] = t.processCpuNanos / (double) units;
      m[Metric.WALL.ordinal()][r] = t.wallNanos / (double) units;
      m[Metric.ALLOCATED.ordinal()][r] = t.allocatedBytes / (double) units;
      m[Metric.DRAIN.ordinal()][r] = t.drainNanos;
      rounds.put(s.name(), r + 1);
      latencyCount.put(s.name(), off + n);
    }

    ObjectNode toJson(ObjectMapper json) {
      ObjectNode o = json.createObjectNode();
      o.put("op", op);
      o.put("unit", op.equals("query") ? "query of 100 items" : "item");
      o.put(
          "callUnit",
          op.equals("scan")
              ? "page of up to " + InterleavedRunner.SCAN_PAGE + " items"
              : op.equals("query") ? "query" : "item");
      ObjectNode storesJson = o.putObject("stores");
      for (Map.Entry<String, double[][]> e : perRound.entrySet()) {
        ObjectNode s = storesJson.putObject(e.getKey());
        for (Metric m : Metric.values()) {
          double[] v = e.getValue()[m.ordinal()];
          s.set(m.json, summary(json, v));
        }
        long[] lat = latencies.get(e.getKey());
        int count = latencyCount.get(e.getKey());
        s.put("calls", count);
        s.put("p50Nanos", RoundStats.percentile(lat, count, 0.50));
        s.put("p99Nanos", RoundStats.percentile(lat, count, 0.99));
        s.put("maxNanos", RoundStats.percentile(lat, count, 1.0));
      }
      ArrayNode pairs = o.putArray("pairs");
      for (String subject : perRound.keySet()) {
        String baseline = ItemStore.baselineOf(subject);
        if (subject.equals(baseline) || !perRound.containsKey(baseline)) {
          continue;
        }
        ObjectNode p = pairs.addObject();
        p.put("subject", subject);
        p.put("baseline", baseline);
        for (Metric m : Metric.RATIOS) {
          p.set(
              m.json,
              summary(
                  json,
                  RoundStats.ratios(
                      perRound.get(subject)[m.ordinal()], perRound.get(baseline)[m.ordinal()])));
        }
        ObjectNode ss = (ObjectNode) storesJson.get(subject);
        ObjectNode bs = (ObjectNode) storesJson.get(baseline);
        p.put("p50", ss.get("p50Nanos").asDouble() / bs.get("p50Nanos").asDouble());
        p.put("p99", ss.get("p99Nanos").asDouble() / bs.get("p99Nanos").asDouble());
      }
      return o;
    }

    private ObjectNode summary(ObjectMapper json, double[] v) {
      RoundStats.Summary s = new RoundStats.Summary(v);
      ObjectNode n = json.createObjectNode();
      n.put("median", s.median);
      n.put("q1", s.q1);
      n.put("q3", s.q3);
      n.put("min", s.min);
      n.put("max", s.max);
      ArrayNode rounds = n.putArray("perRound");
      for (double x : v) {
        rounds.add(x);
      }
      return n;
    }

    void print() {
      System.out.println(
          InterleavedRunner.line(
              "  %-5s %-17s %12s %12s %10s %10s %10s",
              op, "store", "thread ns/u", "process ns/u", "alloc B/u", "p50 ns", "p99 ns"));
      for (Map.Entry<String, double[][]> e : perRound.entrySet()) {
        double[][] m = e.getValue();
        long[] lat = latencies.get(e.getKey());
        int count = latencyCount.get(e.getKey());
        System.out.println(
            InterleavedRunner.line(
                "  %-5s %-17s %12.0f %12.0f %10.0f %10d %10d",
                op,
                e.getKey(),
                RoundStats.median(m[Metric.THREAD_CPU.ordinal()]),
                RoundStats.median(m[Metric.PROCESS_CPU.ordinal()]),
                RoundStats.median(m[Metric.ALLOCATED.ordinal()]),
                RoundStats.percentile(lat, count, 0.5),
                RoundStats.percentile(lat, count, 0.99)));
      }
      for (String subject : perRound.keySet()) {
        String baseline = ItemStore.baselineOf(subject);
        if (subject.equals(baseline) || !perRound.containsKey(baseline)) {
          continue;
        }
        RoundStats.Summary thread =
            new RoundStats.Summary(
                RoundStats.ratios(
                    perRound.get(subject)[Metric.THREAD_CPU.ordinal()],
                    perRound.get(baseline)[Metric.THREAD_CPU.ordinal()]));
        RoundStats.Summary process =
            new RoundStats.Summary(
                RoundStats.ratios(
                    perRound.get(subject)[Metric.PROCESS_CPU.ordinal()],
                    perRound.get(baseline)[Metric.PROCESS_CPU.ordinal()]));
        System.out.println(
            InterleavedRunner.line(
                "  %-5s %s / %s: thread CPU %.2fx [%.2f-%.2f], process CPU %.2fx [%.2f-%.2f]",
                op,
                subject,
                baseline,
                thread.median,
                thread.q1,
                thread.q3,
                process.median,
                process.q1,
                process.q3));
      }
    }
  }

  /** What a turn records per unit. */
  enum Metric {
    THREAD_CPU("threadCpuNanosPerUnit"),
    PROCESS_CPU("processCpuNanosPerUnit"),
    WALL("wallNanosPerUnit"),
    ALLOCATED("allocatedBytesPerUnit"),
    DRAIN("drainNanos");

    static final List<Metric> RATIOS = List.of(THREAD_CPU, PROCESS_CPU, WALL, ALLOCATED);

    final String json;

    Metric(String json) {
      this.json = json;
    }
  }
}
