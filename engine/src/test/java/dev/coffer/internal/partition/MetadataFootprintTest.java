package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.PartitionMetadataStats;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.fixture.SealedPages;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the partition metadata costs per partition in the layout of the benchmark's scaling dataset
 * (100 items of ~256 bytes per partition, 6-byte sort keys, filled in a shuffled order): the state
 * of every partition is held, its weight is what {@link PartitionMetadataStats} counts, and that
 * weight stays within what the default bound can hold for 50,000 such partitions (the 5M-item
 * dataset), so that gets there read only their leaf. Also checks that gets find their items through
 * the held routing without loading any partition's metadata again.
 */
class MetadataFootprintTest {
  @TempDir Path dir;

  private static final int PARTITIONS = 100;
  private static final int PER_PARTITION = 100;

  private static String pk(int p) {
    return String.format(Locale.ROOT, "p%023d", p);
  }

  private static String sk(int s) {
    return String.format(Locale.ROOT, "s%05d", s);
  }

  private static Item item(int i) {
    byte[] payload = new byte[200];
    new SplittableRandom(i).nextBytes(payload);
    return Item.builder()
        .string("pk", pk(i / PER_PARTITION))
        .string("sk", sk(i % PER_PARTITION))
        .bytes("v", payload)
        .build();
  }

  @Test
  void aPartitionOfAHundredItemsCostsLittleMetadata() throws Exception {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String keyId = provider.createKey(CreateKeyRequest.withDescription("footprint")).keyId();
    CofferOptions options =
        CofferOptions.builder().keyProvider(provider).masterKeyId(keyId).pageCacheBytes(0).build();
    int items = PARTITIONS * PER_PARTITION;
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(11);
    for (int i = items - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int x = order[i];
      order[i] = order[j];
      order[j] = x;
    }
    try (Coffer c = Coffer.open(dir, options)) {
      Table table =
          c.createTable(
              TableSpec.builder()
                  .name("bench")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.S)
                  .build());
      for (int i : order) {
        table.putItem(item(i));
      }
      Partitions p = EngineAccess.partitions(c);
      p.drainFolds();
      TableContext t = EngineAccess.table(c, "bench");
      PartitionMetadataStats stats = c.partitionMetadataStats();
      assertThat(stats.partitions()).isEqualTo(PARTITIONS);
      assertThat(stats.evictions()).isZero();

      long weights = 0;
      long leaves = 0;
      for (int part = 0; part < PARTITIONS; part++) {
        PartitionState s = p.metadata().get(t.serial(), SealedPages.token(c, "bench", pk(part)));
        assertThat(s).isNotNull();
        assertThat(s.height).as("100 items of ~256 bytes: a root above leaves").isEqualTo(2);
        weights += s.weight;
        leaves += s.root.childCount();
      }
      assertThat(stats.residentBytes()).isEqualTo(weights);
      double perPartition = weights / (double) PARTITIONS;
      System.out.printf(
          Locale.ROOT,
          "partition metadata: %.0f bytes per partition of %d items, %.1f leaves per partition%n",
          perPartition,
          PER_PARTITION,
          leaves / (double) PARTITIONS);
      assertThat(perPartition * 50_000)
          .as("50,000 such partitions (5M items) fit the default bound")
          .isLessThan(CofferOptions.DEFAULT_PARTITION_METADATA_BYTES * 0.9);

      // gets read only their leaf: every item is found through the held routing
      for (int i = 0; i < items; i += 7) {
        assertThat(
                table.getItem(
                    Key.of(
                        AttributeValue.s(pk(i / PER_PARTITION)),
                        AttributeValue.s(sk(i % PER_PARTITION)))))
            .contains(item(i));
      }
      assertThat(c.partitionMetadataStats().misses()).isEqualTo(stats.misses());
    }
  }
}
