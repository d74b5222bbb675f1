package dev.coffer.bench.report;

import java.util.Locale;

/** Number and table formatting for the report. Stateless. */
final class Format {
  private Format() {}

  static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  /** A score: grouped digits, no decimals above 100, 3 significant digits below. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  static String fixed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * The spread of a ratio: {@code ± e} (JMH's propagated error, one round), or {@code [lo–hi] n
   * rounds} (the range of the per-round ratios).
   */
  static String spread(Ratio r) {
    if (r.rounds() == 1) {
      return "± " + fixed(r.error);
    }
    return "[" + fixed(r.lo) + "–" + fixed(r.hi) + ", " + r.rounds() + " rounds]";
  }

  /** Seconds per unit of a JMH time score's unit ({@code ms/op}, {@code us/op}, ...). */
  static double secondsPer(String unit) {
    String u = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
    switch (u) {
      case "s":
        return 1;
      case "ms":
        return 1e-3;
      case "us":
        return 1e-6;
      case "ns":
        return 1e-9;
      case "min":
        return 60;
      default:
        throw new IllegalArgumentException("not a time unit: " + unit);
    }
  }
}
