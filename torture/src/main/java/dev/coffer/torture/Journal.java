package dev.coffer.torture;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child's side of the journal: one line per event, each written with ONE {@code write} call on
 * the process's standard output (a pipe the parent drains). A line is written after the event and
 * never buffered in the process, so once the call that wrote it returned, the line survives a
 * SIGKILL of the child; lines are at most the pipe's atomic-write size ({@link #MAX_LINE_BYTES};
 * the multi-item operations cut their plans to stay below it), so lines of different threads never
 * interleave, and the stream's order is the real-time order of the events.
 *
 * <pre>
 * READY                                   the store is open, the workers start
 * B id W kind A|N write...                an item operation begins (A: all-or-nothing)
 * B id L step arg...                      a lifecycle step begins
 * A id result...                          the call returned (written after it returned)
 * F id REJECTED|FAILED|UNEXPECTED error   the call threw
 * E thread error message                  an unexpected error outside an operation
 * </pre>
 *
 * Thread-safe.
 */
public final class Journal {
  private final OutputStream out;
  private final String prefix;
  private final Runnable onBrokenPipe;
  private final AtomicLong ids = new AtomicLong();

  /** A journal on standard output; operation ids start with {@code prefix} (unique per cycle). */
  public static Journal onStandardOutput(String prefix) {
    return new Journal(
        new FileOutputStream(FileDescriptor.out), prefix, () -> Runtime.getRuntime().halt(5));
  }

  Journal(OutputStream out, String prefix, Runnable onBrokenPipe) {
    this.out = out;
    this.prefix = prefix;
    this.onBrokenPipe = onBrokenPipe;
  }

  /**
   * The most bytes one line may have: the pipe's atomic-write size (PIPE_BUF, 4096 on Linux), so
   * that lines of different threads never interleave in the pipe.
   */
  public static final int MAX_LINE_BYTES = 4096;

  /** Writes one line: one write call, no buffering. */
  public synchronized void line(String line) {
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a journal line has no line break: " + line);
    }
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_LINE_BYTES) {
      throw new IllegalArgumentException(
          "a journal line is longer than the pipe's atomic write ("
              + bytes.length
              + " bytes): "
              + line.substring(0, 80));
    }
    try {
      out.write(bytes);
    } catch (IOException e) {
      onBrokenPipe.run(); // the parent is gone: nobody reads the journal, so no write may go on
      throw new UncheckedIOException("the journal cannot be written", e);
    }
  }

  /** A new operation id, {@code <prefix>.<thread>.<n>}. */
  public String newId(String thread) {
    return prefix + "." + thread + "." + ids.incrementAndGet();
  }

  /** Journals the begin of an item operation; returns its id. */
  public String beginWrites(String thread, String kind, boolean atomic, List<Write> writes) {
    String id = newId(thread);
    StringBuilder sb =
        new StringBuilder("B ").append(id).append(" W ").append(kind).append(atomic ? " A" : " N");
    for (Write w : writes) {
      sb.append(' ').append(w.encode());
    }
    line(sb.toString());
    return id;
  }

  /** Journals the begin of a lifecycle step; returns its id. */
  public String beginStep(String thread, LifecycleStep step, String... args) {
    String id = newId(thread);
    StringBuilder sb = new StringBuilder("B ").append(id).append(" L ").append(step.name());
    for (String a : args) {
      sb.append(' ').append(token(a));
    }
    line(sb.toString());
    return id;
  }

  /** Journals that the call of {@code id} returned, with what it returned. */
  public void ack(String id, Object... result) {
    StringBuilder sb = new StringBuilder("A ").append(id);
    for (Object r : result) {
      sb.append(' ').append(token(String.valueOf(r)));
    }
    line(sb.toString());
  }

  /** Journals that the call of {@code id} threw {@code e}, classified as {@code outcome}. */
  public void fail(String id, Outcomes.Outcome outcome, Throwable e) {
    line("F " + id + " " + outcome.name() + " " + e.getClass().getSimpleName());
  }

  /** Journals an unexpected error outside an operation. */
  public void error(String thread, Throwable e) {
    String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    line(
        "E "
            + thread
            + " "
            + e.getClass().getSimpleName()
            + " "
            + (message.length() > 500 ? message.substring(0, 500) : message));
  }

  private static String token(String s) {
    return s.isEmpty() ? "-" : s.replaceAll("\\s+", "_");
  }
}
