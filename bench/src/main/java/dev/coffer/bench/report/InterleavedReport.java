package dev.coffer.bench.report;

import static dev.coffer.bench.report.Format.fixed;
import static dev.coffer.bench.report.Format.num;
import static dev.coffer.bench.report.Format.row;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The report's section for one {@code InterleavedRunner} result file: ratio tables (median of
 * per-round ratios with their interquartile range), latency, allocation, bytes on disk, the chart
 * of ratios against item count, and issue 14's targets. Not thread-safe; used once.
 */
final class InterleavedReport {
  private static final String[] PAIRS = {"coffer-cache-off", "coffer-cache-on"};

  private final JsonNode run;
  private final String profile;
  private final Path outDir;
  private final StringBuilder md;
  private final List<TargetCheck> checks;

  /** Every (dataset, op, pair) of the run. */
  private final List<Cell> cells = new ArrayList<>();

  InterleavedReport(
      JsonNode run, String profile, Path outDir, StringBuilder md, List<TargetCheck> checks) {
    this.run = run;
    this.profile = profile;
    this.outDir = outDir;
    this.md = md;
    this.checks = checks;
    for (JsonNode d : run.path("datasets")) {
      for (JsonNode op : d.path("ops")) {
        for (JsonNode p : op.path("pairs")) {
          cells.add(new Cell(d, op, p));
        }
      }
    }
  }

  /** One operation of one dataset, one Coffer store against its baseline. */
  static final class Cell {
    final int items;
    final String layout;
    final String payload;
    final String op;
    final String subject;
    final String baseline;
    final JsonNode dataset;
    final JsonNode opNode;
    final JsonNode pair;

    Cell(JsonNode dataset, JsonNode opNode, JsonNode pair) {
      this.dataset = dataset;
      this.opNode = opNode;
      this.pair = pair;
      this.items = dataset.path("items").asInt();
      this.layout = dataset.path("layout").asText();
      this.payload = dataset.path("payload").asText();
      this.op = opNode.path("op").asText();
      this.subject = pair.path("subject").asText();
      this.baseline = pair.path("baseline").asText();
    }

    double median(String metric) {
      return pair.path(metric).path("median").asDouble(Double.NaN);
    }

    double q1(String metric) {
      return pair.path(metric).path("q1").asDouble(Double.NaN);
    }

    double q3(String metric) {
      return pair.path(metric).path("q3").asDouble(Double.NaN);
    }

    /** {@code 1.23x [1.10–1.31]}: median and interquartile range of the per-round ratios. */
    String ratio(String metric) {
      return fixed(median(metric)) + "x [" + fixed(q1(metric)) + "–" + fixed(q3(metric)) + "]";
    }

    JsonNode store(String name) {
      return opNode.path("stores").path(name);
    }

    double perUnit(String name, String metric) {
      return store(name).path(metric).path("median").asDouble(Double.NaN);
    }

    String pairName() {
      return subject.endsWith("cache-on") ? "cache on" : "cache off";
    }
  }

