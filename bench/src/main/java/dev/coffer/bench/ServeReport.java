package dev.coffer.bench;

import dev.coffer.bench.ServeBenchmark.Op;
import dev.coffer.bench.ServeBenchmark.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report of {@link ServeBenchmark}: per operation and target the median over rounds of p50,
 * p99, single-thread and concurrent throughput; then the two targets of issue 12, per HTTP client:
 * {@code coffer serve}'s concurrent throughput over dynalite's (target at least 20x), and its p50
 * minus the in-process p50 (target at most 60 µs).
 */
final class ServeReport {
  private ServeReport() {}

  static String markdown(
      ServeOptions o, List<String> targets, Map<String, List<Sample>> samples, List<String> notes) {
    StringBuilder sb = new StringBuilder();
    sb.append("## coffer serve benchmark (").append(ServeBenchmark.now()).append(")\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "%d rounds x %d timed calls on 1 thread (after %d warm-up calls), and %d"
                + " calls on %d threads sharing one client; %d partitions x %d items of ~%d bytes; %d cores; Java %s.%n%n",
            o.rounds(),
            o.ops(),
            o.warmup(),
            o.throughputOps(),
            o.threads(),
            o.partitions(),
            ServeBenchmark.ITEMS_PER_PARTITION,
            o.itemBytes(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version")));
    for (String n : notes) {
      sb.append("- ").append(n).append('\n');
    }
    if (!notes.isEmpty()) {
      sb.append('\n');
    }
    sb.append("| operation | target | p50 µs | p99 µs | client CPU µs/call | server CPU µs/call |")
        .append(" 1 thread calls/s | ")
        .append(o.threads())
        .append(" threads calls/s |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Op op : Op.values()) {
      for (String t : targets) {
        List<Sample> s = samples.get(t + "|" + op.label);
        if (s == null) {
          continue;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.1f | %.1f | %.1f | %s | %,.0f | %,.0f |%n",
                op.label,
                t,
                median(s, Sample::p50Micros),
                median(s, Sample::p99Micros),
                median(s, Sample::clientCpuMicros),
                Double.isNaN(median(s, Sample::serverCpuMicros))
                    ? "-"
                    : String.format(Locale.ROOT, "%.1f", median(s, Sample::serverCpuMicros)),
                median(s, Sample::singleOpsPerSecond),
                median(s, Sample::concurrentOpsPerSecond)));
      }
    }
    sb.append(
        "\n| operation | HTTP client | coffer serve / dynalite throughput (target >= 20x) |"
            + " wire p50 over in-process (target <= 60 µs) | wire p99 over in-process |"
            + " floor p50 (client + loopback, no server work) |\n"
            + "| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (Op op : Op.values()) {
      for (String client : o.clients()) {
        List<Sample> serve = samples.get("coffer-serve[" + client + "]|" + op.label);
        if (serve == null) {
          continue;
        }
        List<Sample> dyn = samples.get("dynalite[" + client + "]|" + op.label);
        List<Sample> local = samples.get("in-process|" + op.label);
        String ratio = dyn == null ? "n/a" : verdict(ratios(serve, dyn), 20, true, "%.1fx");
        String wire =
            local == null
                ? "n/a"
                : verdict(differences(serve, local, Sample::p50Micros), 60, false, "%.1f µs");
        String wire99 =
            local == null
                ? "n/a"
                : String.format(
                    Locale.ROOT, "%.1f µs", middle(differences(serve, local, Sample::p99Micros)));
        List<Sample> floor = samples.get("floor[" + client + "]|" + op.label);
        String floorP50 =
            floor == null
                ? "n/a"
                : String.format(Locale.ROOT, "%.1f µs", median(floor, Sample::p50Micros));
        sb.append("| ")
            .append(op.label)
            .append(" | ")
            .append(client)
            .append(" | ")
            .append(ratio)
            .append(" | ")
            .append(wire)
            .append(" | ")
            .append(wire99)
            .append(" | ")
            .append(floorP50)
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  /** Per round: serve's concurrent throughput over dynalite's. */
  private static List<Double> ratios(List<Sample> serve, List<Sample> dyn) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < Math.min(serve.size(), dyn.size()); i++) {
      r.add(serve.get(i).concurrentOpsPerSecond() / dyn.get(i).concurrentOpsPerSecond());
    }
    return r;
  }

  /** Per round: serve's percentile minus the in-process one. */
  private static List<Double> differences(
      List<Sample> serve, List<Sample> local, ToDoubleFunction<Sample> f) {
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < Math.min(serve.size(), local.size()); i++) {
      d.add(f.applyAsDouble(serve.get(i)) - f.applyAsDouble(local.get(i)));
    }
    return d;
  }

  private static double middle(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String verdict(
      List<Double> values, double target, boolean atLeast, String format) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    double m = sorted.get(sorted.size() / 2);
    boolean met = atLeast ? m >= target : m <= target;
    return String.format(Locale.ROOT, format, m)
        + String.format(
            Locale.ROOT,
            " (rounds " + format + " to " + format + ")",
            sorted.get(0),
            sorted.get(sorted.size() - 1))
        + (met ? " met" : " NOT met");
  }

  static double median(List<Sample> s, ToDoubleFunction<Sample> f) {
    double[] v = s.stream().mapToDouble(f).sorted().toArray();
    return v[v.length / 2];
  }
}
