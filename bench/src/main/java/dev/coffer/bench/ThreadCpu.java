package dev.coffer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;

/**
 * CPU time of threads (user and system), from the JVM's {@link ThreadMXBean}: the calling thread's,
 * or the sum over the live threads whose names start with a prefix (a server's threads in this JVM;
 * threads that ended between two readings are not counted); and of a child process.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  /** The calling thread's CPU time in nanoseconds. */
  static long current() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** The summed CPU time of the live threads named {@code prefix...}. */
  static long ofThreads(String prefix) {
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    long sum = 0;
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && infos[i].getThreadName().startsWith(prefix)) {
        long t = THREADS.getThreadCpuTime(ids[i]);
        if (t > 0) {
          sum += t;
        }
      }
    }
    return sum;
  }

  /**
   * The CPU time (user and system) of this JVM's child process whose command line has {@code
   * argument} (dynalite: its port), from {@code /proc} (10 ms resolution); -1 when there is none or
   * the system does not say.
   */
  static long ofChildProcess(String argument) {
    return ProcessHandle.current()
        .children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(argument)).orElse(false))
        .findFirst()
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElse(-1L);
  }
}