  void write() throws IOException {
    JsonNode c = run.path("config");
    md.append("## Coffer vs plain RocksDB, interleaved (`InterleavedRunner`)\n\n");
    md.append("Coffer and plain RocksDB take turns in one JVM, in rounds (")
        .append(c.path("warmupRounds").asInt())
        .append(" warm-up and ")
        .append(c.path("rounds").asInt())
        .append(" measured rounds; ")
        .append(num(c.path("opsPerTurn").asDouble()))
        .append(" units per turn, ")
        .append(c.path("itemBytes").asInt())
        .append(
            " B items). In each round every store does the same operations on the same keys, in an ")
        .append(
            "order that alternates between rounds, so load that drifts over the run affects both sides ")
        .append(
            "of a ratio alike. Each ratio is Coffer's cost per unit over its baseline's within a round; ")
        .append(
            "the tables give the median of the per-round ratios and their interquartile range `[q1–q3]`. ")
        .append(
            "Two pairs with the same memory on both sides: `cache off` = `coffer-cache-off` (no page ")
        .append("cache) against `rocksdb` (the engine's RocksDB options and block cache, ")
        .append(num(run.path("engineBlockCacheBytes").asDouble() / (1 << 20)))
        .append(" MiB); `cache on` = ")
        .append("`coffer-cache-on` (")
        .append(num(c.path("cacheBytes").asDouble() / (1 << 20)))
        .append(" MiB page cache) against `rocksdb-cache-on` (block cache larger by as much).\n\n");
    md.append("- `thread CPU`: the measuring thread's CPU time per unit (foreground work).\n")
        .append(
            "- `process CPU`: the whole process's CPU time from the start of a turn until the process ")
        .append(
            "is quiet again (every thread: flushes, compactions, GC, JIT, any background work), per ")
        .append(
            "unit. The harness waits for quiet after every turn, so no store's background work runs ")
        .append("in another's turn. Targets are judged on this.\n")
        .append(
            "- `p50`, `p99`: latency of single calls (put, get: one item; query: one partition of 100 ")
        .append("items; scan: one page of up to 1,000 items), over all measured rounds.\n")
        .append("- `alloc`: bytes allocated by the measuring thread per unit.\n")
        .append(
            "- Units: put, get, scan per item; query per query of a whole partition (100 items).\n")
        .append(
            "- Leaves out: concurrency (one thread), deletes, conditional writes, durable (synced) ")
        .append("writes, items other than ")
        .append(c.path("itemBytes").asInt())
        .append(" B, and work a store ")
        .append("defers past the quiet period (")
        .append(c.path("quietSamples").asInt())
        .append(" samples of ")
        .append(c.path("quietSampleMillis").asInt())
        .append(" ms under ")
        .append(c.path("quietCpuPercent").asInt())
        .append("% of a core).\n\n");
    md.append("Run ")
        .append(run.path("started").asText())
        .append(" to ")
        .append(run.path("finished").asText())
        .append(", JDK ")
        .append(run.path("jdk").asText())
        .append(", ")
        .append(run.path("processors").asInt())
        .append(" processors, load average ")
        .append(fixed(run.path("loadAverageAtStart").asDouble()))
        .append(" at the start and ")
        .append(fixed(run.path("loadAverageAtEnd").asDouble()))
        .append(" at the end.\n\n");
    ratioTable();
    diskTable();
    fillTable();
    charts();
    targets();
  }

  private void ratioTable() {
    md.append("### Cost ratios (Coffer / RocksDB)\n\n");
    md.append(
        "| items | layout | payload | op | pair | process CPU | thread CPU | Coffer / RocksDB process CPU"
            + " (µs/unit) | p50 (µs) | p99 (µs) | p99 ratio | alloc (B/unit) | alloc ratio |\n");
    md.append(
        "| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | ---: | --- | ---: |\n");
    for (Cell x : cells) {
      md.append(
          row(
              num(x.items),
              x.layout,
              x.payload,
              x.op,
              x.pairName(),
              x.ratio("processCpuNanosPerUnit"),
              x.ratio("threadCpuNanosPerUnit"),
              fixed(x.perUnit(x.subject, "processCpuNanosPerUnit") / 1e3)
                  + " / "
                  + fixed(x.perUnit(x.baseline, "processCpuNanosPerUnit") / 1e3),
              fixed(x.store(x.subject).path("p50Nanos").asDouble() / 1e3)
                  + " / "
                  + fixed(x.store(x.baseline).path("p50Nanos").asDouble() / 1e3),
              fixed(x.store(x.subject).path("p99Nanos").asDouble() / 1e3)
                  + " / "
                  + fixed(x.store(x.baseline).path("p99Nanos").asDouble() / 1e3),
              fixed(x.pair.path("p99").asDouble()),
              num(x.perUnit(x.subject, "allocatedBytesPerUnit"))
                  + " / "
                  + num(x.perUnit(x.baseline, "allocatedBytesPerUnit")),
              fixed(x.median("allocatedBytesPerUnit"))));
    }
    md.append('\n');
    for (JsonNode d : run.path("datasets")) {
      JsonNode a = d.path("cpuAccounting");
      if (!a.isMissingNode() && a.path("processNanos").asLong() > 0) {
        md.append(
            String.format(
                Locale.ROOT,
                "CPU attributed to turns, %s items %s %s: %.1f%% of the process's "
                    + "(the rest: the harness's polling while it waits for quiet, and its own bookkeeping).  \n",
                num(d.path("items").asDouble()),
                d.path("layout").asText(),
                d.path("payload").asText(),
                100.0
                    * a.path("attributedToTurnsNanos").asDouble()
                    / a.path("processNanos").asDouble()));
      }
    }
    md.append('\n');
  }

