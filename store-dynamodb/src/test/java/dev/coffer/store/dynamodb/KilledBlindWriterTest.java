package dev.coffer.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.Coffer;
import dev.coffer.CollectedGarbage;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Page;
import dev.coffer.Scan;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.kms.local.LocalKeyProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer JVMs putting new keys blindly into a table without a sort key (a new partition each: its
 * index entry and its root), killed with SIGKILL: one exactly between the two writes of a new
 * partition (checked in the raw table: its entry is there, its root is not), one wherever it
 * happens to be. Scan finds every key GetItem finds and every key whose put was acknowledged, at
 * once (no later write or {@code collectGarbage()} needed), and again after one more acknowledged
 * write per key from another instance; {@code collectGarbage()} then finds no partition missing
 * from the index.
 */
class KilledBlindWriterTest {
  @TempDir Path tmp;

  @Test
  void blindWritersKilledWithSigkillLeaveNoAcknowledgedKeyOutOfScan() throws Exception {
    Writers w = new Writers(tmp);
    w.createStore(TableSpec.builder().name("flat").partitionKey("pk", AttributeType.S).build());
    Writers.Child stalled = w.start(BlindWriterChild.class, "blindstall", 1, 0, 30, 1);
    Writers.Child killed = w.start(BlindWriterChild.class, "blind", 2, 0, 0, 2);
    stalled.go();
    killed.go();
    stalled.await(l -> l.stream().anyMatch(x -> x.startsWith("MIDCREATE ")), 300);
    killed.await(l -> l.stream().filter(x -> x.startsWith("ACK ")).count() >= 30, 300);
    List<List<String>> outputs = List.of(killed.kill(), stalled.kill());
    Map<String, String> acknowledged = new TreeMap<>();
    Set<String> attempted = new TreeSet<>();
    for (List<String> out : outputs) {
      for (String l : out) {
        String[] p = l.split(" ");
        if (l.startsWith("INFLIGHT ")) {
          attempted.add(p[1]);
        } else if (l.startsWith("ACK put ")) {
          acknowledged.put(p[2], p[3]);
        }
      }
    }
    String stalledKey = "w1-30"; // its entry is written, its root is not
    assertThat(attempted).contains(stalledKey);
    assertThat(acknowledged).doesNotContainKey(stalledKey).hasSizeGreaterThanOrEqualTo(60);
    byte[] stalledPartition = assertKilledBetweenEntryAndRoot(w, outputs.get(1));

    try (LocalKeyProvider p = w.provider();
        Coffer c = Coffer.open(w.options(p).garbageGracePeriod(Duration.ofMillis(500)).build())) {
      Table t = c.table("flat");
      Map<String, String> got = new TreeMap<>();
      for (String k : attempted) {
        t.getItem(Key.of(k)).ifPresent(i -> got.put(k, i.get("tag").s()));
      }
      assertThat(scanAll(t)).as("Scan finds what GetItem finds").isEqualTo(got);
      assertThat(got).containsAllEntriesOf(acknowledged).doesNotContainKey(stalledKey);

      for (String k : attempted) {
        t.putItem(Item.builder().string("pk", k).string("tag", "again").build());
      }
      assertThat(raw(w).query(stalledPartition, null, true, 1))
          .as("the stalled key's partition, written now (the raw check above looked at it)")
          .isNotEmpty();
      Map<String, String> again = scanAll(t);
      assertThat(again.keySet()).isEqualTo(attempted);
      assertThat(new TreeSet<>(again.values())).containsExactly("again");

      CollectedGarbage g = c.collectGarbage();
      assertThat(g.indexEntriesAdded()).as("partitions missing from the index").isZero();
      assertThat(scanAll(t)).isEqualTo(again);
    }
  }

  /**
   * The stalled writer was killed between its new partition's two writes: the index entry it named
   * in its {@code MIDCREATE} line is in the table, and no record of that partition is (its node
   * partition: the table key, the entry's first 4 bytes of partition key, then the token, the
   * entry's sort key). Read raw, before any other instance writes.
   *
   * @return that node partition's key
   */
  private static byte[] assertKilledBetweenEntryAndRoot(Writers w, List<String> stalledOutput) {
    List<String> mid = stalledOutput.stream().filter(l -> l.startsWith("MIDCREATE ")).toList();
    assertThat(mid).hasSize(1);
    String[] p = mid.get(0).split(" ");
    byte[] entryPk = Base64.getDecoder().decode(p[1]);
    byte[] token = Base64.getDecoder().decode(p[2]);
    assertThat(entryPk).hasSize(BlindWriterChild.StallAfterIndexEntry.INDEX_PARTITION_BYTES);
    byte[] nodePk = Arrays.copyOf(entryPk, 4 + token.length);
    System.arraycopy(token, 0, nodePk, 4, token.length);
    assertThat(raw(w).get(entryPk, token)).as("the stalled writer's index entry").isNotNull();
    assertThat(raw(w).query(nodePk, null, true, 1)).as("records of its partition").isEmpty();
    return nodePk;
  }

  /** The store's DynamoDB table, read raw (the client stays open: {@link Writers} owns it). */
  private static DynamoDbBackend raw(Writers w) {
    return DynamoDbBackend.builder().client(w.client).tableName(w.ddbTable).build();
  }

  /** Every item of {@code t} by Scan, in pages: key to tag. */
  private static Map<String, String> scanAll(Table t) {
    Map<String, String> out = new TreeMap<>();
    List<Item> items = new ArrayList<>();
    Scan s = Scan.all().limit(25);
    while (true) {
      Page page = t.scan(s);
      items.addAll(page.items());
      if (page.lastEvaluatedKey().isEmpty()) {
        break;
      }
      s = s.exclusiveStartKey(page.lastEvaluatedKey().get());
    }
    items.forEach(i -> out.put(i.get("pk").s(), i.get("tag").s()));
    return out;
  }
}
