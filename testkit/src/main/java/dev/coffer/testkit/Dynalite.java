package dev.coffer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * dynalite (npm, MIT): an independent implementation of DynamoDB's API on Node.js, for differential
 * tests. Tiny API:
 *
 * <pre>{@code
 * try (Dynalite dynalite = Dynalite.start()) {      // skips the test when node/npm are missing
 *   DynamoDbClient client = DynamoDbClient.builder()
 *       .endpointOverride(dynalite.endpoint())       // http://127.0.0.1:<port>
 *       .region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
 *       .build();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} installs {@code dynalite@4.0.0} with npm into {@link #installDir()} once
 * (shared by every module of the build; a file lock serialises concurrent installs), picks a free
 * port on 127.0.0.1 (dynalite has no "port 0"; a port lost to a race is retried), starts it in
 * memory with table state changes instant ({@code --createTableMs 0} and friends, so tables are
 * ACTIVE at once as in Coffer), and waits until it answers. When {@code node} or {@code npm} is not
 * on the PATH, or the install fails, it aborts the calling test with a JUnit assumption that says
 * why (the test is reported as skipped, not failed). {@link #close()} stops the process.
 *
 * <p>Known differences from DynamoDB (dynalite's, see its readme): no TransactWriteItems /
 * TransactGetItems, no signature check (any credentials work), sizes counted in UTF-16 code units.
 * Thread-safe.
 */
public final class Dynalite implements AutoCloseable {
  /** The dynalite version installed. */
  public static final String VERSION = "4.0.0";

  /** The system property that overrides {@link #installDir()}. */
  public static final String DIR_PROPERTY = "coffer.dynalite.dir";

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static Dynalite shared;

  private final Process process;
  private final int port;
  private final Path log;

  private Dynalite(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Installs dynalite if needed and starts one in-memory instance on 127.0.0.1.
   *
   * @throws org.opentest4j.TestAbortedException (a JUnit assumption) when node/npm are missing or
   *     the install fails
   * @throws IllegalStateException when an installed dynalite does not start
   */
  public static Dynalite start() {
    Path dir = installDir();
    Path cli = install(dir);
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Path log = dir.resolve("dynalite-" + port + "-" + ProcessHandle.current().pid() + ".log");
      Process p;
      try {
        p =
            new ProcessBuilder(
                    List.of(
                        executable("node"),
                        cli.toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--createTableMs",
                        "0",
                        "--deleteTableMs",
                        "0",
                        "--updateTableMs",
                        "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start dynalite", e);
      }
      if (awaitHealthy(p, port)) {
        return new Dynalite(p, port, log);
      }
      p.destroyForcibly();
      last = new IllegalStateException("dynalite did not start on port " + port + ": " + tail(log));
    }
    throw last;
  }

  /**
   * The one dynalite of this JVM, started on first call and stopped when the JVM exits: for test
   * classes that each need a dynalite but not a fresh one (each uses DynamoDB tables of its own),
   * so that a module's tests start dynalite once. Do not {@link #close()} it.
   *
   * @throws org.opentest4j.TestAbortedException (a JUnit assumption) when node/npm are missing or
   *     the install fails (again on every call, so each test is skipped with the reason)
   * @throws IllegalStateException when an installed dynalite does not start
   */
  public static synchronized Dynalite shared() {
    if (shared == null) {
      Dynalite d = start();
      Runtime.getRuntime().addShutdownHook(new Thread(d::close, "dynalite-stop"));
      shared = d;
    }
    return shared;
  }

  /**
   * Where dynalite is installed: {@value #DIR_PROPERTY}, else {@code target/dynalite} under the
   * working directory.
   */
  public static Path installDir() {
    String d = System.getProperty(DIR_PROPERTY);
    return (d == null || d.isBlank() ? Path.of("target", "dynalite") : Path.of(d)).toAbsolutePath();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Stops the process (its in-memory tables go with it). Idempotent. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a leftover log under target/ is harmless
    }
  }

  @Override
  public String toString() {
    return "Dynalite[" + endpoint() + "]";
  }

  private static Path install(Path dir) {
    String node = which("node");
    String npm = which("npm");
    Assumptions.assumeTrue(
        node != null && npm != null,
        "node and npm are needed to run dynalite (an independent DynamoDB implementation) and are not on the PATH:"
            + " skipping this differential test. Install Node.js (Debian: apt-get install nodejs npm).");
    Path cli = dir.resolve("node_modules").resolve("dynalite").resolve("cli.js");
    Path marker = dir.resolve("node_modules").resolve("dynalite").resolve("package.json");
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".install.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (Files.isRegularFile(cli)
            && Files.readString(marker).contains("\"version\": \"" + VERSION + "\"")) {
          return cli;
        }
        Path npmLog = dir.resolve("npm-install.log");
        Process p =
            new ProcessBuilder(
                    List.of(
                        npm,
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=error",
                        "--prefix",
                        dir.toString(),
                        "dynalite@" + VERSION))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(npmLog.toFile())
                .start();
        boolean done = p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
          p.destroyForcibly();
        }
        Assumptions.assumeTrue(
            done && p.exitValue() == 0 && Files.isRegularFile(cli),
            "npm could not install dynalite@"
                + VERSION
                + " into "
                + dir
                + " (no access to the npm registry?): "
                + "skipping this differential test. npm said: "
                + tail(npmLog));
        return cli;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install dynalite into " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing dynalite", e);
    }
  }

  private static boolean awaitHealthy(Process p, int port) {
    long end = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        return false;
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        try (InputStream in = c.getInputStream()) {
          String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          if (c.getResponseCode() == 200 && body.startsWith("healthy")) {
            return true;
          }
        } finally {
          c.disconnect();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static String executable(String name) {
    String path = which(name);
    return path == null ? name : path;
  }

  /** The absolute path of {@code name} on the PATH, or null. */
  static String which(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path f = Path.of(d, name);
      if (Files.isRegularFile(f) && Files.isExecutable(f)) {
        return f.toString();
      }
    }
    return null;
  }

  private static String tail(Path file) {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