  private void diskTable() {
    md.append("### Bytes on disk per item\n\n");
    md.append(
            "Every file of each store's directory over the item count, once background work is over: ")
        .append(
            "after the fill (flushed, not compacted), after the rounds (whose puts overwrite), and ")
        .append(
            "after a full compaction (RocksDB: flush and a forced compaction of every file; Coffer has ")
        .append(
            "no public compaction call, so: `rotateDataKey()` + `reencrypt()`, which re-seals every ")
        .append("record at the same size and force-compacts the table).\n\n");
    md.append(
        "| items | layout | payload | after fill: Coffer / RocksDB | ratio | after rounds | ratio |"
            + " compacted | ratio |\n");
    md.append("| ---: | --- | --- | --- | ---: | --- | ---: | --- | ---: |\n");
    for (JsonNode d : run.path("datasets")) {
      JsonNode disk = d.path("diskBytesPerItem");
      List<String> cellsOut =
          new ArrayList<>(
              List.of(
                  num(d.path("items").asDouble()),
                  d.path("layout").asText(),
                  d.path("payload").asText()));
      for (String when : List.of("afterFill", "afterRounds", "compacted")) {
        double coffer = disk.path(when).path("coffer-cache-off").asDouble(Double.NaN);
        double rocks = disk.path(when).path("rocksdb").asDouble(Double.NaN);
        cellsOut.add(num(coffer) + " / " + num(rocks));
        cellsOut.add(fixed(coffer / rocks));
      }
      md.append(row(cellsOut.toArray(new String[0])));
    }
    md.append('\n');
  }

  private void fillTable() {
    md.append("### Fill (not a target: how the datasets were made)\n\n");
    md.append("| items | layout | payload | store | seconds | process CPU µs/item |\n");
    md.append("| ---: | --- | --- | --- | ---: | ---: |\n");
    for (JsonNode d : run.path("datasets")) {
      d.path("fill")
          .fields()
          .forEachRemaining(
              e ->
                  md.append(
                      row(
                          num(d.path("items").asDouble()),
                          d.path("layout").asText(),
                          d.path("payload").asText(),
                          e.getKey(),
                          fixed(e.getValue().path("seconds").asDouble()),
                          fixed(e.getValue().path("processCpuNanosPerItem").asDouble() / 1e3))));
    }
    md.append('\n');
  }

  private void charts() throws IOException {
    md.append("### Ratio against item count\n\n");
    md.append(
            "Median process-CPU ratio per item count; bars: half the interquartile range; dashed: the ")
        .append(
            "targets (1.3x without a sort key, query and scan; 1.5x for put and get in 100-item partitions).\n\n");
    for (String payload : List.of("random", "compressible")) {
      for (String subject : PAIRS) {
        List<Charts.Line> lines = new ArrayList<>();
        Map<String, TreeMap<Integer, Cell>> series = new LinkedHashMap<>();
        for (Cell x : cells) {
          if (x.payload.equals(payload) && x.subject.equals(subject)) {
            series.computeIfAbsent(x.layout + " " + x.op, k -> new TreeMap<>()).put(x.items, x);
          }
        }
        for (Map.Entry<String, TreeMap<Integer, Cell>> e : series.entrySet()) {
          double[] xs = e.getValue().keySet().stream().mapToDouble(i -> i).toArray();
          double[] ys =
              e.getValue().values().stream()
                  .mapToDouble(x -> x.median("processCpuNanosPerUnit"))
                  .toArray();
          double[] err =
              e.getValue().values().stream()
                  .mapToDouble(
                      x -> (x.q3("processCpuNanosPerUnit") - x.q1("processCpuNanosPerUnit")) / 2)
                  .toArray();
          lines.add(new Charts.Line(e.getKey(), xs, ys, err));
        }
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("target 1.3x", 1.3);
        targets.put("target 1.5x", 1.5);
        String png = profile + "-scaling-" + payload + "-" + subject + ".png";
        if (Charts.scaling(
            lines,
            targets,
            "Coffer ("
                + subject
                + ") / RocksDB, process CPU per unit, "
                + payload
                + " payload ("
                + profile
                + ")",
            "ratio (lower is better)",
            outDir.resolve(png))) {
          md.append("![ratio against item count, ")
              .append(payload)
              .append(", ")
              .append(subject)
              .append("](")
              .append(png)
              .append(")\n");
        }
      }
    }
    md.append('\n');
  }

