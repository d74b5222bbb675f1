package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.SecretBytes;
import dev.coffer.kms.audit.AuditSink;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A {@link CrashChild} JVM working on a store whose keys live in a {@code local} keystore file (so
 * the parent can open the store after the child is gone), and the way to kill it with SIGKILL
 * without losing the lines it printed.
 */
public final class ChildJvm {
  public static final String ALIAS = "alias/child";

  private final Path dir;
  private final Path keystore;
  private final Path stderr;
  private final byte[] rawKey;
  private final String alias;

  /** A store directory and a keystore with a master key under {@link #ALIAS}, in {@code tmp}. */
  public ChildJvm(Path tmp) {
    this.dir = tmp.resolve("store");
    this.keystore = tmp.resolve("keystore");
    this.stderr = tmp.resolve("child.err");
    this.rawKey = new byte[32];
    this.alias = ALIAS;
    new SecureRandom().nextBytes(rawKey);
    try (LocalKeyProvider p = provider()) {
      p.createAlias(ALIAS, p.createKey(CreateKeyRequest.withDescription("child test")).keyId());
    }
  }

  /**
   * An existing store {@code dir} whose keys are in {@code keystore} (raw keystore key {@code
   * rawKey}) under the master key {@code alias} (a copy of a fixture), the child's stderr in {@code
   * stderr}.
   */
  public ChildJvm(Path dir, Path keystore, byte[] rawKey, String alias, Path stderr) {
    this.dir = dir;
    this.keystore = keystore;
    this.stderr = stderr;
    this.rawKey = rawKey.clone();
    this.alias = alias;
  }

  /** The store directory. */
  public Path dir() {
    return dir;
  }

  /** A provider over the keystore; the caller closes it. */
  public LocalKeyProvider provider() {
    return LocalKeyProvider.builder()
        .keystore(keystore)
        .rawKey(SecretBytes.wrap(rawKey.clone()))
        .auditSink(AuditSink.none())
        .build();
  }

  /** Options for the parent's own opens of the store. */
  public CofferOptions.Builder options(LocalKeyProvider provider) {
    return CofferOptions.builder()
        .keyProvider(provider)
        .masterKeyId(alias)
        .auditSink(AuditSink.none());
  }

  /** A running child. */
  public final class Running {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<IOException> readFailures = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Running(Process process) {
      this.process = process;
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  readFailures.add(e);
                }
              });
      reader.start();
    }

    /** Waits (up to 60 s) until the child printed lines that {@code done} accepts. */
    public void await(Predicate<List<String>> done) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!done.test(lines) && process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(done.test(lines))
          .as(() -> "child output " + tail() + "; stderr " + readQuietly(stderr))
          .isTrue();
    }

    /**
     * SIGKILL through the process handle (Process.destroyForcibly would also close the pipe and
     * drop lines still in it); returns every complete line, a last ACK cut by the kill dropped.
     */
    public List<String> kill() throws InterruptedException {
      assertThat(process.isAlive())
          .as(() -> "child still alive; stderr " + readQuietly(stderr))
          .isTrue();
      process.toHandle().destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("child died").isTrue();
      reader.join(10_000);
      assertThat(reader.isAlive()).as("child output read to its end").isFalse();
      assertThat(readFailures).as("child output read without error").isEmpty();
      List<String> complete = new ArrayList<>(lines);
      if (!complete.isEmpty() && complete.get(complete.size() - 1).startsWith("ACK ")) {
        complete.remove(complete.size() - 1);
      }
      return complete;
    }

    /**
     * Waits (up to 60 s) until the child printed a line starting with {@code prefix}, polling every
     * 100 microseconds (a kill timed from it lands close after it).
     */
    public void awaitLine(String prefix) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int seen = 0;
      while (true) {
        for (int n = lines.size(); seen < n; seen++) {
          if (lines.get(seen).startsWith(prefix)) {
            return;
          }
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          break;
        }
        LockSupport.parkNanos(100_000);
      }
      assertThat(lines.stream().anyMatch(l -> l.startsWith(prefix)))
          .as(() -> "child output " + tail() + "; stderr " + readQuietly(stderr))
          .isTrue();
    }

    /** The lines printed so far. */
    public List<String> lines() {
      return List.copyOf(lines);
    }

    private List<String> tail() {
      return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }
  }

  /** Starts {@link CrashChild} in {@code mode} and waits until it has the store open. */
  public Running start(String mode, String round) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            mode,
            dir.toString(),
            keystore.toString(),
            Base64.getEncoder().encodeToString(rawKey),
            alias,
            round);
    pb.redirectError(stderr.toFile());
    Running child = new Running(pb.start());
    child.await(l -> l.contains("READY"));
    return child;
  }

  private static String readQuietly(Path file) {
    try {
      String s = Files.readString(file);
      return s.length() > 4000 ? s.substring(0, 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
