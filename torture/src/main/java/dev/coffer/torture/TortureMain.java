package dev.coffer.torture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The crash torture as a command: {@code torture/run.sh [--cycles N] [--seed S] [--duration D]
 * [--min-cycles N] [--dir PATH] [--finish-jobs P] [--quiet]} (see {@link TortureOptions#usage()}).
 * Prints a line per cycle and the report; exits 0 when the run is clean, 1 when it found a
 * violation (the work directory keeps the store, the keystore and the failing cycle's journal), 2
 * for bad options. The default work directory is deleted after a clean run.
 */
public final class TortureMain {
  private TortureMain() {}

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(TortureOptions.usage());
      return;
    }
    TortureOptions options;
    try {
      options = TortureOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("torture: " + e.getMessage());
      System.err.println(TortureOptions.usage());
      System.exit(2);
      return;
    }
    System.out.println("Crash torture: " + options);
    TortureReport report;
    try {
      report = CrashTorture.run(options, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("torture: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.out.print(report.format());
    if (report.clean() && options.defaultDir()) {
      deleteRecursively(options.dir());
      System.out.println("  (work directory deleted)");
    }
    System.exit(report.clean() ? 0 : 1);
  }
}
