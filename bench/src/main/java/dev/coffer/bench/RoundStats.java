package dev.coffer.bench;

import java.util.Arrays;

/**
 * Order statistics of per-round values (ratios, per-operation costs) and of latency samples.
 * Quantiles interpolate linearly between order statistics (type 7, R's and NumPy's default).
 * Stateless and thread-safe.
 */
final class RoundStats {
  private RoundStats() {}

  /** The {@code q}-quantile ({@code 0 <= q <= 1}) of {@code values}; NaN when empty. */
  static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return sortedQuantile(s, q);
  }

  private static double sortedQuantile(double[] s, double q) {
    double h = (s.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = (int) Math.ceil(h);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /** The {@code q}-quantile of latency samples (nanoseconds), by nearest rank; 0 when empty. */
  static long percentile(long[] samples, int count, double q) {
    if (count == 0) {
      return 0;
    }
    long[] s = Arrays.copyOf(samples, count);
    Arrays.sort(s);
    int rank = (int) Math.ceil(q * count);
    return s[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  /** {@code a[i] / b[i]} for every round. */
  static double[] ratios(double[] a, double[] b) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] / b[i];
    }
    return r;
  }

  /** Median, quartiles and range of per-round values. */
  static final class Summary {
    final double median;
    final double q1;
    final double q3;
    final double min;
    final double max;
    final int n;

    Summary(double[] values) {
      double[] s = values.clone();
      Arrays.sort(s);
      this.n = s.length;
      this.median = n == 0 ? Double.NaN : sortedQuantile(s, 0.5);
      this.q1 = n == 0 ? Double.NaN : sortedQuantile(s, 0.25);
      this.q3 = n == 0 ? Double.NaN : sortedQuantile(s, 0.75);
      this.min = n == 0 ? Double.NaN : s[0];
      this.max = n == 0 ? Double.NaN : s[n - 1];
    }
  }
}
