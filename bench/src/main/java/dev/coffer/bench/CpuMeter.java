package dev.coffer.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Readings for one turn of {@link InterleavedRunner}: the measuring thread's CPU time and
 * allocation ({@code ThreadMXBean}), the whole process's CPU time ({@link ProcessCpu}: every
 * thread, RocksDB's native flush and compaction threads included), and a wait for the process to go
 * quiet after the turn, so that background work a competitor started is counted in its own turn and
 * does not run during the next competitor's. The turn's process CPU is the measuring thread's CPU
 * during the turn plus every other thread's from the start of the turn to the end of the wait: the
 * measuring thread's own polling while it waits is not counted.
 *
 * <p>Quiet means: over {@value #QUIET_SAMPLES} consecutive samples {@value #SAMPLE_MILLIS} ms
 * apart, the process used less than {@value #QUIET_CPU_PERCENT}% of one core in each. Work a store
 * defers until after that (e.g. a timer that fires later) would be counted in whoever runs then;
 * RocksDB schedules its flushes and compactions at once, so none is known to.
 *
 * <p>Not thread-safe: one per measuring thread.
 */
final class CpuMeter {
  static final int SAMPLE_MILLIS = 10;
  static final int QUIET_SAMPLES = 10;
  static final int QUIET_CPU_PERCENT = 10;

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long threadId = Thread.currentThread().getId();
  private final long maxDrainNanos;

  CpuMeter(long maxDrainMillis) {
    if (!THREADS.isCurrentThreadCpuTimeSupported() || !THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("This JVM cannot measure thread CPU time or allocation");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    THREADS.setThreadAllocatedMemoryEnabled(true);
    this.maxDrainNanos = TimeUnit.MILLISECONDS.toNanos(maxDrainMillis);
  }

  /** CPU time of the whole process, in nanoseconds ({@link ProcessCpu}). */
  static long processCpu() {
    return ProcessCpu.nanos();
  }

  /** CPU time of every thread but the calling one, in nanoseconds. */
  static long othersCpu() {
    return ProcessCpu.nanos() - threadCpu();
  }

  /** The calling thread's CPU time, in nanoseconds. */
  static long threadCpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Bytes the measuring thread has allocated so far. */
  long allocated() {
    return THREADS.getThreadAllocatedBytes(threadId);
  }

  /** The system load average of the last minute (as {@code uptime} shows), or -1. */
  static double loadAverage() {
    return OS.getSystemLoadAverage();
  }

  /**
   * Waits until the other threads of the process are quiet (or the drain limit); returns how long
   * it waited, in ns.
   */
  long drain() {
    long start = System.nanoTime();
    long last = othersCpu();
    long quietBudget = TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS) * QUIET_CPU_PERCENT / 100;
    int quiet = 0;
    while (quiet < QUIET_SAMPLES && System.nanoTime() - start < maxDrainNanos) {
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for background work", e);
      }
      long now = othersCpu();
      quiet = now - last < quietBudget ? quiet + 1 : 0;
      last = now;
    }
    return System.nanoTime() - start;
  }

  /** What one turn cost: the readings at its start, completed by {@link #end}. */
  final class Turn {
    private final long others0 = othersCpu();
    private final long alloc0 = allocated();
    private final long wall0 = System.nanoTime();
    private final long thread0 = threadCpu();
    long wallNanos;
    long threadCpuNanos;
    long allocatedBytes;
    long processCpuNanos;
    long drainNanos;

    /** Ends the foreground part, then drains and ends the process part. */
    Turn end() {
      threadCpuNanos = threadCpu() - thread0;
      wallNanos = System.nanoTime() - wall0;
      allocatedBytes = allocated() - alloc0;
      drainNanos = drain();
      processCpuNanos = threadCpuNanos + othersCpu() - others0;
      return this;
    }
  }

  /** Starts measuring a turn now. */
  Turn start() {
    return new Turn();
  }
}
