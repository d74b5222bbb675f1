package dev.coffer.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One entry of a JMH JSON result file ({@code -rf json}): one benchmark method, one param set. */
final class JmhResult {
  final String className; // simple name, e.g. CipherBenchmark
  final String method;
  final String mode;
  final int threads;
  final Map<String, String> params;
  final Metric primary;
  final Map<String, Metric> secondary;
  final String jdkVersion;
  final String vmName;
  final String jmhVersion;
  final String source; // the JSON file it came from

  /** The {@code bench/run.sh} round the file belongs to ({@code -r<N>-} in its name), or 0. */
  final int round;

  private JmhResult(
      String className,
      String method,
      String mode,
      int threads,
      Map<String, String> params,
      Metric primary,
      Map<String, Metric> secondary,
      String jdkVersion,
      String vmName,
      String jmhVersion,
      String source,
      int round) {
    this.className = className;
    this.method = method;
    this.mode = mode;
    this.threads = threads;
    this.params = Collections.unmodifiableMap(params);
    this.primary = primary;
    this.secondary = Collections.unmodifiableMap(secondary);
    this.jdkVersion = jdkVersion;
    this.vmName = vmName;
    this.jmhVersion = jmhVersion;
    this.source = source;
    this.round = round;
  }

  String param(String name) {
    return params.get(name);
  }

  /**
   * The params without {@code name}, in name order: the key that pairs a competitor with its
   * baseline.
   */
  Map<String, String> paramsWithout(String name) {
    Map<String, String> rest = new TreeMap<>(params);
    rest.remove(name);
    return rest;
  }

  /**
   * A score and its error (JMH's 99.9% confidence half-width; NaN with fewer than 2 iterations).
   */
  static final class Metric {
    final double score;
    final double error;
    final String unit;

    /** The largest single-iteration value in {@code rawData} (NaN when absent). */
    final double rawMax;

    /** The mean single-iteration value in {@code rawData} (NaN when absent). */
    final double rawMean;

    Metric(double score, double error, String unit, double rawMax, double rawMean) {
      this.score = score;
      this.error = error;
      this.unit = unit;
      this.rawMax = rawMax;
      this.rawMean = rawMean;
    }
  }

  /** The round in a result file's name: {@code <stamp>-r<N>-<name>.json}; 0 when absent. */
  static int roundOf(String fileName) {
    Matcher m = ROUND.matcher(fileName);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static final Pattern ROUND = Pattern.compile("-r(\\d+)[-.]");

  static List<JmhResult> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<JmhResult> out = new ArrayList<>();
    int round = roundOf(file.getFileName().toString());
    for (JsonNode n : root) {
      String fqn = n.path("benchmark").asText();
      int dot = fqn.lastIndexOf('.');
      String cls = fqn.substring(0, dot);
      cls = cls.substring(cls.lastIndexOf('.') + 1);
      Map<String, String> params = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("params").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        params.put(e.getKey(), e.getValue().asText());
      }
      Map<String, Metric> secondary = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("secondaryMetrics").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        secondary.put(e.getKey(), metric(e.getValue()));
      }
      out.add(
          new JmhResult(
              cls,
              fqn.substring(dot + 1),
              n.path("mode").asText(),
              n.path("threads").asInt(1),
              params,
              metric(n.path("primaryMetric")),
              secondary,
              n.path("jdkVersion").asText(""),
              n.path("vmName").asText(""),
              n.path("jmhVersion").asText(""),
              file.getFileName().toString(),
              round));
    }
    return out;
  }

  private static Metric metric(JsonNode m) {
    double rawMax = Double.NaN;
    double rawSum = 0;
    int rawCount = 0;
    for (JsonNode fork : m.path("rawData")) {
      for (JsonNode v : fork) {
        double d = number(v);
        rawMax = Double.isNaN(rawMax) ? d : Math.max(rawMax, d);
        rawSum += d;
        rawCount++;
      }
    }
    return new Metric(
        number(m.path("score")),
        number(m.path("scoreError")),
        m.path("scoreUnit").asText(""),
        rawMax,
        rawCount == 0 ? Double.NaN : rawSum / rawCount);
  }

  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    try {
      return Double.parseDouble(n.asText("NaN"));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
