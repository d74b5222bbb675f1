package dev.coffer.bench.report;

import static dev.coffer.bench.report.Format.fixed;
import static dev.coffer.bench.report.Format.num;
import static dev.coffer.bench.report.Format.row;
import static dev.coffer.bench.report.Format.spread;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The report section of {@code DataPlaneBenchmark} (issue 11): every operation's throughput per
 * store, each data-plane operation against the plain operation it adds to (same store, JVM and
 * round), each Coffer store against plain RocksDB with the same memory, and issue 11's three
 * targets. Not thread-safe; used once.
 */
final class DataPlaneReport {
  private static final String CLASS = "DataPlaneBenchmark";

  /** Subject, baseline, target (at most this slowdown) or NaN, and what the row means. */
  private static final String[][] PAIRS = {
    {"conditionalPut", "put", "1.1", "conditional put (attribute_not_exists) / unconditional put"},
    {"updateSet", "put", "1.2", "UpdateItem SET one attribute / put"},
    {"updateAdd", "put", "1.2", "UpdateItem ADD to a counter / put"},
    {"transact10", "put10", "1.0", "one 10-action TransactWriteItems / ten single puts"},
  };

  private final List<JmhResult> results;
  private final StringBuilder md;
  private final List<TargetCheck> checks;

  DataPlaneReport(List<JmhResult> all, StringBuilder md, List<TargetCheck> checks) {
    this.results =
        all.stream()
            .filter(r -> r.className.equals(CLASS))
            .collect(Collectors.toCollection(ArrayList::new));
    this.md = md;
    this.checks = checks;
  }

  void write() {
    if (results.isEmpty()) {
      return;
    }
    md.append(
        "## Data plane: conditions, UpdateItem, transactions, filters (`DataPlaneBenchmark`)\n\n");
    md.append(
            "A table with a sort key and 100 items per partition. `put`: overwrite a random item; ")
        .append(
            "`conditionalPut`: the same with `attribute_not_exists(locked)` (always true); `updateSet` / ")
        .append(
            "`updateAdd`: UpdateItem `SET note = :v` / `ADD hits :one`; `put10` / `transact10`: ten random ")
        .append(
            "items as ten puts / one TransactWriteItems (one op = ten items); `queryFilter`: a partition with ")
        .append(
            "a filter keeping 10 of its 100 items. Plain RocksDB does the same work by hand: get, decode, ")
        .append(
            "check or modify, encode, put; a WriteBatch of ten; iterate, decode and filter. Scores are ")
        .append(
            "throughput (higher is better); `slowdown` = time of the first operation / time of the second ")
        .append("(same store, JVM and round).\n\n");
    md.append(
        "| comparison | store | slowdown | spread | target |\n| --- | --- | ---: | --- | --- |\n");
    for (String[] p : PAIRS) {
      for (Ratio r : Ratio.methods(results, p[0], p[1], true)) {
        String store = r.subject.param("store");
        boolean coffer = store != null && store.startsWith("coffer");
        double target = Double.parseDouble(p[2]);
        md.append(
            row(
                p[3],
                store,
                fixed(r.value),
                spread(r),
                coffer ? "<= " + p[2] + "x" : "(plain RocksDB)"));
        if (coffer) {
          checks.add(
              TargetCheck.atMost(
                  p[3]
                      + " <= "
                      + p[2]
                      + "x ("
                      + store
                      + ", "
                      + r.subject.param("partitions")
                      + " partitions)",
                  r,
                  target));
        }
      }
    }
    md.append('\n');
    md.append("| operation | store | ops/s | vs plain RocksDB (same memory) | spread |\n")
        .append("| --- | --- | ---: | ---: | --- |\n");
    for (Ratio r :
        Ratio.pair(
            results, "store", s -> s.endsWith("cache-on") ? "rocksdb-cache-on" : "rocksdb", true)) {
      md.append(
          row(
              r.subject.method,
              r.subject.param("store"),
              num(r.subjectScore()),
              r.isBaseline() ? "1.00 (baseline)" : fixed(r.value) + "x",
              r.isBaseline() ? "" : spread(r)));
    }
    md.append('\n');
  }
}
