package dev.coffer.bench;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time of the whole process per operation, next to JMH's
 * foreground score: every thread of the JVM that runs the benchmark counts (the measured threads,
 * RocksDB's flush and compaction threads, any background work of the engine, GC and JIT), read
 * ({@link ProcessCpu}) before and after each iteration and divided by the iteration's operations. A
 * speed-up that only moves work to another thread shows here and not in the score.
 *
 * <p>Secondary result {@value #METRIC} (ns/op, averaged over iterations). Background work still
 * running when an iteration ends is counted in the next one, so read it over several iterations;
 * with {@code -f 0} the JMH harness shares the process (a constant, small share). Use: {@code -prof
 * dev.coffer.bench.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {
  /** The secondary result's name. */
  public static final String METRIC = "cpu.process";

  private long start;

  @Override
  public String getDescription() {
    return "CPU time of the whole process (every thread, native ones included) per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = ProcessCpu.nanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = ProcessCpu.nanos() - start;
    long ops = result.getMetadata().getMeasuredOps();
    if (ops <= 0 || cpu < 0) {
      return List.of();
    }
    return List.of(new ScalarResult(METRIC, cpu / (double) ops, "ns/op", AggregationPolicy.AVG));
  }
}
