package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundStatsTest {
  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    double[] v = {4, 1, 3, 2};
    assertThat(RoundStats.median(v)).isEqualTo(2.5);
    assertThat(RoundStats.quantile(v, 0.25)).isEqualTo(1.75);
    assertThat(RoundStats.quantile(v, 0.75)).isEqualTo(3.25);
    assertThat(RoundStats.quantile(new double[] {7}, 0.25)).isEqualTo(7);
    assertThat(RoundStats.quantile(new double[0], 0.5)).isNaN();
  }

  @Test
  void summaryGivesMedianQuartilesAndRange() {
    RoundStats.Summary s = new RoundStats.Summary(new double[] {1.0, 1.2, 1.1, 5.0, 0.9});
    assertThat(s.median).isEqualTo(1.1);
    assertThat(s.q1).isEqualTo(1.0);
    assertThat(s.q3).isEqualTo(1.2);
    assertThat(s.min).isEqualTo(0.9);
    assertThat(s.max).isEqualTo(5.0);
    assertThat(s.n).isEqualTo(5);
  }

  @Test
  void percentilesAreNearestRankOverTheRecordedSamples() {
    long[] samples = new long[200];
    for (int i = 0; i < 100; i++) {
      samples[i] = 100 - i; // 100..1; the rest of the array is unused
    }
    assertThat(RoundStats.percentile(samples, 100, 0.50)).isEqualTo(50);
    assertThat(RoundStats.percentile(samples, 100, 0.99)).isEqualTo(99);
    assertThat(RoundStats.percentile(samples, 100, 1.0)).isEqualTo(100);
    assertThat(RoundStats.percentile(samples, 0, 0.99)).isZero();
  }

  @Test
  void ratiosArePerRound() {
    assertThat(RoundStats.ratios(new double[] {2, 9}, new double[] {1, 3}))
        .containsExactly(2.0, 3.0);
  }
}
