package dev.coffer.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@link ServeBenchmark}, from {@code --name=value} arguments.
 *
 * @param rounds measured rounds (the report gives the median over them)
 * @param warmup calls per target and operation before the first round
 * @param ops timed single-thread calls per target, operation and round
 * @param threads client threads of the concurrent phase
 * @param throughputOps calls of the concurrent phase, per target, operation and round
 * @param partitions partitions of the preloaded table (10 items each)
 * @param itemBytes the size of each item's value attribute
 * @param targets {@code in-process}, {@code coffer-serve}, {@code dynalite}
 * @param clients the SDK HTTP clients of the HTTP targets: {@code apache}, {@code url-connection}
 * @param scratch where stores live while measured
 * @param out a file for the Markdown report, or null
 */
record ServeOptions(
    int rounds,
    int warmup,
    int ops,
    int threads,
    int throughputOps,
    int partitions,
    int itemBytes,
    List<String> targets,
    List<String> clients,
    Path scratch,
    Path out) {

  static ServeOptions parse(String... args) {
    int rounds = 3;
    int warmup = 3000;
    int ops = 5000;
    int threads = 4;
    int throughputOps = 20000;
    int partitions = 200;
    int itemBytes = 100;
    List<String> targets = List.of("in-process", "coffer-serve", "floor", "dynalite");
    List<String> clients = List.of("apache");
    Path scratch = ServeBenchmark.defaultScratch();
    Path out = null;
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + a);
      }
      String name = a.substring(2, eq);
      String value = a.substring(eq + 1);
      switch (name) {
        case "rounds" -> rounds = positive(name, value);
        case "warmup" -> warmup = Integer.parseInt(value);
        case "ops" -> ops = positive(name, value);
        case "threads" -> threads = positive(name, value);
        case "throughput-ops" -> throughputOps = positive(name, value);
        case "partitions" -> partitions = positive(name, value);
        case "item-bytes" -> itemBytes = positive(name, value);
        case "targets" -> targets = List.of(value.split(","));
        case "clients" -> clients = List.of(value.split(","));
        case "scratch" -> scratch = Path.of(value);
        case "out" -> out = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    return new ServeOptions(
        rounds,
        warmup,
        ops,
        threads,
        throughputOps,
        partitions,
        itemBytes,
        targets,
        clients,
        scratch,
        out);
  }

  private static int positive(String name, String value) {
    int v = Integer.parseInt(value);
    if (v < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
    }
    return v;
  }
}
