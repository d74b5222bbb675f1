package dev.coffer.torture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the torture: started with the parent's own {@code java} and class path, its
 * standard output read to the end by a thread of the parent (only complete lines count; a line the
 * kill cut is dropped), its standard error kept in a file. {@link #kill()} sends SIGKILL through
 * the {@link ProcessHandle}, NOT {@link Process#destroyForcibly()}: the latter also closes the
 * parent's end of the pipe at once and drops lines still in it, which made a table being deleted
 * look like a lost table in the engine's crash test.
 */
final class ChildProcess {
  private final Process process;
  private final Path stderr;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile IOException readFailure;
  private volatile boolean cutLine;

  private ChildProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::drain, "torture-child-reader");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code mainClass} with {@code args} in a JVM like this one. */
  static ChildProcess start(
      String mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path stderr)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectError(stderr.toFile());
    return new ChildProcess(pb.start(), stderr);
  }

  private void drain() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buf = new byte[16384];
    try (InputStream in = process.getInputStream()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(buf[i]);
          }
        }
      }
    } catch (IOException e) {
      readFailure = e;
    }
    cutLine = line.size() > 0;
  }

  /** Waits until the child journaled READY, died, or the time is up; true when it is READY. */
  boolean awaitReady(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (lines.contains("READY")) {
        return true;
      }
      if (!process.isAlive()) {
        reader.join(10_000);
        return lines.contains("READY");
      }
      Thread.sleep(2);
    }
    return lines.contains("READY");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the child exits by itself and its output is read to the end; false on timeout. */
  boolean awaitExit(long timeoutMillis) throws InterruptedException {
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    reader.join(timeoutMillis);
    return !reader.isAlive();
  }

  /** The complete lines read so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * SIGKILL, then waits for the child to die and for its output to be read to the end.
   *
   * @return the complete journal lines
   * @throws IOException when the child does not die or its output cannot be read to the end
   */
  List<String> kill() throws IOException, InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IOException("the child did not die within 60 s of SIGKILL");
    }
    reader.join(60_000);
    if (reader.isAlive()) {
      throw new IOException("the child's output was not read to its end within 60 s");
    }
    if (readFailure != null) {
      throw new IOException("the child's output could not be read to its end", readFailure);
    }
    return List.copyOf(lines);
  }

  /**
   * Whether the output ended in a line without its line break (cut by the kill; not in the lines).
   */
  boolean cutLine() {
    return cutLine;
  }

  /** The exit code, after the child died. */
  int exitCode() {
    return process.exitValue();
  }

  /** The last {@code max} characters of the child's standard error. */
  String stderrTail(int max) {
    try {
      String s = Files.readString(stderr, StandardCharsets.UTF_8);
      return s.length() > max ? "..." + s.substring(s.length() - max) : s;
    } catch (IOException e) {
      return "(standard error unreadable: " + e + ")";
    }
  }
}
