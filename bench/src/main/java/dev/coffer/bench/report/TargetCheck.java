package dev.coffer.bench.report;

/**
 * A target of issue 14 (or an earlier issue) and whether one run meets it: {@code met}, {@code
 * MISSED}, either with "threshold within the spread" when the range of the measurement (its
 * per-round range, or JMH's error with a single round) straddles the threshold. Immutable.
 */
final class TargetCheck {
  final String target;
  final String measured;
  final String status;

  TargetCheck(String target, String measured, String status) {
    this.target = target;
    this.measured = measured;
    this.status = status;
  }

  /** {@code value >= min}, with the measurement's range {@code lo..hi}. */
  static TargetCheck atLeast(
      String target, double value, double lo, double hi, String measured, double min) {
    return new TargetCheck(target, measured, status(value >= min, lo < min && hi >= min));
  }

  /** {@code value <= max}, with the measurement's range {@code lo..hi}. */
  static TargetCheck atMost(
      String target, double value, double lo, double hi, String measured, double max) {
    return new TargetCheck(target, measured, status(value <= max, lo <= max && hi > max));
  }

  static TargetCheck atLeast(String target, Ratio r, double min) {
    return atLeast(
        target, r.value, r.lo, r.hi, Format.fixed(r.value) + " " + Format.spread(r), min);
  }

  static TargetCheck atMost(String target, Ratio r, double max) {
    return atMost(
        target, r.value, r.lo, r.hi, Format.fixed(r.value) + "x " + Format.spread(r), max);
  }

  private static String status(boolean met, boolean withinSpread) {
    String s = met ? "met" : "MISSED";
    return withinSpread ? s + " (threshold within the spread)" : s;
  }
}
