package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interleaved harness end to end on tiny data: every dataset, operation, store and pair is in
 * its JSON, with per-round ratios, latencies and bytes on disk. Nothing about speed is asserted.
 */
class InterleavedRunnerTest {
  @TempDir Path dir;

  @Test
  void runsEveryStoreInTurnsAndWritesRatiosPerRound() throws Exception {
    Path out = dir.resolve("interleaved.json");
    InterleavedRunner.Config config =
        InterleavedRunner.Config.parse(
            new String[] {
              "--items=1000",
              "--payloads=compressible",
              "--rounds=2",
              "--warmup-rounds=0",
              "--max-warmup-rounds=0",
              "--ops-per-turn=200",
              "--max-drain-millis=2000",
              "--out=" + out
            });

    new InterleavedRunner(config).run();

    JsonNode root = new ObjectMapper().readTree(out.toFile());
    assertThat(root.path("harness").asText()).isEqualTo("InterleavedRunner");
    assertThat(root.path("engineBlockCacheBytes").asLong()).isPositive();
    assertThat(root.path("datasets")).hasSize(2); // {pk-only, 100-per-partition} x {compressible}
    for (JsonNode d : root.path("datasets")) {
      boolean sorted = d.path("layout").asText().equals("100-per-partition");
      assertThat(d.path("warmupRoundsRun").asInt()).isZero();
      assertThat(d.has("jitMillisDuringRounds")).isTrue();
      List<String> ops = new ArrayList<>();
      d.path("ops").forEach(o -> ops.add(o.path("op").asText()));
      assertThat(ops)
          .containsExactlyElementsOf(
              sorted ? List.of("put", "get", "query", "scan") : List.of("put", "get"));
      for (JsonNode op : d.path("ops")) {
        assertThat(op.path("stores").size()).isEqualTo(4);
        for (JsonNode store : op.path("stores")) {
          assertThat(store.path("processCpuNanosPerUnit").path("perRound")).hasSize(2);
          assertThat(store.path("threadCpuNanosPerUnit").path("median").asDouble()).isPositive();
          assertThat(store.path("p99Nanos").asLong())
              .isGreaterThanOrEqualTo(store.path("p50Nanos").asLong())
              .isPositive();
        }
        assertThat(op.path("pairs")).hasSize(2);
        for (JsonNode pair : op.path("pairs")) {
          assertThat(pair.path("subject").asText()).startsWith("coffer-cache-");
          assertThat(pair.path("processCpuNanosPerUnit").path("perRound")).hasSize(2);
          assertThat(pair.path("processCpuNanosPerUnit").path("median").asDouble()).isPositive();
          assertThat(pair.path("p99").asDouble()).isPositive();
        }
      }
      for (String when : List.of("afterFill", "afterRounds", "compacted")) {
        JsonNode disk = d.path("diskBytesPerItem").path(when);
        assertThat(disk.path("rocksdb").asDouble()).as(when).isPositive();
        assertThat(disk.path("coffer-cache-off").asDouble()).as(when).isPositive();
      }
      assertThat(d.path("cpuAccounting").path("attributedToTurnsNanos").asLong()).isPositive();
    }
  }

  @Test
  void refusesUnknownOptionsAndValues() {
    assertThatThrownBy(
            () -> InterleavedRunner.Config.parse(new String[] {"--out=x.json", "--layouts=pk"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pk is not one of");
    assertThatThrownBy(
            () -> InterleavedRunner.Config.parse(new String[] {"--out=x.json", "--speed=11"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --speed");
    assertThatThrownBy(
            () -> InterleavedRunner.Config.parse(new String[] {"--out=x.json", "--items=150"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiples of 100");
    assertThatThrownBy(() -> InterleavedRunner.Config.parse(new String[] {"--items=1000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--out");
  }
}
