package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.Coffer;
import dev.coffer.CollectedGarbage;
import dev.coffer.Table;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer JVM killed with SIGKILL in the middle of a split (after it wrote the split's new nodes,
 * before it swapped the partition's root), while another writer JVM goes on: no acknowledged write
 * is lost, every partition reads whole (by Query and Scan) and verifies clean, and the dead
 * writer's orphaned nodes are collected afterwards.
 */
class KilledWriterTest {
  @TempDir Path tmp;

  @Test
  void aWriterKilledMidSplitLosesNoAcknowledgedWriteAndLeavesEveryPartitionReadable()
      throws Exception {
    int partitions = 2;
    Writers w = new Writers(tmp);
    w.createStore();
    Writers.Child victim = w.start("midsplit", 1, partitions, 60, 7);
    Writers.Child other = w.start("write", 2, partitions, 120, 8);
    victim.go();
    other.go();
    victim.await(l -> l.contains("MIDSPLIT"), 300);
    List<String> victimOut = victim.kill();
    List<String> otherOut = other.finish(600);
    assertThat(victimOut).contains("MIDSPLIT").doesNotContain("DONE");
    // The killed writer's last write was not acknowledged, and it stopped before its root swap:
    // that write did not happen, and every key holds exactly what its writer acknowledged last.
    Map<String, String> reference = Writers.reference(List.of(victimOut, otherOut));
    try (LocalKeyProvider p = w.provider();
        Coffer c = Coffer.open(w.options(p).garbageGracePeriod(Duration.ofMillis(500)).build())) {
      Table t = c.table("shared");
      assertThat(Writers.contents(t, partitions)).isEqualTo(reference);
      assertThat(t.verify().findings()).isEmpty();
      CollectedGarbage g = c.collectGarbage();
      assertThat(g.nodesDeleted())
          .as("the split's orphaned new nodes, and what the killed writer left queued")
          .isPositive();
      assertThat(Writers.contents(t, partitions)).isEqualTo(reference);
      assertThat(t.verify().findings()).isEmpty();
    }
  }
}
