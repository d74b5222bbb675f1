package dev.coffer.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A subject's JMH results over its baseline's, round by round: {@code bench/run.sh} runs every
 * competitor once per round (a round is one JMH invocation per class, or one JVM per store), so
 * each round gives one ratio taken from scores measured close together, and load that drifts
 * between rounds does not enter a ratio. {@link #value} is the median of the per-round ratios;
 * {@link #lo} and {@link #hi} their range; with a single round, JMH's error of both scores,
 * propagated, gives the range instead. Immutable.
 */
final class Ratio {
  /** The subject's result in the first round (params, method, threads). */
  final JmhResult subject;

  /** The baseline's result in the first round. */
  final JmhResult baseline;

  final List<JmhResult> subjects;
  final List<JmhResult> baselines;

  /** Median of the per-round ratios. */
  final double value;

  /** JMH's error propagated from both scores (one round), else NaN. */
  final double error;

  final double lo;
  final double hi;

  private Ratio(
      List<JmhResult> subjects,
      List<JmhResult> baselines,
      boolean slowdown,
      ToDoubleFunction<JmhResult> score) {
    this.subjects = List.copyOf(subjects);
    this.baselines = List.copyOf(baselines);
    this.subject = subjects.get(0);
    this.baseline = baselines.get(0);
    double[] perRound = new double[subjects.size()];
    for (int i = 0; i < perRound.length; i++) {
      double a = score.applyAsDouble(subjects.get(i));
      double b = score.applyAsDouble(baselines.get(i));
      perRound[i] = slowdown ? b / a : a / b;
    }
    double[] s = perRound.clone();
    Arrays.sort(s);
    int n = s.length;
    this.value = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    if (n == 1) {
      JmhResult a = subject;
      JmhResult b = baseline;
      this.error =
          value
              * Math.sqrt(
                  sq(a.primary.error / a.primary.score) + sq(b.primary.error / b.primary.score));
      this.lo = Double.isNaN(error) ? value : value - error;
      this.hi = Double.isNaN(error) ? value : value + error;
    } else {
      this.error = Double.NaN;
      this.lo = s[0];
      this.hi = s[n - 1];
    }
  }

  boolean isBaseline() {
    return subjects.equals(baselines);
  }

  int rounds() {
    return subjects.size();
  }

  /** The subject's primary score, averaged over rounds. */
  double subjectScore() {
    return mean(subjects, r -> r.primary.score);
  }

  /** The baseline's primary score, averaged over rounds. */
  double baselineScore() {
    return mean(baselines, r -> r.primary.score);
  }

  /** JMH's error of the subject's score (one round), else NaN. */
  double subjectError() {
    return subjects.size() == 1 ? subject.primary.error : Double.NaN;
  }

  double baselineError() {
    return baselines.size() == 1 ? baseline.primary.error : Double.NaN;
  }

  /** A secondary metric of the subject (or the baseline), averaged over rounds; NaN when absent. */
  static double secondary(List<JmhResult> rs, String name) {
    return mean(
        rs,
        r -> {
          JmhResult.Metric m = r.secondary.get(name);
          return m == null ? Double.NaN : m.score;
        });
  }

  /**
   * The per-round ratio of a secondary metric (subject over baseline, a cost: 2.0 = twice the
   * baseline's), median over rounds; NaN when either side lacks it.
   */
  double secondaryRatio(String name) {
    double[] perRound = new double[subjects.size()];
    for (int i = 0; i < perRound.length; i++) {
      JmhResult.Metric a = subjects.get(i).secondary.get(name);
      JmhResult.Metric b = baselines.get(i).secondary.get(name);
      if (a == null || b == null) {
        return Double.NaN;
      }
      perRound[i] = a.score / b.score;
    }
    Arrays.sort(perRound);
    int n = perRound.length;
    return n % 2 == 1 ? perRound[n / 2] : (perRound[n / 2 - 1] + perRound[n / 2]) / 2;
  }

  private static double mean(List<JmhResult> rs, ToDoubleFunction<JmhResult> f) {
    return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static double sq(double x) {
    return x * x;
  }

  /** Pairs by a constant baseline value of {@code param}. */
  static List<Ratio> pair(
      List<JmhResult> rs, String param, String baselineValue, boolean slowdown) {
    return pair(rs, param, v -> baselineValue, slowdown);
  }

  /**
   * Pairs every result with its baseline: the result of the same round, class, method, thread count
   * and params except {@code param}, whose {@code param} is {@code baselineOf} of the subject's
   * value. Per-round ratios of the primary score (subject/baseline, or baseline/subject when {@code
   * slowdown}) are aggregated over the rounds in which both ran. Results without a baseline are
   * dropped; a baseline pairs with itself.
   */
  static List<Ratio> pair(
      List<JmhResult> rs, String param, Function<String, String> baselineOf, boolean slowdown) {
    Map<String, JmhResult> byKey = new LinkedHashMap<>();
    for (JmhResult r : rs) {
      byKey.put(key(r, param, r.param(param), true), r);
    }
    Map<String, List<JmhResult[]>> groups = new LinkedHashMap<>();
    for (JmhResult r : rs) {
      String value = r.param(param);
      if (value == null) {
        continue;
      }
      String base = baselineOf.apply(value);
      if (base == null) {
        continue;
      }
      JmhResult b = byKey.get(key(r, param, base, true));
      if (b != null) {
        groups
            .computeIfAbsent(key(r, param, value, false), k -> new ArrayList<>())
            .add(new JmhResult[] {r, b});
      }
    }
    List<Ratio> out = new ArrayList<>();
    for (List<JmhResult[]> g : groups.values()) {
      g.sort((x, y) -> Integer.compare(x[0].round, y[0].round));
      List<JmhResult> subjects = new ArrayList<>();
      List<JmhResult> baselines = new ArrayList<>();
      for (JmhResult[] p : g) {
        subjects.add(p[0]);
        baselines.add(p[1]);
      }
      out.add(new Ratio(subjects, baselines, slowdown, r -> r.primary.score));
    }
    return out;
  }

  /**
   * Pairs the results of method {@code subjectMethod} with those of {@code baselineMethod} of the
   * same round, class, thread count and params (two operations measured in one JVM against one
   * store, e.g. a conditional put against a put), aggregated over rounds as {@link #pair} does.
   */
  static List<Ratio> methods(
      List<JmhResult> rs, String subjectMethod, String baselineMethod, boolean slowdown) {
    Map<String, JmhResult> baselines = new LinkedHashMap<>();
    for (JmhResult r : rs) {
      if (r.method.equals(baselineMethod)) {
        baselines.put(r.className + "|" + r.threads + "|" + r.params + "|r" + r.round, r);
      }
    }
    Map<String, List<JmhResult[]>> groups = new LinkedHashMap<>();
    for (JmhResult r : rs) {
      JmhResult b =
          r.method.equals(subjectMethod)
              ? baselines.get(r.className + "|" + r.threads + "|" + r.params + "|r" + r.round)
              : null;
      if (b != null) {
        groups
            .computeIfAbsent(r.className + "|" + r.threads + "|" + r.params, k -> new ArrayList<>())
            .add(new JmhResult[] {r, b});
      }
    }
    List<Ratio> out = new ArrayList<>();
    for (List<JmhResult[]> g : groups.values()) {
      g.sort((x, y) -> Integer.compare(x[0].round, y[0].round));
      List<JmhResult> subjects = new ArrayList<>();
      List<JmhResult> bs = new ArrayList<>();
      for (JmhResult[] p : g) {
        subjects.add(p[0]);
        bs.add(p[1]);
      }
      out.add(new Ratio(subjects, bs, slowdown, x -> x.primary.score));
    }
    return out;
  }

  private static String key(JmhResult r, String param, String value, boolean withRound) {
    return r.className
        + "|"
        + r.method
        + "|"
        + r.threads
        + "|"
        + r.paramsWithout(param)
        + "|"
        + param
        + "="
        + value
        + (withRound ? "|r" + r.round : "");
  }
}
