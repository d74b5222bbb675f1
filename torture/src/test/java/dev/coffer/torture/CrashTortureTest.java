package dev.coffer.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crash torture ({@link CrashTorture}) as a test. In the default build: 50 kill cycles, but no
 * new cycle after 150 s once 15 have run (the machine may be loaded). With the Maven profile {@code
 * torture-long}: 1,000 cycles. System properties: {@code coffer.torture.cycles}, {@code
 * coffer.torture.seed} (random by default; printed), {@code coffer.torture.maxSeconds} (0: no
 * limit). The work directory is under {@code target/} and is deleted when the run is clean; a
 * failing run keeps it (store, keystore, the failing cycle's journal) and names it in the report.
 */
class CrashTortureTest {
  @Test
  void killedWritersLoseNothing() throws Exception {
    int cycles = Integer.getInteger("coffer.torture.cycles", 50);
    long seed = Long.getLong("coffer.torture.seed", System.nanoTime());
    long maxSeconds = Long.getLong("coffer.torture.maxSeconds", 150);
    int minCycles = Math.min(cycles, 15);
    Path dir = Path.of("target", "crash-torture-" + seed);
    TortureOptions options =
        TortureOptions.builder()
            .cycles(cycles)
            .seed(seed)
            .minCycles(minCycles)
            .duration(Duration.ofSeconds(maxSeconds))
            .dir(dir)
            .build();
    System.out.println("CrashTortureTest: " + options);
    TortureReport report = CrashTorture.run(options, System.out);
    System.out.print(report.format());

    assertThat(report.violations()).as("violations (store kept in %s)", dir).isEmpty();
    assertThat(report.losses()).isZero();
    assertThat(report.reopenFailures()).isZero();
    assertThat(report.cycles()).isGreaterThanOrEqualTo(minCycles);
    assertThat(report.ackedItemOps()).as("acknowledged item operations checked").isPositive();
    assertThat(report.ackedSteps()).as("acknowledged lifecycle steps checked").isPositive();
    printChildWarnings(dir);
    deleteRecursively(dir);
  }

  /**
   * What children wrote to standard error (warnings of background jobs), before the directory goes.
   */
  private static void printChildWarnings(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p :
          files
              .filter(f -> f.getFileName().toString().matches("cycle-[0-9]+\\.err"))
              .sorted()
              .toList()) {
        String s = Files.readString(p);
        System.out.println(
            "standard error of "
                + p.getFileName()
                + ":\n"
                + (s.length() > 2000 ? s.substring(0, 2000) + "..." : s));
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
