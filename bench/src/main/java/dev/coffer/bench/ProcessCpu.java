package dev.coffer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * CPU time of the whole process, every thread included (Java and native: RocksDB's flush and
 * compaction threads are native), in nanoseconds.
 *
 * <p>{@link com.sun.management.OperatingSystemMXBean#getProcessCpuTime()} counts in clock ticks (10
 * ms on Linux), too coarse for a turn of a few milliseconds. So on Linux this sums the first field
 * of {@code /proc/self/task/<tid>/schedstat} (the scheduler's run time of each thread, in ns) over
 * the process's threads; a thread that has exited no longer counts, which {@link #coarse()} (which
 * keeps them) lets a caller check over a longer interval. Elsewhere, or if {@code /proc} is not
 * readable, it falls back to the coarse reading. Thread-safe.
 */
final class ProcessCpu {
  private static final Path TASKS = Paths.get("/proc/self/task");
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final boolean PRECISE = schedstat() > 0;

  private ProcessCpu() {}

  /** Whether {@link #nanos()} reads the per-thread scheduler statistics (ns) rather than ticks. */
  static boolean precise() {
    return PRECISE;
  }

  /** The process's CPU time, as precisely as this platform allows. */
  static long nanos() {
    return PRECISE ? schedstat() : coarse();
  }

  /** The process's CPU time from the JVM (clock-tick resolution, exited threads included). */
  static long coarse() {
    return OS.getProcessCpuTime();
  }

  /** The sum of the threads' run times from {@code schedstat}, or -1 when unavailable. */
  private static long schedstat() {
    if (!Files.isDirectory(TASKS)) {
      return -1;
    }
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        String s;
        try {
          s = new String(Files.readAllBytes(task.resolve("schedstat")), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          continue; // the thread exited meanwhile
        }
        int space = s.indexOf(' ');
        sum += Long.parseLong(space < 0 ? s.trim() : s.substring(0, space));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return sum;
  }
}
