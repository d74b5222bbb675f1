package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, freshness: the freshness map's nodes and the sealed state naming its roots are written
 * in the same batch as the records they vouch for, so a child JVM killed with SIGKILL during synced
 * writes (delta records appended without reads, folds by the background folder, splits) leaves a
 * store that opens with freshness on, returns every acknowledged write and raises no false alarm:
 * every partition read, the whole table scanned (every acknowledged write among what the scan
 * returns) and verified (with freshness, verify compares every record with the map), then written
 * again.
 */
class FreshnessCrashTest {
  @TempDir Path tmp;

  private static final int ROUNDS = 3;

  @ParameterizedTest
  @ValueSource(strings = {"fresh-blind", "fresh-put"})
  void aProcessKilledDuringWritesLeavesAStoreThatOpensWithEveryAcknowledgedWrite(String mode)
      throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    Random rnd = new Random(mode.hashCode());
    String table = mode.equals("fresh-blind") ? "blind" : "wal";
    Map<String, Set<Integer>> acked = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      ChildJvm.Running child = jvm.start(mode, "r" + round);
      int wanted = 30 + rnd.nextInt(300);
      child.await(l -> l.stream().filter(s -> s.startsWith("ACK ")).count() >= wanted);
      List<String> lines = child.kill();
      for (String l : lines) {
        if (l.startsWith("ACK ")) {
          String[] f = l.split(" ");
          acked.computeIfAbsent(f[2], k -> new HashSet<>()).add(Integer.parseInt(f[3]));
        }
      }
      try (LocalKeyProvider p = jvm.provider();
          Coffer c = Coffer.open(jvm.dir(), jvm.options(p).freshness(true).build())) {
        Table t = c.table(table);
        int total = 0;
        for (Map.Entry<String, Set<Integer>> e : acked.entrySet()) {
          List<Item> items = t.query(Query.partition(e.getKey())).items();
          for (int sk : e.getValue()) {
            assertThat(items)
                .as("round " + round + ": acknowledged write " + e.getKey() + " " + sk)
                .contains(CrashChild.item(e.getKey(), sk));
          }
          total += e.getValue().size();
        }
        List<Item> scanned = new ArrayList<>();
        Key from = null;
        do {
          Scan s = Scan.all();
          Page page = t.scan(from == null ? s : s.exclusiveStartKey(from));
          scanned.addAll(page.items());
          from = page.lastEvaluatedKey().orElse(null);
        } while (from != null);
        for (Map.Entry<String, Set<Integer>> e : acked.entrySet()) {
          for (int sk : e.getValue()) {
            assertThat(scanned)
                .as("round " + round + ": scanned " + e.getKey() + " " + sk)
                .contains(CrashChild.item(e.getKey(), sk));
          }
        }
        assertThat(c.freshnessStats().failedChecks()).isZero();
        assertThat(t.verify().findings()).as("round " + round + ": verify").isEmpty();
        assertThat(total).isPositive();
        t.putItem(CrashChild.item("after-" + round, 1)); // the map takes writes again
      }
    }
  }
}
