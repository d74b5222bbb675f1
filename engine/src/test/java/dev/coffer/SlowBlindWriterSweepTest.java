package dev.coffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.spi.BackendKey;
import dev.coffer.spi.BackendRecord;
import dev.coffer.spi.MemoryBackend;
import dev.coffer.spi.RecordBackend;
import dev.coffer.spi.ScanPage;
import dev.coffer.spi.WriteCondition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer paused between a new partition's index entry and its root while another instance runs a
 * real {@code collectGarbage()} with a grace period of 0: the sweep finds the entry without a
 * partition and deletes it, then the writer's root lands. The writer writes the entry again after a
 * write that took at least half its grace period (always, with 0), so Scan finds what GetItem
 * finds, then and after a later overwrite on {@code attribute_exists} (which writes no entry). For
 * a table without a sort key (a blind put, entry first) and one with a sort key (the entry, then
 * the root on {@code attribute_not_exists}).
 */
class SlowBlindWriterSweepTest {
  /** The length of an index partition's key: the table key (4 bytes) and a bucket. */
  private static final int INDEX_PARTITION_BYTES = 5;

  private final TestStores stores = new TestStores();

  private Coffer open(RecordBackend backend) {
    return Coffer.open(
        stores
            .options()
            .backend(backend)
            .accessCheckInterval(Duration.ofHours(1))
            .garbageGracePeriod(Duration.ZERO)
            .build());
  }

  @ParameterizedTest(name = "sort key: {0}")
  @ValueSource(booleans = {false, true})
  void aSweepBetweenAWritersEntryAndItsRootLeavesNothingThatScanMisses(boolean sortKey) {
    MemoryBackend memory = new MemoryBackend();
    AfterIndexPut seam = new AfterIndexPut(memory);
    TableSpec.Builder spec = TableSpec.builder().name("items").partitionKey("pk", AttributeType.S);
    if (sortKey) {
      spec.sortKey("sk", AttributeType.N);
    }
    try (Coffer a = open(seam)) {
      Table ta = a.createTable(spec.build());
      try (Coffer b = open(memory)) {
        Table tb = b.table("items");
        long[] deleted = {-1};
        seam.hook =
            () -> {
              // The entry's version is its write time: a grace period of 0 needs the clock past it.
              long written = System.currentTimeMillis();
              while (System.currentTimeMillis() <= written) {
                Thread.onSpinWait();
              }
              deleted[0] = b.collectGarbage().indexEntriesDeleted();
            };
        ta.putItem(item(sortKey, "first"));
        assertThat(seam.hook).as("the seam ran").isNull();
        assertThat(deleted[0]).as("the sweep deleted the writer's entry").isEqualTo(1);
        assertThat(tb.getItem(key(sortKey))).isPresent();
        assertThat(scanned(tb)).as("Scan finds what GetItem finds").isEqualTo(Map.of("k", "first"));

        ta.putItem(item(sortKey, "second")); // over a root this instance wrote: no entry written
        assertThat(scanned(tb)).isEqualTo(Map.of("k", "second"));
        assertThat(b.collectGarbage().indexEntriesAdded()).as("roots without an entry").isZero();
      }
    }
  }

  private static Item item(boolean sortKey, String v) {
    Item.Builder i = Item.builder().string("pk", "k").string("v", v);
    if (sortKey) {
      i.number("sk", 1);
    }
    return i.build();
  }

  private static Key key(boolean sortKey) {
    return sortKey ? Key.of(AttributeValue.s("k"), AttributeValue.n(1)) : Key.of("k");
  }

  /** What Scan returns, partition key to value. */
  private static Map<String, String> scanned(Table t) {
    Map<String, String> out = new TreeMap<>();
    for (Item i : t.scan(Scan.all()).items()) {
      out.put(i.get("pk").s(), i.get("v").s());
    }
    return out;
  }

  /**
   * A backend that, once {@link #hook} is set, runs it (once) right after the next put into an
   * index partition returned, before the writer goes on to its root.
   */
  private static final class AfterIndexPut implements RecordBackend {
    private final RecordBackend delegate;
    volatile Runnable hook;

    AfterIndexPut(RecordBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public BackendRecord put(BackendRecord record, WriteCondition condition) {
      BackendRecord old = delegate.put(record, condition);
      Runnable h = hook;
      if (h != null && record.partitionKey().length == INDEX_PARTITION_BYTES) {
        hook = null;
        h.run();
      }
      return old;
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
    public BackendRecord get(byte[] partitionKey, byte[] sortKey) {
      return delegate.get(partitionKey, sortKey);
    }

    @Override
    public List<BackendRecord> query(
        byte[] partitionKey, byte[] startSortKey, boolean inclusive, int limit) {
      return delegate.query(partitionKey, startSortKey, inclusive, limit);
    }

    @Override
    public BackendRecord delete(byte[] partitionKey, byte[] sortKey, WriteCondition condition) {
      return delegate.delete(partitionKey, sortKey, condition);
    }

    @Override
    public void deleteAll(List<BackendKey> keys) {
      delegate.deleteAll(keys);
    }

    @Override
    public ScanPage scan(int segment, int totalSegments, BackendKey exclusiveStartKey, int limit) {
      return delegate.scan(segment, totalSegments, exclusiveStartKey, limit);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
