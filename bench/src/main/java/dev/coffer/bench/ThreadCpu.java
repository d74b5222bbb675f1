package dev.coffer.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of threads (user and system), from the JVM's {@link ThreadMXBean}: the calling thread's,
 * or the sum over the live threads whose names start with a prefix (a server's threads in this
 * JVM). Threads that ended between two readings are not counted.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {}

  /** The calling thread's CPU time in nanoseconds. */
  static long current() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** The summed CPU time of the live threads named {@code prefix...}; 0 for a null prefix. */
  static long ofThreads(String prefix) {
    if (prefix == null) {
      return 0;
    }
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
}