  private void targets() {
    List<Integer> counts = cells.stream().map(x -> x.items).distinct().sorted().toList();
    for (int n : counts) {
      opTarget(n, "pk-only", "put", 1.3);
      opTarget(n, "pk-only", "get", 1.3);
      opTarget(n, "100-per-partition", "put", 1.5);
      opTarget(n, "100-per-partition", "get", 1.5);
      opTarget(n, "100-per-partition", "query", 1.3);
      opTarget(n, "100-per-partition", "scan", 1.3);
      for (String layout : List.of("pk-only", "100-per-partition")) {
        target(
            "p99 put latency <= 5x RocksDB's (" + layout + ", " + num(n) + " items)",
            x -> x.items == n && x.layout.equals(layout) && x.op.equals("put"),
            x -> x.pair.path("p99").asDouble(),
            x -> fixed(x.pair.path("p99").asDouble()) + "x",
            5.0);
      }
      target(
          "allocation per operation <= 2x RocksDB's (" + num(n) + " items, every op)",
          x -> x.items == n,
          x -> x.median("allocatedBytesPerUnit"),
          x -> x.op + " " + fixed(x.median("allocatedBytesPerUnit")) + "x",
          2.0);
      for (String payload : List.of("compressible", "random")) {
        diskTarget(n, payload, payload.equals("compressible") ? 1.2 : 1.4);
      }
    }
    if (counts.size() > 1) {
      Map<String, List<Cell>> series = new LinkedHashMap<>();
      for (Cell x : cells) {
        series
            .computeIfAbsent(
                x.layout + " " + x.op + ", " + x.payload + ", " + x.pairName(),
                k -> new ArrayList<>())
            .add(x);
      }
      for (Map.Entry<String, List<Cell>> e : series.entrySet()) {
        double min =
            e.getValue().stream()
                .mapToDouble(x -> x.median("processCpuNanosPerUnit"))
                .min()
                .orElse(Double.NaN);
        double max =
            e.getValue().stream()
                .mapToDouble(x -> x.median("processCpuNanosPerUnit"))
                .max()
                .orElse(Double.NaN);
        checks.add(
            TargetCheck.atMost(
                "ratio flat within 20% from "
                    + num(counts.get(0))
                    + " to "
                    + num(counts.get(counts.size() - 1))
                    + " items ("
                    + e.getKey()
                    + ")",
                max / min,
                max / min,
                max / min,
                String.format(Locale.ROOT, "max/min %.2f (%.2fx to %.2fx)", max / min, min, max),
                1.2));
      }
    }
  }

  private void opTarget(int n, String layout, String op, double max) {
    target(
        (layout.equals("pk-only") ? "no sort key" : "100-item partitions")
            + ", "
            + op
            + " <= "
            + max
            + "x RocksDB, process CPU ("
            + num(n)
            + " items)",
        x -> x.items == n && x.layout.equals(layout) && x.op.equals(op),
        x -> x.median("processCpuNanosPerUnit"),
        x -> x.ratio("processCpuNanosPerUnit"),
        max);
  }

  /** One target over several cells: met when every cell is; the spread counts a cell's IQR. */
  private void target(
      String name,
      Predicate<Cell> which,
      ToDoubleFunction<Cell> value,
      Function<Cell, String> shown,
      double max) {
    List<Cell> xs = cells.stream().filter(which).toList();
    if (xs.isEmpty()) {
      return;
    }
    StringBuilder measured = new StringBuilder();
    boolean met = true;
    boolean within = false;
    for (Cell x : xs) {
      double v = value.applyAsDouble(x);
      met &= v <= max;
      double q1 = x.q1("processCpuNanosPerUnit");
      double q3 = x.q3("processCpuNanosPerUnit");
      within |= name.contains("process CPU") && q1 <= max && q3 > max;
      if (measured.length() > 0) {
        measured.append("; ");
      }
      measured
          .append(x.payload)
          .append(", ")
          .append(x.pairName())
          .append(": ")
          .append(shown.apply(x));
    }
    String status = (met ? "met" : "MISSED") + (within ? " (threshold within the spread)" : "");
    checks.add(new TargetCheck(name, measured.toString(), status));
  }

  private void diskTarget(int n, String payload, double max) {
    for (JsonNode d : run.path("datasets")) {
      if (d.path("items").asInt() != n || !d.path("payload").asText().equals(payload)) {
        continue;
      }
      JsonNode compacted = d.path("diskBytesPerItem").path("compacted");
      String when = compacted.isMissingNode() ? "afterRounds" : "compacted";
      JsonNode disk = d.path("diskBytesPerItem").path(when);
      double ratio =
          disk.path("coffer-cache-off").asDouble(Double.NaN)
              / disk.path("rocksdb").asDouble(Double.NaN);
      checks.add(
          TargetCheck.atMost(
              "bytes on disk per item <= "
                  + max
                  + "x on "
                  + payload
                  + " data ("
                  + num(n)
                  + " items, "
                  + d.path("layout").asText()
                  + ", "
                  + when
                  + ")",
              ratio,
              ratio,
              ratio,
              fixed(ratio)
                  + "x ("
                  + num(disk.path("coffer-cache-off").asDouble())
                  + " / "
                  + num(disk.path("rocksdb").asDouble())
                  + " B)",
              max));
    }
  }
}
