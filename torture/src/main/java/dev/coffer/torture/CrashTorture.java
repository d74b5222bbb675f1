package dev.coffer.torture;

import dev.coffer.Coffer;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.local.LocalKeyProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The crash torture: cycle after cycle on ONE store, a child JVM ({@link TortureChild}) writes from
 * three threads and rotates, re-encrypts and runs DDL from a fourth, and is killed with SIGKILL at
 * a random moment; the parent then reopens the store and checks it against the child's journal
 * ({@link CycleChecker}). A run stops at the first cycle with a violation and keeps the store, the
 * keystore and that cycle's journal in the work directory.
 *
 * <p>Kill moments (seeded): in 10 % of cycles a random time after the child was started (often
 * while it opens the store and resumes interrupted jobs), in 85 % 30-1200 ms after it is READY, in
 * 5 % 1.2-4 s after. Children run with the page cache on or off at random.
 *
 * <p>Not thread-safe; one run at a time per work directory.
 */
public final class CrashTorture {
  private static final long READY_TIMEOUT_MILLIS = 180_000;

  private final TortureOptions options;
  private final PrintStream progress;
  private final TortureReport report = new TortureReport();
  private final Path store;
  private final Path keystore;
  private final byte[] rawKey = new byte[32];

  private CrashTorture(TortureOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
    this.store = options.dir().resolve("store");
    this.keystore = options.dir().resolve("keystore");
  }

  /**
   * Runs the torture as {@code options} say, printing a line per cycle to {@code progress} when
   * {@link TortureOptions#progress()} is on.
   *
   * @throws IOException when the work directory cannot be prepared or a child cannot be started
   * @throws IllegalArgumentException when the work directory exists and is not empty
   */
  public static TortureReport run(TortureOptions options, PrintStream progress)
      throws IOException, InterruptedException {
    return new CrashTorture(options, progress).run();
  }

  private TortureReport run() throws IOException, InterruptedException {
    Path dir = options.dir();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "the work directory " + dir + " is not empty; the torture needs a new one");
        }
      }
    }
    Files.createDirectories(dir);
    new SecureRandom().nextBytes(rawKey);
    report.seed = options.seed();
    report.dir = dir.toAbsolutePath().toString();
    StoreModel model = initialise();
    CycleChecker checker = new CycleChecker(store, keystore, rawKey, model, report);
    ChildJvm jvm = ChildJvm.in(dir);
    SplittableRandom rnd = new SplittableRandom(options.seed());
    long start = System.nanoTime();
    for (int cycle = 1; cycle <= options.cycles(); cycle++) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (!options.duration().isZero()
          && elapsed.compareTo(options.duration()) >= 0
          && cycle > options.minCycles()) {
        break;
      }
      boolean clean = cycle(cycle, rnd.split(), model, checker, jvm);
      report.elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (!clean) {
        break;
      }
    }
    report.elapsed = Duration.ofNanos(System.nanoTime() - start);
    return report;
  }

  /** A new keystore with three master keys, and the store with its core tables under the first. */
  private StoreModel initialise() {
    try (LocalKeyProvider keys = TortureKeys.open(keystore, rawKey)) {
      List<String> pool = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pool.add(
            keys.createKey(CreateKeyRequest.withDescription("torture master key " + i)).keyId());
      }
      StoreModel model = new StoreModel(pool, pool.get(0));
      try (Coffer c = Coffer.open(store, TortureKeys.options(keys, pool.get(0), 0))) {
        for (TableShape shape : TableShape.CORE) {
          c.createTable(shape.spec());
          model.tables().put(shape.name(), new StoreModel.TableState(shape, 1));
        }
      }
      return model;
    }
  }

  private boolean cycle(
      int cycle, SplittableRandom rnd, StoreModel model, CycleChecker checker, ChildJvm jvm)
      throws IOException, InterruptedException {
    int plan = rnd.nextInt(100);
    long delay =
        plan < 10
            ? rnd.nextLong(0, 1500)
            : plan < 95 ? rnd.nextLong(30, 1200) : rnd.nextLong(1200, 4000);
    long cacheBytes = rnd.nextBoolean() ? 0 : 8L << 20;
    List<String> args =
        List.of(
            "--store",
            store.toString(),
            "--keystore",
            keystore.toString(),
            "--master-key",
            model.masterKey(),
            "--keys",
            String.join(",", model.keyPool()),
            "--cycle",
            Integer.toString(cycle),
            "--seed",
            Long.toString(rnd.nextLong()),
            "--cache-bytes",
            Long.toString(cacheBytes));
    ChildProcess child =
        ChildProcess.start(
            TortureChild.class.getName(),
            jvm.options(),
            args,
            Map.of(TortureKeys.KEY_ENV, Base64.getEncoder().encodeToString(rawKey)),
            options.dir().resolve("child.err"));
    List<Violation> violations = new ArrayList<>();
    String where = "cycle " + cycle;
    if (plan < 10) {
      Thread.sleep(delay);
    } else if (child.awaitReady(READY_TIMEOUT_MILLIS)) {
      Thread.sleep(delay);
    } else if (child.isAlive()) {
      violations.add(
          new Violation(
              Violation.Type.REOPEN,
              where,
              "the child did not open the store within " + READY_TIMEOUT_MILLIS / 1000 + " s"));
    }
    boolean alive = child.isAlive();
    List<String> lines = child.kill();
    jvm.cleanTemporaryFiles();
    Path stderr = options.dir().resolve("child.err");
    if (Files.size(stderr)
        > 0) { // warnings, e.g. of a background job: kept for reading, not a violation
      report.childStderrCycles++;
      Files.copy(
          stderr,
          options.dir().resolve("cycle-" + cycle + ".err"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    CycleHistory h = CycleHistory.parse(lines);
    if (!alive) {
      violations.add(
          new Violation(
              h.ready() ? Violation.Type.CHILD : Violation.Type.REOPEN,
              where,
              "the child exited (code "
                  + child.exitCode()
                  + ") before it was killed"
                  + (h.ready() ? "" : ", without opening the store")
                  + "; its standard error: "
                  + child.stderrTail(3000)));
    }
    violations.forEach(report::add);
    report.cycles++;
    report.journalLines += h.lines();
    if (!h.ready()) {
      report.killedBeforeReady++;
    }
    boolean finishJobs = rnd.nextInt(100) < options.finishJobsPercent();
    violations.addAll(checker.check(cycle, h, rnd, finishJobs));
    if (options.progress()) {
      progress.printf(
          Locale.ROOT,
          "cycle %d: %s %d ms, %d journal lines, %d item ops acked; total acked %,d, "
              + "in flight %,d, violations %d%n",
          cycle,
          plan < 10 ? "killed at" : "killed READY +",
          delay,
          h.lines(),
          h.itemOps().stream().filter(Op::mandatory).count(),
          report.ackedItemOps,
          report.unackedItemOps,
          report.violationCount());
    }
    if (!violations.isEmpty()) {
      Path journal = options.dir().resolve("cycle-" + cycle + ".journal");
      Files.write(journal, lines, StandardCharsets.UTF_8);
      Files.copy(
          stderr,
          options.dir().resolve("cycle-" + cycle + ".err"),
          StandardCopyOption.REPLACE_EXISTING);
      return false;
    }
    return true;
  }
}
