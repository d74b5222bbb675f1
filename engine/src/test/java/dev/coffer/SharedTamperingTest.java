package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import dev.coffer.spi.WriteCondition;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TamperingTest} over a shared record backend (in memory), plus what only a shared backend
 * has: nodes under fresh ids in partitions of their own, and values split into chunks.
 */
class SharedTamperingTest extends TamperingTest {
  private final MemoryBackend backend = new MemoryBackend(1024);
  private final TestStores stores = new TestStores();
  @TempDir Path here;

  @Override
  BackendFixture fixture() {
    return BackendFixture.shared("memory", () -> new MemoryBackend(1024));
  }

  private Coffer openShared() {
    return Coffer.open(stores.options().backend(backend).build());
  }

  /** A partition "p" deep enough to have inner nodes and several leaves; returns the table id. */
  private String deepPartition() {
    try (Coffer c = openShared()) {
      Table t =
          c.createTable(
              TableSpec.builder()
                  .name("deep")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .pageTargetBytes(200)
                  .build());
      for (int i = 0; i < 120; i++) {
        t.putItem(
            Item.builder().string("pk", "p").number("sk", i).string("v", "value " + i).build());
        t.putItem(
            Item.builder().string("pk", "q").number("sk", i).string("v", "value " + i).build());
      }
      return t.describe().tableId();
    }
  }

  private void queryFails(String partition) {
    try (Coffer c = openShared()) {
      assertThatThrownBy(() -> c.table("deep").query(Query.partition(partition)))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("deep");
    }
  }

  @Test
  void aNodeCopiedOverAnotherNodeOfItsPartitionFails() {
    String table = deepPartition();
    BackendFixture.SharedRaw raw = new BackendFixture.SharedRaw(backend);
    List<byte[]> keys = raw.nodeKeys(table);
    byte[] a = null;
    for (byte[] k : keys) {
      long id = java.nio.ByteBuffer.wrap(k, 16, 8).getLong();
      if (id != 0 && a == null) {
        a = k;
      } else if (id != 0 && Arrays.equals(k, 0, 16, a, 0, 16)) {
        // same partition, another node id (its associated data differs): every other node of a's
        // partition, so that some node its tree reaches is replaced whatever is garbage by now
        raw.put(table, k, raw.get(table, a));
      }
    }
    try (Coffer c = openShared()) {
      Table t = c.table("deep");
      int failures = 0;
      for (String p : List.of("p", "q")) {
        try {
          assertThat(t.query(Query.partition(p)).items()).hasSize(120);
        } catch (CorruptionException e) {
          failures++;
        }
      }
      assertThat(failures).isEqualTo(1);
    }
  }

  @Test
  void aChangedOrMissingChunkFails() {
    try (Coffer c = openShared()) {
      Table t =
          c.createTable(
              TableSpec.builder().name("deep").partitionKey("pk", AttributeType.S).build());
      t.putItem(Item.builder().string("pk", "big").string("v", "x".repeat(5000)).build());
    }
    BackendRecord chunk =
        backend.all().stream().filter(r -> r.partitionKey().length == 21).findFirst().orElseThrow();
    byte[] v = chunk.value();
    v[10] ^= 1;
    backend.rawPut(chunk.partitionKey(), chunk.sortKey(), v, chunk.version());
    queryFails("big");
    backend.rawPut(chunk.partitionKey(), chunk.sortKey(), null, 0);
    queryFails("big");
  }

  @Test
  void aRootSwappedForItsEarlierVersionIsReadAsThatVersion() {
    // Documented limit (docs/scale-out.md, "What DynamoDB sees"): whoever can write the backend can
    // put back an earlier root of the same partition; it authenticates (rollback is the freshness
    // counters' business, not the concurrency protocol's). This test pins the behaviour down.
    try (Coffer c = openShared()) {
      Table t =
          c.createTable(
              TableSpec.builder().name("deep").partitionKey("pk", AttributeType.S).build());
      t.putItem(Item.builder().string("pk", "k").string("v", "one").build());
      BackendRecord root =
          backend.all().stream()
              .filter(r -> r.partitionKey().length == 20)
              .findFirst()
              .orElseThrow();
      t.putItem(Item.builder().string("pk", "k").string("v", "two").build());
      backend.put(root, WriteCondition.none());
      assertThat(t.getItem(Key.of("k")).get().get("v").s()).isEqualTo("one");
    }
  }
}
