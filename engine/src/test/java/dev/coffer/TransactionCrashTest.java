package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM ({@link CrashChild} in {@code txn} mode, synced writes) runs TransactWriteItems of up
 * to 90 actions over two tables (puts of a new group of items, deletes of an older group, several
 * items per partition) and is killed with SIGKILL at a random moment, five times on one store.
 * After each kill the store is reopened and every group is checked: complete or absent (never part
 * of a transaction), every acknowledged transaction applied, the transaction in flight at the kill
 * applied wholly (its group present AND its predecessor deleted) or not at all, and nothing else
 * changed. The crash torture (module {@code torture}) checks transactions the same way on every
 * build, among its other operations.
 */
class TransactionCrashTest {
  private static final int ROUNDS = 5;

  @TempDir Path tmp;

  @Test
  void testRecoverEachTransactionWhollyOrNotAtAll() throws Exception {
    ChildJvm jvm = new ChildJvm(tmp);
    Random rnd = new Random(11);
    Map<Long, Boolean> model = new HashMap<>(); // group -> present, as last checked
    int acknowledged = 0;
    int inFlightApplied = 0;
    int inFlightAbsent = 0;
    for (int round = 0; round < ROUNDS; round++) {
      ChildJvm.Running child = jvm.start("txn", Integer.toString(round));
      Thread.sleep(200 + rnd.nextInt(1000));
      List<String> lines = child.kill();
      Set<Long> begun = new HashSet<>();
      Set<Long> acked = new HashSet<>();
      for (String l : lines) {
        String[] f = l.split(" ");
        if (f.length == 3 && f[2].equals(".") && (f[0].equals("B") || f[0].equals("A"))) {
          (f[0].equals("B") ? begun : acked).add(Long.parseLong(f[1]));
        }
      }
      Map<Long, Integer> found = read(jvm);
      long base = round * 1_000_000L;
      Long inFlight = null;
      for (long g : begun) {
        if (!acked.contains(g)) {
          assertThat(inFlight).as("one writer: at most one transaction in flight").isNull();
          inFlight = g;
        }
      }
      for (Map.Entry<Long, Integer> e : found.entrySet()) {
        long g = e.getKey();
        assertThat(e.getValue())
            .as("group %d complete (all or nothing)", g)
            .isEqualTo(CrashChild.groupSize(g));
        assertThat(g >= base ? begun.contains(g) : model.getOrDefault(g, false))
            .as("group %d was written by a transaction that began", g)
            .isTrue();
      }
      for (long g : acked) {
        long deleter = g + 5;
        boolean deleted = acked.contains(deleter);
        boolean maybeDeleted = begun.contains(deleter) && !deleted;
        if (!maybeDeleted) {
          assertThat(found.containsKey(g))
              .as("acknowledged group %d %s", g, deleted ? "deleted" : "present")
              .isEqualTo(!deleted);
        }
      }
      acknowledged += acked.size();
      if (inFlight != null) {
        boolean created = found.containsKey(inFlight);
        long predecessor = inFlight - 5;
        if (predecessor >= base) {
          assertThat(found.containsKey(predecessor))
              .as("transaction %d: its delete of %d goes with its puts", inFlight, predecessor)
              .isEqualTo(!created);
        }
        if (created) {
          inFlightApplied++;
        } else {
          inFlightAbsent++;
        }
      }
      for (Map.Entry<Long, Boolean> e : model.entrySet()) {
        assertThat(found.containsKey(e.getKey()))
            .as("group %d of an earlier round unchanged", e.getKey())
            .isEqualTo(e.getValue());
      }
      for (long g : begun) {
        model.put(g, found.containsKey(g));
      }
      model.replaceAll((g, present) -> found.containsKey(g));
    }
    System.out.printf(
        "TransactionCrashTest: %d kills, %d acknowledged transactions checked, in flight at a kill:"
            + " %d applied, %d not applied%n",
        ROUNDS, acknowledged, inFlightApplied, inFlightAbsent);
    assertThat(acknowledged).as("transactions acknowledged over %d kills", ROUNDS).isPositive();
    assertThat(inFlightApplied + inFlightAbsent).isLessThanOrEqualTo(ROUNDS);
  }

  /** Group to number of items, over both tables, after a reopen; checks every item's size field. */
  private static Map<Long, Integer> read(ChildJvm jvm) {
    Map<Long, Integer> groups = new TreeMap<>();
    try (LocalKeyProvider p = jvm.provider();
        Coffer c = Coffer.open(jvm.dir(), jvm.options(p).build())) {
      CrashChild.transactionTables(c);
      for (String name : List.of("txa", "txb")) {
        Table t = c.table(name);
        Scan scan = Scan.all().limit(500);
        while (true) {
          Page page = t.scan(scan);
          for (Item i : page.items()) {
            long g = Long.parseLong(i.get("group").n());
            assertThat(Integer.parseInt(i.get("of").n())).isEqualTo(CrashChild.groupSize(g));
            groups.merge(g, 1, Integer::sum);
          }
          if (page.lastEvaluatedKey().isEmpty()) {
            break;
          }
          scan = scan.exclusiveStartKey(page.lastEvaluatedKey().get());
        }
      }
      assertThat(c.verify().clean()).isTrue();
    }
    return groups;
  }
}
