package dev.coffer.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
  @TempDir Path dir;

  private Path fixture() throws IOException {
    Path json = dir.resolve("tiny-jmh.json");
    try (InputStream in = getClass().getResourceAsStream("/tiny-jmh.json")) {
      Files.copy(in, json);
    }
    return json;
  }

  @Test
  void readsScoresParamsAndSecondaryMetrics() throws IOException {
    List<JmhResult> rs = JmhResult.read(fixture());

    assertThat(rs).hasSize(8);
    JmhResult first = rs.get(0);
    assertThat(first.className).isEqualTo("CipherBenchmark");
    assertThat(first.method).isEqualTo("seal");
    assertThat(first.param("size")).isEqualTo("4096");
    assertThat(first.primary.score).isEqualTo(500000.0);
    assertThat(first.secondary.get("gc.alloc.rate.norm").score).isEqualTo(4300.0);
    assertThat(rs.get(1).primary.error).isNaN(); // "NaN" as a string in JMH's JSON
    // EVENTS counters: JMH sums them over iterations; each iteration's reading is in rawData.
    assertThat(rs.get(7).secondary.get("boundBytes").score).isEqualTo(2097152.0);
    assertThat(rs.get(7).secondary.get("boundBytes").rawMax).isEqualTo(1048576.0);
  }

  @Test
  void pairsEachResultWithItsBaselineOfTheSameRun() throws IOException {
    List<JmhResult> rs = JmhResult.read(fixture());

    List<ReportGenerator.Ratio> ciphers = ReportGenerator.pair(rs, "cipher", "jdk-aes-gcm", false);
    ReportGenerator.Ratio page =
        ciphers.stream().filter(r -> "coffer-page".equals(r.subject.param("cipher"))).findFirst().orElseThrow();
    assertThat(page.value).isEqualTo(0.8);
    assertThat(page.baseline.param("size")).isEqualTo("4096");

    List<ReportGenerator.Ratio> engine = ReportGenerator.pair(rs, "store", "rocksdb", true);
    ReportGenerator.Ratio put =
        engine.stream().filter(r -> "coffer-cache-off".equals(r.subject.param("store"))).findFirst().orElseThrow();
    assertThat(put.value).isEqualTo(2.0); // 120k / 60k: twice the time per put
    assertThat(put.error).isEqualTo(0.0);
  }

  @Test
  void writesRatioTablesTargetsAndCharts() throws IOException {
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(fixture());

    Path md = g.write();

    String text = new String(Files.readAllBytes(md), StandardCharsets.UTF_8);
    assertThat(md.getFileName().toString()).isEqualTo("tiny-latest.md");
    assertThat(text)
        .contains("| seal | 4096 | coffer-page | 400,000 | n/a | 1,638 | 0.80 | n/a |  |")
        .contains("| seal | 4096 | jdk-aes-gcm | 500,000 | 10,000 | 2,048 | 1.00 (baseline) |  | 4,300 |")
        .contains("| put | 1 | coffer-cache-off | itemBytes=256, itemCount=100000 | 60,000 | 0.00 | 120,000 | 0.00 | 2.00 | 0.00 |  |  |")
        .contains("| get | 2 | coffer-cache-on |")
        .contains("| page seal at 4096 B >= 90% of bare JDK AES-GCM | 0.80 ± n/a | MISSED |")
        .contains("| partition-key-only put (cache off) <= 1.3x RocksDB | 2.00x ± 0.00 | MISSED |")
        .contains("peak 1,043,000 B of 1,048,576 B (0.995); max sampled after a get 1,040,000 B; 0 samples over | met |")
        .contains("![seal throughput by size](tiny-cipher-seal.png)");
    assertThat(dir.resolve("out/tiny-cipher-seal.png")).isNotEmptyFile();
    assertThat(dir.resolve("out/tiny-enginebenchmark-slowdown.png")).isNotEmptyFile();
  }

  @Test
  void writesKeyLifecycleSectionsAndTargets() throws IOException {
    Path json = dir.resolve("tiny-lifecycle-jmh.json");
    try (InputStream in = getClass().getResourceAsStream("/tiny-lifecycle-jmh.json")) {
      Files.copy(in, json);
    }
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(json);

    String text = new String(Files.readAllBytes(g.write()), StandardCharsets.UTF_8);

    assertThat(text)
        // EVENTS counters: the per-iteration value (rawData), not JMH's sum over 3 iterations
        .contains("| 10 | 10.5 | 3.00 | 2.00 | 0.50 | 1.00 (baseline) |  |")
        .contains("| 1024 | 1,100 | 3.00 | 5.00 | 0.00 | 2.50 | 0.63 |")
        .contains("| master-key rotation of the ~1.10 GB store within 2x the time of the ~10.5 MB store's | 2.50x ± 0.63 | MISSED (threshold within the error) |")
        // single-shot passes: items/s = itemCount / time; per-pass counters from rawData
        .contains("| pk-only | 256 | 20000 | rocksdb | 125 | 0.00 | 160,000 | 41.0 | 5.60 | 20,000 | 1.00 (baseline) |  |")
        .contains("| pk-only | 256 | 20000 | coffer | 500 | 0.00 | 40,000 | 10.2 | 6.00 | 20,000 | 0.25 | 0.00 |")
        .contains("| re-encryption >= 50% of plain RocksDB's rewrite rate (pk-only, 256 B items, 20000 items) | 0.25 ± 0.00 | MISSED |")
        .contains("| memory | 10.0 | 1.00 | 100,000 | 1.00 (baseline) |  |  |")
        .contains("| aws-kms | 2,000 | 100 | 500 | 200.00 | 22.36 |  |");
  }
}
