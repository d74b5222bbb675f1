package dev.coffer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark class for one ~100 ms iteration, in-process and on tiny data, so that
 * {@code ./mvnw verify} proves the benchmarks still run. It asserts that each benchmark produced
 * a result, never anything about its speed.
 */
class BenchmarkSmokeTest {

  private static ChainedOptionsBuilder tiny(Class<?> benchmark) {
    return new OptionsBuilder()
        .include("\\." + benchmark.getSimpleName() + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .timeUnit(TimeUnit.SECONDS)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
  }

  private static void runs(ChainedOptionsBuilder options, int expectedResults) throws RunnerException {
    Collection<RunResult> results = new Runner(options.build()).run();
    assertThat(results).hasSize(expectedResults);
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
    }
  }

  @Test
  void cipherBenchmarkRuns() throws RunnerException {
    runs(tiny(CipherBenchmark.class)
        .param("cipher", "jdk-aes-gcm", "bc-aes-gcm", "jdk-chacha20-poly1305", "coffer-page")
        .param("size", "256"), 2 * 4);
  }

  @Test
  void rocksDbBaselineBenchmarkRuns() throws RunnerException {
    runs(tiny(RocksDbBaselineBenchmark.class).param("itemCount", "2000").param("itemBytes", "256"), 3);
  }

  @Test
  void peerBenchmarkRuns() throws RunnerException {
    runs(tiny(PeerBenchmark.class).param("itemCount", "2000").param("itemBytes", "256"), 2 * 4);
  }

  @Test
  void engineBenchmarkRuns() throws RunnerException {
    runs(tiny(EngineBenchmark.class).param("itemCount", "500"), 3 * 4);
  }

  @Test
  void enginePartitionBenchmarkRuns() throws RunnerException {
    runs(tiny(EnginePartitionBenchmark.class).param("partitions", "5"), 3 * 8);
  }

  @Test
  void pageCacheBoundBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results = new Runner(tiny(PageCacheBoundBenchmark.class)
        .param("partitions", "20").param("cacheBytes", "65536").build()).run();
    assertThat(results).hasSize(1);
    RunResult r = results.iterator().next();
    assertThat(r.getSecondaryResults()).containsKeys("boundBytes", "maxResidentBytes", "overBoundSamples", "peakResidentBytes");
    assertThat(r.getSecondaryResults().get("boundBytes").getScore()).isEqualTo(65536.0);
  }

  @Test
  void masterKeyRotationBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results = new Runner(tiny(MasterKeyRotationBenchmark.class)
        .param("storeMiB", "1").build()).run();
    assertThat(results).hasSize(1);
    RunResult r = results.iterator().next();
    assertThat(r.getPrimaryResult().getScore()).isPositive();
    assertThat(r.getSecondaryResults().get("keysRewrapped").getScore()).isPositive();
    assertThat(r.getSecondaryResults().get("storeBytes").getScore()).isGreaterThan(1 << 20); // 1 MiB of items
  }

  @Test
  void reencryptBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results = new Runner(tiny(ReencryptBenchmark.class)
        .param("itemCount", "500").param("itemBytes", "256").build()).run();
    assertThat(results).hasSize(2 * 2); // {rocksdb, coffer} x {pk-only, 100-per-partition}
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
      assertThat(r.getSecondaryResults().get("rewrittenBytes").getScore()).isPositive();
      assertThat(r.getSecondaryResults().get("records").getScore()).isPositive();
    }
  }

  @Test
  void keyUnwrapBenchmarkRuns() throws RunnerException {
    runs(tiny(KeyUnwrapBenchmark.class).timeUnit(TimeUnit.MICROSECONDS), 3); // memory, local, aws-kms
  }
}
