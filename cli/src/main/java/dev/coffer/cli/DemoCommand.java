package dev.coffer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code coffer demo}: Coffer's main job, end to end, in a temporary directory. */
@Command(
    name = "demo",
    description = {
      "Run the end-to-end demo: a local master key, an encrypted store with two tables, items,",
      "a query, a search of every file for plaintext, and a principal refused by the key policy."
    },
    footer = {
      "",
      "Example:",
      "  coffer demo",
      "  coffer demo --aws-kms",
      "  coffer demo --dir /tmp/coffer-demo"
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      description =
          "An empty or new directory to use and keep (default: a temporary"
              + " directory, deleted afterwards unless --keep).")
  Path dir;

  @Option(names = "--keep", description = "Keep the temporary directory afterwards.")
  boolean keep;

  @Option(
      names = "--aws-kms",
      description =
          "Use the aws-kms: provider (AWS SDK over HTTP) against a"
              + " KMS-compatible endpoint on loopback, instead of the local: provider.")
  boolean awsKms;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (dir != null && Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new ParameterException(
              spec.commandLine(),
              "--dir must name an empty or new directory: " + dir + " is not empty");
        }
      }
    }
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("coffer-demo-");
    boolean delete = dir == null && !keep;
    try {
      new StoreDemo(out, work).run(awsKms);
    } finally {
      if (delete) {
        deleteRecursively(work);
      } else {
        out.printf("%nKept %s%n", work);
      }
      out.flush();
    }
    return 0;
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
