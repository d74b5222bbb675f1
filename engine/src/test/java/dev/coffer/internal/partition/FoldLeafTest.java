package dev.coffer.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.coffer.AttributeType;
import dev.coffer.AttributeValue;
import dev.coffer.Coffer;
import dev.coffer.CofferOptions;
import dev.coffer.EngineAccess;
import dev.coffer.Item;
import dev.coffer.Key;
import dev.coffer.Table;
import dev.coffer.TableSpec;
import dev.coffer.fixture.SealedPages;
import dev.coffer.internal.catalog.TableContext;
import dev.coffer.internal.model.KeyCodec;
import dev.coffer.internal.record.Entry;
import dev.coffer.kms.KeyManagement.CreateKeyRequest;
import dev.coffer.kms.memory.InMemoryKeyProvider;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PartitionWriter#foldLeaf}, the background folder's job, when the partition's metadata is
 * not held (evicted between the request and the fold, or never loaded): the leaf is found by
 * reading it and descending from the root, folded into one page with the same entries, and a leaf
 * that is gone or has nothing to fold is left alone.
 */
class FoldLeafTest {
  @TempDir Path dir;

  private static Item item(int sk, int version) {
    return Item.builder()
        .string("pk", "p")
        .number("sk", sk)
        .string("pad", "v" + version + "-" + "x".repeat(200))
        .build();
  }

  @Test
  void aLeafIsFoldedWithoutThePartitionsMetadata() {
    InMemoryKeyProvider provider = InMemoryKeyProvider.create();
    String keyId = provider.createKey(CreateKeyRequest.withDescription("fold")).keyId();
    CofferOptions options =
        CofferOptions.builder().keyProvider(provider).masterKeyId(keyId).pageCacheBytes(0).build();
    try (Coffer c = Coffer.open(dir, options)) {
      Table table =
          c.createTable(
              TableSpec.builder()
                  .name("events")
                  .partitionKey("pk", AttributeType.S)
                  .sortKey("sk", AttributeType.N)
                  .build());
      for (int i = 0; i < 100; i++) {
        table.putItem(item(i, 0));
      }
      for (int v = 1; v <= 3; v++) {
        table.putItem(item(50, v));
      }
      Partitions p = EngineAccess.partitions(c);
      p.stopFolding(); // this test folds itself
      TableContext t = EngineAccess.table(c, "events");
      byte[] token = SealedPages.token(c, "events", "p");
      ByteString sk = ByteString.copyFrom(KeyCodec.encodeSortKey(AttributeValue.n(50)));
      NodeReader reader = p.reader();
      TreePath path = TreePath.descend(reader, t, token, reader.readRequired(t, token, 0), sk);
      long leafId = path.leafId();
      assertThat(path.leafLevel()).as("the leaf is below an inner root").isPositive();
      assertThat(path.leaf().deltaCount()).isGreaterThanOrEqualTo(3);

      p.metadata().invalidateTable(t.serial());
      Lock lock = p.locks().forToken(token).writeLock();
      lock.lock();
      try {
        assertThat(p.writer().foldLeaf(t, token, leafId, 1)).isTrue();
        assertThat(p.writer().foldLeaf(t, token, leafId, 1)).as("nothing left to fold").isFalse();
        assertThat(p.writer().foldLeaf(t, token, 1L << 40, 1)).as("no such leaf").isFalse();
      } finally {
        lock.unlock();
      }
      Node folded = reader.readRequired(t, token, leafId);
      assertThat(folded.deltaCount()).isZero();
      assertThat(folded.entries())
          .extracting(Entry::toProto)
          .isEqualTo(path.leaf().entries().stream().map(Entry::toProto).toList());
      for (int i = 0; i < 100; i++) {
        assertThat(table.getItem(Key.of(AttributeValue.s("p"), AttributeValue.n(i))))
            .contains(item(i, i == 50 ? 3 : 0));
      }
      assertThat(table.verify().clean()).isTrue();
    }
  }
}
