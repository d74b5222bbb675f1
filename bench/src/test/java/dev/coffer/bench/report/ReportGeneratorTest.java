package dev.coffer.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
  @TempDir Path dir;

  private Path fixture(String name) throws IOException {
    return fixture(name, name);
  }

  private Path fixture(String resource, String as) throws IOException {
    Path json = dir.resolve(as);
    try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
      Files.copy(in, json);
    }
    return json;
  }

  private static String text(Path md) throws IOException {
    return new String(Files.readAllBytes(md), StandardCharsets.UTF_8);
  }

  @Test
  void readsScoresParamsSecondaryMetricsAndTheRoundFromTheFileName() throws IOException {
    List<JmhResult> rs =
        JmhResult.read(fixture("tiny-jmh.json", "quick-20261201-1200-r2-engine.json"));

    assertThat(rs).hasSize(9);
    JmhResult first = rs.get(0);
    assertThat(first.className).isEqualTo("CipherBenchmark");
    assertThat(first.method).isEqualTo("seal");
    assertThat(first.param("size")).isEqualTo("4096");
    assertThat(first.primary.score).isEqualTo(500000.0);
    assertThat(first.secondary.get("gc.alloc.rate.norm").score).isEqualTo(4300.0);
    assertThat(first.round).isEqualTo(2);
    assertThat(rs.get(1).primary.error).isNaN(); // "NaN" as a string in JMH's JSON
    assertThat(rs.get(8).secondary.get("boundBytes").score).isEqualTo(2097152.0);
    assertThat(rs.get(8).secondary.get("boundBytes").rawMax).isEqualTo(1048576.0);
    assertThat(JmhResult.roundOf("full-20261201-1200-rocksdb.json")).isZero();
    assertThat(JmhResult.roundOf("full-20261201-1200-r12-cipher.json")).isEqualTo(12);
  }

  @Test
  void pairsEachStoreWithTheBaselineThatHasTheSameMemory() throws IOException {
    List<JmhResult> rs = JmhResult.read(fixture("tiny-jmh.json"));

    List<Ratio> engine = Ratio.pair(rs, "store", ReportGenerator::engineBaseline, true);
    Ratio put =
        engine.stream()
            .filter(r -> "coffer-cache-off".equals(r.subject.param("store")))
            .findFirst()
            .orElseThrow();
    assertThat(put.baseline.param("store")).isEqualTo("rocksdb");
    assertThat(put.value).isEqualTo(2.0); // 120k / 60k: twice the time per put
    assertThat(put.error).isEqualTo(0.0);
    assertThat(put.secondaryRatio("cpu.process")).isEqualTo(2.4); // 12,000 / 5,000 ns per put
    Ratio get =
        engine.stream()
            .filter(r -> "coffer-cache-on".equals(r.subject.param("store")))
            .findFirst()
            .orElseThrow();
    assertThat(get.baseline.param("store")).isEqualTo("rocksdb-cache-on");
    assertThat(get.value).isEqualTo(2.0); // 500k / 250k

    Ratio page =
        Ratio.pair(rs, "cipher", "jdk-aes-gcm", false).stream()
            .filter(r -> "coffer-page".equals(r.subject.param("cipher")))
            .findFirst()
            .orElseThrow();
    assertThat(page.value).isEqualTo(0.8);
    assertThat(page.baseline.param("size")).isEqualTo("4096");
  }

  @Test
  void ratiosAreTakenWithinARoundThenTheMedianAcrossRounds() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JmhResult> rs = new ArrayList<>();
    double[][] scores = {
      {100, 50}, {200, 80}, {90, 60}
    }; // rocksdb, coffer per round: slowdowns 2.0, 2.5, 1.5
    for (int round = 1; round <= 3; round++) {
      ArrayNode file = json.createArrayNode();
      for (int s = 0; s < 2; s++) {
        ObjectNode r = file.addObject();
        r.put("benchmark", "dev.coffer.bench.EngineBenchmark.put");
        r.put("mode", "thrpt");
        r.put("threads", 1);
        r.putObject("params").put("store", s == 0 ? "rocksdb" : "coffer-cache-off");
        r.putObject("primaryMetric")
            .put("score", scores[round - 1][s])
            .put("scoreError", 1.0)
            .put("scoreUnit", "ops/s");
      }
      Path p = dir.resolve("full-20261201-1200-r" + round + "-engine.json");
      json.writeValue(p.toFile(), file);
      rs.addAll(JmhResult.read(p));
    }

    Ratio r =
        Ratio.pair(rs, "store", ReportGenerator::engineBaseline, true).stream()
            .filter(x -> !x.isBaseline())
            .findFirst()
            .orElseThrow();

    assertThat(r.rounds()).isEqualTo(3);
    assertThat(r.value).isEqualTo(2.0);
    assertThat(r.lo).isEqualTo(1.5);
    assertThat(r.hi).isEqualTo(2.5);
    assertThat(r.error).isNaN();
    assertThat(Format.spread(r)).isEqualTo("[1.50–2.50, 3 rounds]");
    assertThat(r.subjectScore()).isEqualTo((50 + 80 + 60) / 3.0);
  }

  @Test
  void thePageTargetIsJudgedAgainstTheBaselineWithKernelNoncesWhenItRan() throws IOException {
    ObjectMapper json = new ObjectMapper();
    ArrayNode file = json.createArrayNode();
    String[][] results = {
      {"jdk-aes-gcm", "500000"}, {"jdk-aes-gcm-os-nonces", "400000"}, {"coffer-page", "380000"}
    };
    for (String[] c : results) {
      ObjectNode r = file.addObject();
      r.put("benchmark", "dev.coffer.bench.CipherBenchmark.seal");
      r.put("mode", "thrpt");
      r.put("threads", 1);
      r.putObject("params").put("cipher", c[0]).put("size", "4096");
      r.putObject("primaryMetric")
          .put("score", Double.parseDouble(c[1]))
          .put("scoreError", 1.0)
          .put("scoreUnit", "ops/s");
    }
    Path p = dir.resolve("tiny-20261205-1200-r1-cipher.json");
    json.writeValue(p.toFile(), file);
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(p);

    String text = text(g.write());

    assertThat(text)
        .contains("| seal | 4096 | coffer-page | 380,000 | 1,556 | 0.76 |") // in the table: vs DRBG
        .contains("| seal | 4096 | jdk-aes-gcm-os-nonces | 400,000 | 1,638 | 0.80 |")
        .contains(
            "| page seal at 4096 B >= 0.9x bare JDK AES-GCM, equal nonces (CipherBenchmark, vs"
                + " jdk-aes-gcm-os-nonces) | 0.95 ")
        .doesNotContain("nonces NOT equal");
  }

  @Test
  void writesRatioTablesTargetsAndCharts() throws IOException {
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(fixture("tiny-jmh.json"));

    String text = text(g.write());

    assertThat(text)
        .contains("| seal | 4096 | coffer-page | 400,000 | 1,638 | 0.80 | ± n/a |  |")
        .contains("| seal | 4096 | jdk-aes-gcm | 500,000 | 2,048 | 1.00 (baseline) |  | 4,300 |")
        .contains(
            "| put | 1 | coffer-cache-off | itemBytes=256, itemCount=100000 | 60,000 | 120,000 | 2.00 | ± 0.00 |"
                + " 12.00 | 5.00 | 2.40 |")
        .contains(
            "| get | 2 | coffer-cache-on | itemBytes=256, itemCount=100000 | 250,000 | 500,000 | 2.00 |")
        .contains(
            "| page seal at 4096 B >= 0.9x bare JDK AES-GCM, nonces NOT equal: kernel vs user-space"
                + " DRBG (CipherBenchmark) | 0.80 ± n/a | MISSED |")
        .contains(
            "peak 1,043,000 B of 1,048,576 B (0.995); max sampled after a get 1,040,000 B; 0 samples over | met |")
        .contains("![seal throughput by size](tiny-cipher-seal.png)");
    assertThat(dir.resolve("out/tiny-cipher-seal.png")).isNotEmptyFile();
    assertThat(dir.resolve("out/tiny-enginebenchmark-slowdown.png")).isNotEmptyFile();
  }

  @Test
  void writesKeyLifecycleSectionsAndTargets() throws IOException {
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(fixture("tiny-lifecycle-jmh.json"));

    String text = text(g.write());

    assertThat(text)
        .contains("| 10 | 10.5 | 3.00 | 2.00 | 1.00 (baseline) |  |")
        .contains("| 1024 | 1,100 | 3.00 | 5.00 | 2.50 | ± 0.63 |")
        .contains(
            "| master-key rotation of the ~1.10 GB store within 2x the time of the ~10.5 MB store's | 2.50x ± 0.63"
                + " | MISSED (threshold within the spread) |")
        // single-shot passes: items/s = itemCount / time; per-pass counters from rawData
        .contains(
            "| pk-only | 256 | null | 20000 | rocksdb | 125 | 160,000 | 41.0 | 5.60 | 20,000 | 1.00 (baseline) |  |")
        .contains(
            "| pk-only | 256 | null | 20000 | coffer | 500 | 40,000 | 10.2 | 6.00 | 20,000 | 0.25 | ± 0.00 |")
        .contains(
            "| re-encryption >= 0.8 of plain RocksDB's same-end-state rewrite (pk-only, 256 B, null, 20000 items)"
                + " | 0.25 ± 0.00 | MISSED |")
        .contains("| memory | 10.0 | 100,000 | 1.00 (baseline) |  |  |")
        .contains("| aws-kms | 2,000 | 500 | 200.00 | ± 22.36 |  |");
  }

  @Test
  void writesTheInterleavedHarnessWithItsScalingChartAndTargets() throws IOException {
    ReportGenerator g = new ReportGenerator("tiny", dir.resolve("out"));
    g.add(fixture("tiny-interleaved.json"));

    String text = text(g.write());

    assertThat(text)
        .contains("## Coffer vs plain RocksDB, interleaved (`InterleavedRunner`)")
        .contains(
            "| 100,000 | pk-only | random | put | cache off | 1.25x [1.23–1.28] | 1.20x [1.18–1.22] | 5.00 / 4.00 |"
                + " 4.00 / 3.00 | 60.00 / 10.00 | 6.00 | 6,000 / 3,000 | 2.00 |")
        .contains("| 1,000,000 | pk-only | random | put | cache off | 1.56x [1.53–1.59] |")
        .contains(
            "| 100,000 | pk-only | random | 390 / 300 | 1.30 | 420 / 310 | 1.35 | 405 / 300 | 1.35 |")
        .contains(
            "| no sort key, put <= 1.3x RocksDB, process CPU (100,000 items) | random, cache off: 1.25x [1.23–1.28]"
                + " | met |")
        .contains(
            "| no sort key, put <= 1.3x RocksDB, process CPU (1,000,000 items) | random, cache off: 1.56x"
                + " [1.53–1.59] | MISSED |")
        .contains(
            "| p99 put latency <= 5x RocksDB's (pk-only, 100,000 items) | random, cache off: 6.00x | MISSED |")
        .contains(
            "| allocation per operation <= 2x RocksDB's (100,000 items, every op) | random, cache off: put 2.00x | met |")
        .contains(
            "| bytes on disk per item <= 1.4x on random data (100,000 items, pk-only, compacted) | 1.35x (405 / 300 B)"
                + " | met |")
        .contains(
            "| ratio flat within 20% from 100,000 to 1,000,000 items (pk-only put, random, cache off) | max/min 1.25"
                + " (1.25x to 1.56x) | MISSED |")
        .contains(
            "![ratio against item count, random, coffer-cache-off](tiny-scaling-random-coffer-cache-off.png)");
    assertThat(dir.resolve("out/tiny-scaling-random-coffer-cache-off.png")).isNotEmptyFile();
  }
}
