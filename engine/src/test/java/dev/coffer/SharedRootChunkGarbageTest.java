package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import dev.coffer.spi.MemoryBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A root's value split into chunks, replaced by a small one in an instance that closed before the
 * grace period (its deletion queue is lost): {@code collectGarbage()} deletes the chunks. In layout
 * 2 a root's sort key is one byte, so its chunks' sort keys are 11 bytes (1 + chunk set 8 + index
 * 2), not 18 as in layout 1.
 */
class SharedRootChunkGarbageTest {
  @Test
  void aReplacedRootsChunksAreCollected() throws Exception {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String key = provider.createKey(CreateKeyRequest.withDescription("chunks")).keyId();
    MemoryBackend memory = new MemoryBackend(1024);
    CofferOptions options =
        CofferOptions.builder()
            .keyProvider(provider)
            .masterKeyId(key)
            .backend(memory)
            .garbageGracePeriod(Duration.ofMillis(100))
            .build();
    try (Coffer c = Coffer.open(options)) {
      Table t =
          c.createTable(
              TableSpec.builder().name("big").partitionKey("pk", AttributeType.S).build());
      t.putItem(Item.builder().string("pk", "k").string("v", "x".repeat(5000)).build());
      assertThat(chunks(memory)).isPositive();
      t.putItem(Item.builder().string("pk", "k").string("v", "small").build());
    } // closed before the grace period: the queued deletion of the old chunks is lost
    assertThat(chunks(memory)).isPositive();
    try (Coffer c = Coffer.open(options)) {
      Thread.sleep(250); // the chunks are older than the grace period
      c.collectGarbage();
      assertThat(chunks(memory)).isZero();
      assertThat(c.table("big").getItem(Key.of("k")).get().get("v").s()).isEqualTo("small");
    }
  }

  /** Chunk records: the partition key of a node (20 bytes) and {@code 0x00}. */
  private static long chunks(MemoryBackend memory) {
    return memory.all().stream().filter(r -> r.partitionKey().length == 21).count();
  }
}
