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
 * Runs every benchmark class for one ~100 ms iteration, in-process and on tiny data, so that {@code
 * ./mvnw verify} proves the benchmarks still run. It asserts that each benchmark produced a result,
 * never anything about its speed.
 *
 * <p>JMH takes a machine-wide lock ({@code <java.io.tmpdir>/jmh.lock}) and refuses to run while
 * another JMH run holds it; these runs measure nothing, so the build runs them with {@code
 * -Djmh.ignoreLock=true} (Surefire's {@code systemPropertyVariables} in {@code bench/pom.xml}) and
 * a benchmark running elsewhere on the machine cannot fail the build: {@link JmhLockTest}.
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

  private static void runs(ChainedOptionsBuilder options, int expectedResults)
      throws RunnerException {
    Collection<RunResult> results = new Runner(options.build()).run();
    assertThat(results).hasSize(expectedResults);
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
    }
  }

  @Test
  void cipherBenchmarkRuns() throws RunnerException {
    runs(
        tiny(CipherBenchmark.class)
            .param(
                "cipher",
                "jdk-aes-gcm",
                "jdk-aes-gcm-os-nonces",
                "bc-aes-gcm",
                "jdk-chacha20-poly1305",
                "coffer-page")
            .param("size", "256"),
        2 * 5);
  }

  @Test
  void rocksDbBaselineBenchmarkRuns() throws RunnerException {
    runs(
        tiny(RocksDbBaselineBenchmark.class)
            .param("itemCount", "2000")
            .param("itemBytes", "256")
            .param("payload", "random", "compressible"),
        3 * 2);
  }

  @Test
  void peerBenchmarkRuns() throws RunnerException {
    runs(
        tiny(PeerBenchmark.class)
            .param("itemCount", "2000")
            .param("itemBytes", "256")
            .param("payload", "random"),
        5 * 2); // {rocksdb, coffer-cache-off, h2, sqlcipher, sqlite-plain} x {put, get}
  }

  @Test
  void engineBenchmarkRuns() throws RunnerException {
    runs(tiny(EngineBenchmark.class).param("itemCount", "500").param("payload", "random"), 4 * 4);
  }

  @Test
  void enginePartitionBenchmarkRuns() throws RunnerException {
    runs(
        tiny(EnginePartitionBenchmark.class)
            .param("partitions", "5")
            .param("payload", "compressible"),
        4 * 8);
  }

  @Test
  void pageCacheBoundBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                tiny(PageCacheBoundBenchmark.class)
                    .param("partitions", "20")
                    .param("cacheBytes", "65536")
                    .build())
            .run();
    assertThat(results).hasSize(1);
    RunResult r = results.iterator().next();
    assertThat(r.getSecondaryResults())
        .containsKeys("boundBytes", "maxResidentBytes", "overBoundSamples", "peakResidentBytes");
    assertThat(r.getSecondaryResults().get("boundBytes").getScore()).isEqualTo(65536.0);
  }

  @Test
  void masterKeyRotationBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results =
        new Runner(tiny(MasterKeyRotationBenchmark.class).param("storeMiB", "1").build()).run();
    assertThat(results).hasSize(1);
    RunResult r = results.iterator().next();
    assertThat(r.getPrimaryResult().getScore()).isPositive();
    assertThat(r.getSecondaryResults().get("keysRewrapped").getScore()).isPositive();
    assertThat(r.getSecondaryResults().get("storeBytes").getScore())
        .isGreaterThan(1 << 20); // 1 MiB of items
  }

  @Test
  void reencryptBenchmarkRuns() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                tiny(ReencryptBenchmark.class)
                    .param("itemCount", "500")
                    .param("itemBytes", "256")
                    .param("payload", "random")
                    .build())
            .run();
    assertThat(results).hasSize(2 * 2); // {rocksdb, coffer} x {pk-only, 100-per-partition}
    for (RunResult r : results) {
      assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
      assertThat(r.getSecondaryResults().get("rewrittenBytes").getScore()).isPositive();
      assertThat(r.getSecondaryResults().get("records").getScore()).isPositive();
    }
  }

  @Test
  void nonceBenchmarkRuns() throws RunnerException {
    runs(tiny(NonceBenchmark.class), 5);
  }

  @Test
  void processCpuProfilerReportsCpuPerOperation() throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                tiny(NonceBenchmark.class)
                    .param("source", "ctr-drbg")
                    .addProfiler(ProcessCpuProfiler.class)
                    .build())
            .run();
    assertThat(results).hasSize(1);
    RunResult r = results.iterator().next();
    assertThat(r.getSecondaryResults()).containsKey(ProcessCpuProfiler.METRIC);
    assertThat(r.getSecondaryResults().get(ProcessCpuProfiler.METRIC).getScore()).isPositive();
    assertThat(r.getSecondaryResults().get(ProcessCpuProfiler.METRIC).getScoreUnit())
        .isEqualTo("ns/op");
  }

  @Test
  void keyUnwrapBenchmarkRuns() throws RunnerException {
    runs(
        tiny(KeyUnwrapBenchmark.class).timeUnit(TimeUnit.MICROSECONDS),
        3); // memory, local, aws-kms
  }
}
