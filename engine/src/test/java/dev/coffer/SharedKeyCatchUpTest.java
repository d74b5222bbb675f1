package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Counts the reads of the catalog's entries (queries of the store's own partition). */
  private static final class CatalogReads implements RecordBackend {
    private static final byte[] STORE = "coffer/store".getBytes(StandardCharsets.US_ASCII);
    private final RecordBackend delegate;
    final AtomicInteger entryReads = new AtomicInteger();

    CatalogReads(RecordBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<BackendRecord> query(byte[] pk, byte[] start, boolean inclusive, int limit) {
      if (Arrays.equals(pk, STORE)) {
        entryReads.incrementAndGet();
      }
      return delegate.query(pk, start, inclusive, limit);
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public int maxValueBytes() {
      return delegate.maxValueBytes();
    }

    @Override
    public BackendRecord get(byte[] pk, byte[] sk) {
      return delegate.get(pk, sk);
    }

    @Override
    public BackendRecord put(BackendRecord record, WriteCondition condition) {
      return delegate.put(record, condition);
    }

    @Override
    public BackendRecord delete(byte[] pk, byte[] sk, WriteCondition condition) {
      return delegate.delete(pk, sk, condition);
    }

    @Override
    public void deleteAll(List<BackendKey> keys) {
      delegate.deleteAll(keys);
    }

    @Override
    public ScanPage scan(int segment, int total, BackendKey start, int limit) {
      return delegate.scan(segment, total, start, limit);
    }

    @Override
    public void close() {}
  }

  private Coffer open(RecordBackend backend, Duration interval) {
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
          memory.all().stream().filter(r -> r.partitionKey().length == 20).toList();
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

  private static Item flatItem(int i, String v) {
    return Item.builder().string("pk", "k" + i).string("v", v).build();
  }

  @Test
  void threadsThatMeetANewVersionTogetherReadTheCatalogOnce() throws Exception {
    MemoryBackend memory = new MemoryBackend();
    CatalogReads counted = new CatalogReads(memory);
    try (Coffer b = open(memory, Duration.ofHours(1))) {
      b.createTable(TableSpec.builder().name("flat").partitionKey("pk", AttributeType.S).build());
      try (Coffer a = open(counted, Duration.ofHours(1))) {
        Table ta = a.table("flat");
        Table tb = b.table("flat");
        assertThat(tb.rotateDataKey()).isEqualTo(2);
        int threads = 8;
        for (int i = 0; i < threads; i++) {
          tb.putItem(flatItem(i, "under 2"));
        }
        int before = counted.entryReads.get();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<Item>> reads = new ArrayList<>();
          for (int i = 0; i < threads; i++) {
            Key k = Key.of("k" + i);
            reads.add(
                pool.submit(
                    () -> {
                      go.await();
                      return ta.getItem(k).orElseThrow();
                    }));
          }
          go.countDown();
          for (Future<Item> f : reads) {
            assertThat(f.get(60, TimeUnit.SECONDS).get("v").s()).isEqualTo("under 2");
          }
        } finally {
          pool.shutdownNow();
        }
        assertThat(counted.entryReads.get() - before).isEqualTo(1);
      }
    }
  }

  @Test
  void verifyBatchGetItemAndTransactGetItemsReadTheCatalogAgainToo() {
    MemoryBackend memory = new MemoryBackend();
    try (Coffer b = open(memory, Duration.ofHours(1))) {
      Table tb =
          b.createTable(
              TableSpec.builder().name("flat").partitionKey("pk", AttributeType.S).build());
      try (Coffer a = open(memory, Duration.ofHours(1))) {
        Table ta = a.table("flat");
        assertThat(tb.rotateDataKey()).isEqualTo(2);
        tb.putItem(flatItem(1, "under 2"));
        assertThat(ta.verify().findings()).isEmpty();
        assertThat(ta.describe().dataKeys()).hasSize(2);

        assertThat(tb.rotateDataKey()).isEqualTo(3);
        tb.putItem(flatItem(2, "under 3"));
        BatchGetItemResponse got =
            a.batchGetItem(
                BatchGetItemRequest.builder()
                    .requestItems("flat", KeysAndAttributes.of(List.of(Key.of("k2"))))
                    .build());
        assertThat(got.responses().get("flat")).containsExactly(flatItem(2, "under 3"));
        assertThat(ta.describe().dataKeys()).hasSize(3);

        assertThat(tb.rotateDataKey()).isEqualTo(4);
        tb.putItem(flatItem(3, "under 4"));
        assertThat(
                a.transactGetItems(
                        TransactGetItemsRequest.of(TransactGetItem.of("flat", Key.of("k3"))))
                    .responses()
                    .get(0))
            .contains(flatItem(3, "under 4"));
        assertThat(ta.describe().dataKeys()).hasSize(4);
      }
    }
  }
}
