package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a shared backend a record under a data-key version the reader's catalog lacks makes it read
 * the catalog again, but only when the version may be one it has not seen (newer than every version
 * its entry names): a record under a version it knows destroyed (an old record put back, or
 * crypto-shredded data) fails as damage at once, without a catalog read. The race itself (a newer
 * version) is tested against dynalite by {@code StaleCatalogReadTest} in {@code store-dynamodb}; on
 * an embedded store an unknown version is damage ({@code TableRecordsTest}).
 */
class SharedKeyCatchUpTest {
  private final TestStores stores = new TestStores();

  private Coffer open(MemoryBackend backend, Duration interval) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .accessCheckInterval(interval)
            .garbageGracePeriod(Duration.ofMillis(100))
            .build());
  }

  @Test
  void aRecordUnderAVersionKnownDestroyedFailsWithoutReadingTheCatalog() {
    MemoryBackend memory = new MemoryBackend();
    BackendRecord old;
    try (Coffer b = open(memory, Duration.ofMillis(100))) {
      Table flat =
          b.createTable(
              TableSpec.builder().name("flat").partitionKey("pk", AttributeType.S).build());
      flat.putItem(Item.builder().string("pk", "x").string("v", "under 1").build());
      List<BackendRecord> roots =
          memory.all().stream().filter(r -> r.partitionKey().length == 32).toList();
      assertThat(roots).hasSize(1);
      old = roots.get(0);
      assertThat(flat.rotateDataKey()).isEqualTo(2);
      assertThat(flat.reencrypt(ReencryptOptions.defaults()).destroyedVersions())
          .containsExactly(1);
    }
    memory.rawPut(old.partitionKey(), old.sortKey(), old.value(), old.version()); // rolled back
    try (Coffer a = open(memory, Duration.ofHours(1))) {
      Table flat = a.table("flat");
      long before = memory.requests();
      assertThatThrownBy(() -> flat.getItem(Key.of("x")))
          .isInstanceOf(CorruptionException.class)
          .hasMessageContaining("names data-key version 1, which this table does not have")
          .hasMessageNotContaining("catalog");
      assertThat(memory.requests() - before).as("the root only").isEqualTo(1);
    }
  }
}
